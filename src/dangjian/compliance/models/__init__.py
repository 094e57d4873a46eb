from .rule import Condition, Confidence, ObligationRule, PeriodKind

__all__ = ["Condition", "Confidence", "ObligationRule", "PeriodKind"]
