from .attendance import Attendance, AttendanceStatus
from .meeting import Meeting, MeetingKind, MeetingStatus
from .records import Amendment, Attachment, Resolution

__all__ = [
    "Amendment",
    "Attachment",
    "Attendance",
    "AttendanceStatus",
    "Meeting",
    "MeetingKind",
    "MeetingStatus",
    "Resolution",
]
