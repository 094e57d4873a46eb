"""The yearly work plan for other systems: ``GET /api/v1/work-plan/items?year=YEAR``, each item with its
deployments and their latest progress, scoped like the pages (the items of the plans the caller sees, and the
items deployed to organisations — or to the person — the caller sees)."""

# No "from __future__ import annotations": django-ninja resolves these annotations when it builds the schema.
from datetime import date

from django.db.models import Prefetch, Q
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from dangjian.api.common import BoundedLimitOffsetPagination, ErrorOut, need

from .models import Deployment, DeploymentStatus, PlanItem, ProgressReport, WorkPlan
from .services import VIEW

router = Router()


class ProgressOut(Schema):
    year: int
    quarter: int
    percent: int
    content: str
    reported_on: date


class DeploymentOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    responsible_id: int
    responsible_name: str
    measure: str
    deadline: date
    status: str
    completed_on: date | None
    cancel_reason: str
    overdue: bool
    latest_progress: ProgressOut | None

    @staticmethod
    def resolve_organization_name(d: Deployment) -> str:
        return d.organization.name

    @staticmethod
    def resolve_responsible_name(d: Deployment) -> str:
        return d.responsible.name

    @staticmethod
    def resolve_overdue(d: Deployment) -> bool:
        return d.status == DeploymentStatus.OPEN and d.deadline < timezone.localdate()

    @staticmethod
    def resolve_latest_progress(d: Deployment) -> ProgressReport | None:
        return d.ordered_reports[0] if d.ordered_reports else None


class LineOut(Schema):
    id: int
    code: str
    name: str


class ProjectOut(Schema):
    id: int
    code: str
    name: str


class ItemOut(Schema):
    id: int
    plan_id: int
    plan_title: str
    organization_id: int
    year: int
    order: int
    category: str
    title: str
    content: str
    source_id: int | None
    lines: list[LineOut]
    projects: list[ProjectOut]
    deployments: list[DeploymentOut]

    @staticmethod
    def resolve_plan_title(i: PlanItem) -> str:
        return i.plan.title

    @staticmethod
    def resolve_organization_id(i: PlanItem) -> int:
        return i.plan.organization_id

    @staticmethod
    def resolve_year(i: PlanItem) -> int:
        return i.plan.year

    @staticmethod
    def resolve_lines(i: PlanItem) -> list:
        return list(i.lines.all())

    @staticmethod
    def resolve_projects(i: PlanItem) -> list:
        return list(i.projects.all())

    @staticmethod
    def resolve_deployments(i: PlanItem) -> list:
        return i.shown


class ItemFilter(Schema):
    year: int = Field(..., ge=2000, le=2100, description="年度")


@router.get("work-plan/items", response={200: list[ItemOut], 422: ErrorOut}, tags=["work-plan"])
@paginate(BoundedLimitOffsetPagination)
def list_items(request, filters: Query[ItemFilter]):
    """The year's plan items the caller sees, with the deployments the caller sees and their latest progress."""
    need(request, VIEW)
    user = request.user
    plans = WorkPlan.objects.visible_to(user, VIEW).filter(year=filters.year)
    deployments = Deployment.objects.visible_to(user, VIEW).filter(item__plan__year=filters.year)
    reports = ProgressReport.objects.order_by("-year", "-quarter", "-reported_on", "-pk")
    return (
        PlanItem.objects.filter(plan__year=filters.year)
        .filter(Q(plan__in=plans.values("pk")) | Q(pk__in=deployments.values("item_id")))
        .select_related("plan")
        .prefetch_related(
            "lines",
            "projects",
            Prefetch(
                "deployments",
                queryset=deployments.select_related("organization", "responsible")
                .prefetch_related(Prefetch("reports", queryset=reports, to_attr="ordered_reports"))
                .order_by("deadline", "pk"),
                to_attr="shown",
            ),
        )
        .order_by("plan__organization__path", "plan_id", "order", "pk")
    )
