from .cycle import AssessmentCycle, AutoScore, CycleStatus, CycleUnit, SectionScore, Snapshot
from .indicator import Indicator, Method
from .occurrence import Occurrence
from .system import AppliesTo, IndicatorSystem, SystemStatus

__all__ = [
    "AppliesTo",
    "AssessmentCycle",
    "AutoScore",
    "CycleStatus",
    "CycleUnit",
    "Indicator",
    "IndicatorSystem",
    "Method",
    "Occurrence",
    "SectionScore",
    "Snapshot",
    "SystemStatus",
]
