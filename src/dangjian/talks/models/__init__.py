from .contact import ContactPoint, ContactVisit
from .study import HourRate, StudyRecord
from .talk import Talk

__all__ = ["ContactPoint", "ContactVisit", "HourRate", "StudyRecord", "Talk"]
