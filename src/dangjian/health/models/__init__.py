from .checkup import Checkup, CheckupQuerySet
from .consent import Consent
from .followup import FollowUp, FollowUpRecord, FollowUpStatus
from .importing import CheckupImportJob, ColumnMapping
from .screening import ApcsCategory, Category, RunStatus, ScreeningResult, ScreeningRun

__all__ = [
    "ApcsCategory",
    "Category",
    "Checkup",
    "CheckupImportJob",
    "CheckupQuerySet",
    "ColumnMapping",
    "Consent",
    "FollowUp",
    "FollowUpRecord",
    "FollowUpStatus",
    "RunStatus",
    "ScreeningResult",
    "ScreeningRun",
]
