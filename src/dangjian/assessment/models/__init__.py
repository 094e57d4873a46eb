from .brand import BranchBrand, BrandEvidence, BrandReview, BrandStatus, ReviewResult
from .cycle import AssessmentCycle, AutoScore, CycleStatus, CycleUnit, SectionScore, Snapshot
from .ends import Interview, StarRating, Title, TitleKind
from .indicator import Indicator, Method
from .lifecycle import BandAdjustment
from .manual import (
    EntryKind,
    Evidence,
    ManualScore,
    Objection,
    ObjectionStatus,
    ReviewEntry,
    Reviewer,
    SelfAssessment,
    SelfScore,
)
from .occurrence import Occurrence
from .rectification import Rectification, RectificationStatus
from .secretary_report import MeetingStatus, RaterGroup, ReportGrade, ReportMeeting, SecretaryReport
from .secretary_report_votes import Ballot, PaperTally, Rater
from .system import AppliesTo, IndicatorSystem, SystemStatus

__all__ = [
    "Interview",
    "StarRating",
    "Title",
    "TitleKind",
    "BandAdjustment",
    "SelfScore",
    "SelfAssessment",
    "ReviewEntry",
    "Reviewer",
    "ObjectionStatus",
    "Objection",
    "ManualScore",
    "Evidence",
    "EntryKind",
    "AppliesTo",
    "AssessmentCycle",
    "AutoScore",
    "Ballot",
    "BranchBrand",
    "BrandEvidence",
    "BrandReview",
    "BrandStatus",
    "CycleStatus",
    "CycleUnit",
    "Indicator",
    "IndicatorSystem",
    "MeetingStatus",
    "Method",
    "Occurrence",
    "PaperTally",
    "Rater",
    "RaterGroup",
    "ReportGrade",
    "Rectification",
    "RectificationStatus",
    "ReportMeeting",
    "ReviewResult",
    "SecretaryReport",
    "SectionScore",
    "Snapshot",
    "SystemStatus",
]
