from .indicator import Indicator, Method
from .secretary_report import MeetingStatus, RaterGroup, ReportGrade, ReportMeeting, SecretaryReport
from .secretary_report_votes import Ballot, PaperTally, Rater
from .system import AppliesTo, IndicatorSystem, SystemStatus

__all__ = [
    "AppliesTo",
    "Ballot",
    "Indicator",
    "IndicatorSystem",
    "MeetingStatus",
    "Method",
    "PaperTally",
    "RaterGroup",
    "Rater",
    "ReportGrade",
    "ReportMeeting",
    "SecretaryReport",
    "SystemStatus",
]
