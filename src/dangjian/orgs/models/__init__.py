from .committee import CommitteePost, CommitteeTerm, Post, forms_committee
from .department import Department
from .organization import Organization, OrgKind, OrgSetting
from .rectifying import Rectifying
from .term_extension import TermExtension

__all__ = [
    "CommitteePost",
    "CommitteeTerm",
    "Department",
    "Organization",
    "OrgKind",
    "OrgSetting",
    "Post",
    "Rectifying",
    "TermExtension",
    "forms_committee",
]
