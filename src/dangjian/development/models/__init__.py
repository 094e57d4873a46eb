from .development import CaseStatus, Contact, ContactRole, Development, DevelopmentStage, Override, StepRecord
from .records import ActivistReview, ProbationExtension

__all__ = [
    "ActivistReview",
    "CaseStatus",
    "Contact",
    "ContactRole",
    "Development",
    "DevelopmentStage",
    "Override",
    "ProbationExtension",
    "StepRecord",
]
