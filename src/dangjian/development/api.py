"""Development cases for other systems: the case list with the page's filters, one case with its steps, opening a
case and recording the next step, through the same services (rules, audit, scope) as the pages."""

# No "from __future__ import annotations": django-ninja resolves these annotations when it builds the schema.
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, FilterLookup, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangjian.api.common import BoundedLimitOffsetPagination, ErrorOut, ScopedFilter, need
from dangjian.core.scoping import get_visible
from dangjian.people.models import Person

from . import services
from .filters import due_soon_q, overdue_q
from .models import CaseStatus, Development, DevelopmentStage, StepRecord

VIEW, CHANGE = services.VIEW, services.CHANGE

router = Router(tags=["development"])


class CaseOut(Schema):
    id: int
    person_id: int
    name: str
    branch_id: int
    stage: str
    status: str
    started_on: date
    rule_version: str
    next_step: int | None
    next_due_on: date | None

    @staticmethod
    def resolve_name(d: Development) -> str:
        return d.person.name


class StepOut(Schema):
    id: int
    number: int
    code: str
    done_on: date
    actor_id: int | None
    documents: str
    note: str
    training_days: Decimal | None
    training_hours: Decimal | None
    votes_due: int | None
    votes_present: int | None
    votes_yes: int | None


class CaseDetailOut(CaseOut):
    steps: list[StepOut]

    @staticmethod
    def resolve_steps(d: Development) -> list:
        return list(d.steps.all())


class CaseFilter(ScopedFilter):
    organization: int | None = Field(None, description="党组织 id（含下级组织）")
    stage: DevelopmentStage | None = None
    status: CaseStatus | None = None
    due: Literal["soon", "overdue"] | None = Field(None, description="soon：30 天内到期；overdue：已逾期")
    started_from: Annotated[date | None, FilterLookup("started_on__gte")] = None
    started_to: Annotated[date | None, FilterLookup("started_on__lte")] = None

    def filter_organization(self, value: int | None) -> Q:
        return self.in_scope_subtree("branch", value)

    def filter_due(self, value: str | None) -> Q:
        today = timezone.localdate()
        return {"soon": due_soon_q, "overdue": overdue_q}[value](today) if value else Q()


class CaseIn(Schema):
    person_id: int
    branch_id: int
    applied_on: date


class StepIn(Schema):
    step: int = Field(..., ge=1, le=99, description="步骤序号（须为下一步）")
    done_on: date
    actor_id: int | None = None
    documents: str = ""
    note: str = ""
    training_days: Decimal | None = Field(None, max_digits=5, decimal_places=1)
    training_hours: Decimal | None = Field(None, max_digits=6, decimal_places=1)
    votes_due: int | None = Field(None, ge=0, le=9999)
    votes_present: int | None = Field(None, ge=0, le=9999)
    votes_yes: int | None = Field(None, ge=0, le=9999)


def _detail(request, case_id: int) -> Development:
    qs = Development.objects.select_related("person").prefetch_related(
        Prefetch("steps", queryset=StepRecord.objects.order_by("number"))
    )
    return get_visible(qs, request.user, VIEW, pk=case_id)


@router.get("development/cases", response={200: list[CaseOut], 422: ErrorOut})
@paginate(BoundedLimitOffsetPagination)
def list_cases(request, filters: Query[CaseFilter]):
    need(request, VIEW)
    qs = Development.objects.visible_to(request.user, VIEW).select_related("person")
    order = ("next_due_on", "id") if filters.due else ("-started_on", "-id")  # the due lists: soonest first
    return filters.apply(qs, request, VIEW).order_by(*order)


@router.get("development/cases/{int:case_id}", response=CaseDetailOut)
def get_case(request, case_id: int):
    need(request, VIEW)
    return _detail(request, case_id)


@router.post("development/cases", response={201: CaseDetailOut, 422: ErrorOut})
def open_case(request, body: CaseIn):
    """Opens a case on the date the application was handed in (step 1 of the 25)."""
    need(request, CHANGE)
    dev = services.open_case(request.user, body.person_id, body.branch_id, body.applied_on)
    return Status(201, _detail(request, dev.pk))


@router.post("development/cases/{int:case_id}/steps", response={201: CaseDetailOut, 422: ErrorOut})
def record_step(request, case_id: int, body: StepIn):
    """Records the next step; a step the rules block is refused with its reason and the regulation's article."""
    need(request, CHANGE)
    dev = get_visible(Development.objects.all(), request.user, CHANGE, pk=case_id)
    data = body.dict(exclude={"step"})
    if body.actor_id is not None:
        people = Person.objects.visible_to(request.user, "people.view").exclude(pk=dev.person_id)
        if not people.filter(pk=body.actor_id).exists():
            raise ValidationError({"actor_id": _("经办人不在您的管理范围内")})
    services.record_step(request.user, case_id, body.step, data)
    return Status(201, _detail(request, case_id))
