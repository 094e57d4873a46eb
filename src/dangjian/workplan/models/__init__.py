from .plan import Deployment, DeploymentStatus, PlanItem, PlanStatus, ProgressReport, WorkPlan

__all__ = ["Deployment", "DeploymentStatus", "PlanItem", "PlanStatus", "ProgressReport", "WorkPlan"]
