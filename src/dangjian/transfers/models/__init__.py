from .lost_contact import ContactAttempt, ContactMethod, Decision, DecisionKind, LostContact, TrackingStatus
from .transfer import Direction, LetterCounter, Transfer, TransferEvent, TransferStatus

__all__ = [
    "ContactAttempt",
    "ContactMethod",
    "Decision",
    "DecisionKind",
    "Direction",
    "LetterCounter",
    "LostContact",
    "TrackingStatus",
    "Transfer",
    "TransferEvent",
    "TransferStatus",
]
