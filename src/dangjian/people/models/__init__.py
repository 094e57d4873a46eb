from .membership import Membership, MembershipStatus
from .person import Education, Employment, PoliticalStatus, Person, Sex

__all__ = ["Education", "Employment", "Membership", "MembershipStatus", "Person", "PoliticalStatus", "Sex"]
