from .attendance import Attendance, AttendanceStatus
from .life import ContactPoint, ContactVisit, HourRate, StudyRecord, Talk
from .meeting import Meeting, MeetingKind, MeetingStatus
from .records import Amendment, Attachment, Resolution

__all__ = [
    "Amendment",
    "Attachment",
    "Attendance",
    "AttendanceStatus",
    "ContactPoint",
    "ContactVisit",
    "HourRate",
    "Meeting",
    "MeetingKind",
    "MeetingStatus",
    "Resolution",
    "StudyRecord",
    "Talk",
]
