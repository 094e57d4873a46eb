"""Development cases for other systems: the case list with the page's filters, one case with its steps and records,
opening a case, recording the next step, a contact (培养联系人, 入党介绍人, 谈话人), an activist's half-yearly review,
the extension of probation, the expected departure (细则 第19条) and the office's override of a blocked check,
through the same services (rules, audit, scope) as the pages."""

# No "from __future__ import annotations": django-ninja resolves these annotations when it builds the schema.
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, FilterLookup, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangjian.accounts.scope import can
from dangjian.api.common import BoundedLimitOffsetPagination, ErrorOut, ScopedFilter, need
from dangjian.core.scoping import get_visible
from dangjian.people.models import Person

from . import services
from .filters import due_soon_q, overdue_q
from .models import CaseStatus, Contact, ContactRole, Development, DevelopmentStage, Override, StepRecord
from .timeline import cancellation_of

VIEW, CHANGE, OVERRIDE = services.VIEW, services.CHANGE, services.OVERRIDE

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
    votes_written_yes: int | None


class ContactOut(Schema):
    id: int
    person_id: int
    name: str
    role: str

    @staticmethod
    def resolve_name(c: Contact) -> str:
        return c.person.name


class ReviewOut(Schema):
    id: int
    reviewed_on: date
    reviewer_id: int | None
    summary: str


class ExtensionOut(Schema):
    id: int
    months: int
    decided_on: date
    reason: str


class CancellationOut(Schema):
    """取消预备党员资格 (细则 第34条): recorded on the case page, read here."""

    id: int
    meeting_on: date = Field(..., description="支部大会讨论日期")
    approved_on: date = Field(..., description="上级党委审批日期")
    reason: str


class OverrideOut(Schema):
    id: int
    step_code: str
    reason: str
    by: str
    at: datetime

    @staticmethod
    def resolve_by(o: Override) -> str:
        return o.by.username


class CaseDetailOut(CaseOut):
    steps: list[StepOut]
    contacts: list[ContactOut]
    reviews: list[ReviewOut] = Field(..., description="入党积极分子考察")
    extensions: list[ExtensionOut] = Field(..., description="延长预备期")
    overrides: list[OverrideOut] = Field(..., description="例外放行")
    leaves_unit_on: date | None = Field(None, description="预计离开工作、学习单位日期（细则 第19条）")
    cancellation: CancellationOut | None = Field(None, description="取消预备党员资格（细则 第34条）")

    @staticmethod
    def resolve_steps(d: Development) -> list:
        return list(d.steps.all())

    @staticmethod
    def resolve_contacts(d: Development) -> list:
        return list(d.contacts.all())

    @staticmethod
    def resolve_reviews(d: Development) -> list:
        return list(d.activist_reviews.all())

    @staticmethod
    def resolve_extensions(d: Development) -> list:
        return list(d.probation_extensions.all())

    @staticmethod
    def resolve_overrides(d: Development) -> list:
        return list(d.overrides.all())

    @staticmethod
    def resolve_cancellation(d: Development):
        return cancellation_of(d)


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
    votes_written_yes: int | None = Field(None, ge=0, le=9999)


class ContactIn(Schema):
    person_id: int
    role: ContactRole


class ReviewIn(Schema):
    reviewed_on: date
    summary: str
    reviewer_id: int | None = None


class ExtensionIn(Schema):
    months: int = Field(..., ge=1, le=99, description="延长月数（6 至 12 个月，细则 第32条）")
    decided_on: date
    reason: str


class DepartureIn(Schema):
    leaves_unit_on: date | None = Field(..., description="预计离开工作、学习单位日期；null 表示无离开安排")


class OverrideIn(Schema):
    step_code: str = Field(..., max_length=40, description="被阻止的步骤代码")
    reason: str


def _detail(request, case_id: int) -> Development:
    qs = Development.objects.select_related("person", "probation_cancellation").prefetch_related(
        Prefetch("steps", queryset=StepRecord.objects.order_by("number")),
        Prefetch("contacts", queryset=Contact.objects.select_related("person")),
        "activist_reviews",
        "probation_extensions",
        Prefetch("overrides", queryset=Override.objects.select_related("by")),
    )
    return get_visible(qs, request.user, VIEW, pk=case_id)


def _in_scope_person(request, dev: Development, person_id: int, field: str) -> None:
    """The page offers the people the user sees, the case's own person excepted; the API takes no other."""
    people = Person.objects.visible_to(request.user, "people.view").exclude(pk=dev.person_id)
    if not people.filter(pk=person_id).exists():
        raise ValidationError({field: _("人员不存在或不在您的管理范围内")})


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


@router.post("development/cases/{int:case_id}/contacts", response={201: CaseDetailOut, 422: ErrorOut})
def add_contact(request, case_id: int, body: ContactIn):
    """A training contact (培养联系人), sponsor (入党介绍人) or the person who talks with the applicant."""
    need(request, CHANGE)
    dev = get_visible(Development.objects.all(), request.user, CHANGE, pk=case_id)
    _in_scope_person(request, dev, body.person_id, "person_id")
    services.add_contact(request.user, case_id, body.person_id, body.role)
    return Status(201, _detail(request, case_id))


@router.post("development/cases/{int:case_id}/reviews", response={201: CaseDetailOut, 422: ErrorOut})
def add_review(request, case_id: int, body: ReviewIn):
    """The branch's half-yearly review of an activist (细则 第11条), between the activist date and the candidacy."""
    need(request, CHANGE)
    dev = get_visible(Development.objects.all(), request.user, CHANGE, pk=case_id)
    if body.reviewer_id is not None:
        _in_scope_person(request, dev, body.reviewer_id, "reviewer_id")
    services.add_review(request.user, case_id, body.reviewed_on, body.summary, body.reviewer_id)
    return Status(201, _detail(request, case_id))


@router.post("development/cases/{int:case_id}/extensions", response={201: CaseDetailOut, 422: ErrorOut})
def extend_probation(request, case_id: int, body: ExtensionIn):
    """The branch meeting extends a probation once, by 6 to 12 months (细则 第32条); the conversion steps then
    fall due later."""
    need(request, CHANGE)
    get_visible(Development.objects.all(), request.user, CHANGE, pk=case_id)
    services.extend_probation(request.user, case_id, body.months, body.decided_on, body.reason)
    return Status(201, _detail(request, case_id))


@router.put("development/cases/{int:case_id}/departure", response={200: CaseDetailOut, 422: ErrorOut})
def set_departure(request, case_id: int, body: DepartureIn):
    """The day the development target is expected to leave the work or study unit (null: none). 细则 第19条:
    "发展对象未来3个月内将离开工作、学习单位的，一般不办理接收预备党员的手续" — 预审, the branch meeting and the
    approval are blocked within that window unless the office overrides."""
    need(request, CHANGE)
    get_visible(Development.objects.all(), request.user, CHANGE, pk=case_id)
    services.set_expected_departure(request.user, case_id, body.leaves_unit_on)
    return _detail(request, case_id)


@router.post("development/cases/{int:case_id}/overrides", response={201: CaseDetailOut, 422: ErrorOut})
def override(request, case_id: int, body: OverrideIn):
    """The committee office (``development.override`` over the case's branch) lets a blocked check through with a
    reason; anyone else is told the case does not exist."""
    need(request, OVERRIDE)
    dev = get_visible(Development.objects.all(), request.user, CHANGE, pk=case_id)
    if not can(request.user, OVERRIDE, dev):
        raise Http404
    services.override(request.user, case_id, body.step_code, body.reason)
    return Status(201, _detail(request, case_id))
