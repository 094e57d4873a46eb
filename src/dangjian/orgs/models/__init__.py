from .committee import CommitteePost, CommitteeTerm, Post, forms_committee
from .department import Department
from .organization import Organization, OrgKind

__all__ = ["CommitteePost", "CommitteeTerm", "Department", "Organization", "OrgKind", "Post", "forms_committee"]
