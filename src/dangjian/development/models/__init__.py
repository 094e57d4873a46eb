from .development import CaseStatus, Contact, ContactRole, Development, DevelopmentStage, Override, StepRecord
from .records import ActivistReview, ProbationCancellation, ProbationExtension

__all__ = [
    "ActivistReview",
    "CaseStatus",
    "Contact",
    "ContactRole",
    "Development",
    "DevelopmentStage",
    "Override",
    "ProbationCancellation",
    "ProbationExtension",
    "StepRecord",
]
