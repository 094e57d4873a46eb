from .choices import Activity, Condition, Confidence, PeriodKind

__all__ = ["Activity", "Condition", "Confidence", "PeriodKind"]
