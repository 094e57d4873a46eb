"""Care events and obligations for other systems: the event and to-do lists with the pages' filters, recording an
event (its obligations follow from the rules in force) and closing an obligation with what was done (the care
visit), through the same services as the pages. The router also carries the hardship register (``hardship_api``),
the practical matters (``matter_api``) and the care list's edits (``rule_api``) of the same app.

The event's description is sensitive personal information (PIPL art. 28): it is answered only for one event,
never in a list.
"""

# No "from __future__ import annotations": django-ninja resolves these annotations when it builds the schema.
from datetime import date
from typing import Annotated, Literal

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from ninja import Field, FilterLookup, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangjian.api.common import BoundedLimitOffsetPagination, ErrorOut, ScopedFilter, need
from dangjian.core.scoping import get_visible

from . import services
from .hardship_api import router as hardship_router
from .matter_api import router as matter_router
from .models import CareEvent, EventKind, Obligation, ObligationKind, ObligationStatus
from .rule_api import router as rule_router

VIEW, CHANGE = services.VIEW, services.CHANGE

router = Router()


class EventOut(Schema):
    id: int
    person_id: int
    name: str
    kind: str
    occurred_on: date
    branch_id: int | None
    department_id: int | None
    source: str

    @staticmethod
    def resolve_name(e: CareEvent) -> str:
        return e.person.name


class ObligationOut(Schema):
    id: int
    event_id: int
    person_id: int
    name: str
    kind: str
    responsible_role: str
    responsible_user: str | None
    due_on: date
    status: str
    done_on: date | None
    follow_up_on: date | None
    follow_up_of_id: int | None

    @staticmethod
    def resolve_person_id(o: Obligation) -> int:
        return o.event.person_id

    @staticmethod
    def resolve_name(o: Obligation) -> str:
        return o.event.person.name

    @staticmethod
    def resolve_responsible_user(o: Obligation) -> str | None:
        return o.responsible_user.username if o.responsible_user_id else None


class ObligationDetailOut(ObligationOut):
    what_done: str


class EventDetailOut(EventOut):
    description: str
    obligations: list[ObligationDetailOut]

    @staticmethod
    def resolve_obligations(e: CareEvent) -> list:
        return list(e.obligations.all())


class EventFilter(ScopedFilter):
    organization: int | None = Field(None, description="党支部 id（含下级组织）")
    kind: EventKind | None = None
    date_from: Annotated[date | None, FilterLookup("occurred_on__gte")] = Field(None, description="发生日期不早于")
    date_to: Annotated[date | None, FilterLookup("occurred_on__lte")] = Field(None, description="发生日期不晚于")
    status: Literal["open", "overdue", "closed"] | None = Field(None, description="按关怀事项的办理情况")

    def filter_organization(self, value: int | None) -> Q:
        return self.in_scope_subtree("branch", value)

    def filter_status(self, value: str | None) -> Q:
        open_items = Obligation.objects.filter(event=OuterRef("pk"), status=ObligationStatus.OPEN)
        if value == "open":
            return Q(Exists(open_items))
        if value == "overdue":
            return Q(Exists(open_items.filter(due_on__lt=timezone.localdate())))
        if value == "closed":
            return ~Q(Exists(open_items))
        return Q()


class ObligationFilter(ScopedFilter):
    status: Literal["open", "overdue", "closed", "all"] = "open"
    kind: ObligationKind | None = None
    mine: bool = False
    due_from: Annotated[date | None, FilterLookup("due_on__gte")] = None
    due_to: Annotated[date | None, FilterLookup("due_on__lte")] = None

    def filter_status(self, value: str) -> Q:
        if value == "open":
            return Q(status=ObligationStatus.OPEN)
        if value == "overdue":
            return Q(status=ObligationStatus.OPEN, due_on__lt=timezone.localdate())
        if value == "closed":
            return Q(status=ObligationStatus.CLOSED)
        return Q()

    def filter_mine(self, value: bool) -> Q:
        return Q(responsible_user=self._request.user) if value else Q()


class EventIn(Schema):
    person_id: int
    kind: str
    occurred_on: date
    description: str = ""


class CloseIn(Schema):
    done_on: date
    what_done: str
    follow_up_needed: bool = False
    follow_up_on: date | None = None


def _event(request, event_id: int) -> CareEvent:
    obligations = Obligation.objects.select_related("event__person", "responsible_user").order_by("due_on", "id")
    qs = CareEvent.objects.select_related("person").prefetch_related(Prefetch("obligations", queryset=obligations))
    return get_visible(qs, request.user, VIEW, pk=event_id)


def _obligations():
    return Obligation.objects.select_related("event__person", "responsible_user")


@router.get("care/events", response={200: list[EventOut], 422: ErrorOut}, tags=["care"])
@paginate(BoundedLimitOffsetPagination)
def list_events(request, filters: Query[EventFilter]):
    need(request, VIEW)
    qs = CareEvent.objects.visible_to(request.user, VIEW).select_related("person").order_by("-occurred_on", "-id")
    return filters.apply(qs, request, VIEW)


@router.get("care/events/{int:event_id}", response=EventDetailOut, tags=["care"])
def get_event(request, event_id: int):
    need(request, VIEW)
    return _event(request, event_id)


@router.post("care/events", response={201: EventDetailOut, 422: ErrorOut}, tags=["care"])
def record_event(request, body: EventIn):
    """Records a life or work event; the answer lists the obligations the care rules opened for it."""
    need(request, CHANGE)
    event = services.record_event(request.user, body.person_id, body.kind, body.occurred_on, body.description)
    return Status(201, _event(request, event.pk))


@router.get("care/obligations", response={200: list[ObligationOut], 422: ErrorOut}, tags=["care"])
@paginate(BoundedLimitOffsetPagination)
def list_obligations(request, filters: Query[ObligationFilter]):
    need(request, VIEW)
    return filters.apply(_obligations().visible_to(request.user, VIEW), request, VIEW).order_by("due_on", "id")


@router.get("care/obligations/{int:obligation_id}", response=ObligationDetailOut, tags=["care"])
def get_obligation(request, obligation_id: int):
    need(request, VIEW)
    return get_visible(_obligations(), request.user, VIEW, pk=obligation_id)


@router.post(
    "care/obligations/{int:obligation_id}/close", response={200: ObligationDetailOut, 422: ErrorOut}, tags=["care"]
)
def close_obligation(request, obligation_id: int, body: CloseIn):
    """Records what was done (the visit, the call, the support) and when; a follow-up date opens a new item."""
    need(request, CHANGE)
    get_visible(Obligation.objects.all(), request.user, CHANGE, pk=obligation_id)
    services.close_obligation(request.user, obligation_id, body.dict())
    return Status(200, _obligations().get(pk=obligation_id))


router.add_router("", hardship_router)
router.add_router("", matter_router)
router.add_router("", rule_router)
