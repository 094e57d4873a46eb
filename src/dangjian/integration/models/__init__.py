from .business import BusinessLine, Milestone, ProcessStage, Project, ProjectKind, ProjectStatus
from .joint import JointActivity, JointBuilding, LeaderLiaison, Partner, PartnerKind
from .links import ActivityLink, CarrierEvidence, ContactPointLink
from .pledge import Fulfilment, Pledge, PledgeStatus
from .posts import (
    ModelPost,
    ModelPostKind,
    ModelPostReview,
    ModelPostStatus,
    ReportEvery,
    ResponsibilityZone,
    ZoneReport,
)
from .taskforce import Taskforce, TaskforceKind, TaskforceMember, TaskforceReport, TaskforceRole, TaskforceStatus

__all__ = [
    "ActivityLink",
    "BusinessLine",
    "CarrierEvidence",
    "ContactPointLink",
    "Fulfilment",
    "JointActivity",
    "JointBuilding",
    "LeaderLiaison",
    "Milestone",
    "ModelPost",
    "ModelPostKind",
    "ModelPostReview",
    "ModelPostStatus",
    "Partner",
    "PartnerKind",
    "Pledge",
    "PledgeStatus",
    "ProcessStage",
    "Project",
    "ProjectKind",
    "ProjectStatus",
    "ReportEvery",
    "ResponsibilityZone",
    "Taskforce",
    "TaskforceKind",
    "TaskforceMember",
    "TaskforceReport",
    "TaskforceRole",
    "TaskforceStatus",
    "ZoneReport",
]
