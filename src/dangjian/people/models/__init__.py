from .importjob import ImportJob
from .membership import Membership, MembershipStatus
from .person import Education, Employment, Person, PoliticalStatus, Sex

__all__ = [
    "Education",
    "Employment",
    "ImportJob",
    "Membership",
    "MembershipStatus",
    "Person",
    "PoliticalStatus",
    "Sex",
]
