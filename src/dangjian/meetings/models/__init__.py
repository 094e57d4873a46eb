from .attendance import Attendance, AttendanceStatus
from .exemption import AttendanceExemption, ExemptionReason
from .meeting import Meeting, MeetingKind, MeetingStatus
from .records import Amendment, Attachment, Resolution

__all__ = [
    "Amendment",
    "Attachment",
    "Attendance",
    "AttendanceExemption",
    "AttendanceStatus",
    "ExemptionReason",
    "Meeting",
    "MeetingKind",
    "MeetingStatus",
    "Resolution",
]
