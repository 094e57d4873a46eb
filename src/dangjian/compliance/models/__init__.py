from .rule import Condition, Confidence, ObligationRule, PeriodKind
from .setting import ComplianceSetting, SettingKey

__all__ = ["ComplianceSetting", "Condition", "Confidence", "ObligationRule", "PeriodKind", "SettingKey"]
