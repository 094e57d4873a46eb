from .care import CareEvent, CareRule, EventKind, EventSource, Obligation, ObligationKind, ObligationStatus, Responsible
from .hardship import HardshipEntry, Support, SupportKind
from .matters import Evidence, MatterStatus, Milestone, PracticalMatter

__all__ = [
    "CareEvent",
    "CareRule",
    "EventKind",
    "EventSource",
    "Evidence",
    "HardshipEntry",
    "MatterStatus",
    "Milestone",
    "Obligation",
    "ObligationKind",
    "ObligationStatus",
    "PracticalMatter",
    "Responsible",
    "Support",
    "SupportKind",
]
