from .account import CATEGORY_CHOICES, DuesAccount
from .base import BaseSource, DuesBase
from .payment import DuesPayment, PaymentKind, PaymentMethod, is_for_centre
from .relief import DuesRelief, ReliefKind, ReliefStatus

__all__ = [
    "CATEGORY_CHOICES",
    "BaseSource",
    "DuesAccount",
    "DuesBase",
    "DuesPayment",
    "DuesRelief",
    "PaymentKind",
    "PaymentMethod",
    "ReliefKind",
    "ReliefStatus",
    "is_for_centre",
]
