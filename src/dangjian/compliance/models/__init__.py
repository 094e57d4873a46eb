from .choices import Condition, Confidence, PeriodKind

__all__ = ["Condition", "Confidence", "PeriodKind"]
