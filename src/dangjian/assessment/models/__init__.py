from .brand import BranchBrand, BrandEvidence, BrandReview, BrandStatus, ReviewResult
from .indicator import Indicator, Method
from .secretary_report import MeetingStatus, RaterGroup, ReportGrade, ReportMeeting, SecretaryReport
from .secretary_report_votes import Ballot, PaperTally, Rater
from .system import AppliesTo, IndicatorSystem, SystemStatus

__all__ = [
    "AppliesTo",
    "Ballot",
    "BranchBrand",
    "BrandEvidence",
    "BrandReview",
    "BrandStatus",
    "Indicator",
    "IndicatorSystem",
    "MeetingStatus",
    "Method",
    "PaperTally",
    "Rater",
    "RaterGroup",
    "ReportGrade",
    "ReportMeeting",
    "ReviewResult",
    "SecretaryReport",
    "SystemStatus",
]
