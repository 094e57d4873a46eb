from .honour import Honour, HonourKind, HonourLevel
from .importjob import ImportJob
from .membership import EndCause, Membership, MembershipStatus, StartCause
from .person import Education, Employment, Occupation, Person, PoliticalStatus, Sex

__all__ = [
    "Education",
    "Employment",
    "EndCause",
    "Honour",
    "HonourKind",
    "HonourLevel",
    "ImportJob",
    "Membership",
    "MembershipStatus",
    "Occupation",
    "Person",
    "PoliticalStatus",
    "Sex",
    "StartCause",
]
