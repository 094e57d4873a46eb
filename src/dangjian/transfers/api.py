"""Transfers of membership and lost-contact members for other systems: reads with the pages' filters, opening a
lost-contact case and recording a contact attempt, through the same services as the pages.

A transfer's ID number is not part of the answer: other systems match people by the person id.
"""

# No "from __future__ import annotations": django-ninja resolves these annotations when it builds the schema.
from datetime import date, datetime
from typing import Annotated, Literal

from django.db.models import Prefetch, Q
from django.utils import timezone
from ninja import Field, FilterLookup, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangjian.api.common import BoundedLimitOffsetPagination, ErrorOut, ScopedFilter, need
from dangjian.core.scoping import get_visible

from . import lost, services
from .models import ContactAttempt, Direction, LostContact, TrackingStatus, Transfer, TransferEvent, TransferStatus
from .services import CHANGE, VIEW

router = Router()


class TransferOut(Schema):
    id: int
    direction: str
    status: str
    person_id: int | None
    name: str
    member_status: str
    from_org_id: int | None
    from_name: str
    to_org_id: int | None
    to_name: str
    reason: str
    requested_on: date
    letter_year: int | None
    letter_seq: int | None
    sent_on: date | None
    valid_until: date | None
    dues_paid_to: date | None
    closed_on: date | None


class EventOut(Schema):
    from_status: str
    to_status: str
    on: date
    note: str
    at: datetime


class TransferDetailOut(TransferOut):
    events: list[EventOut]

    @staticmethod
    def resolve_events(t: Transfer) -> list:
        return list(t.events.all())


class TransferFilter(ScopedFilter):
    organization: int | None = Field(None, description="转出或转入党组织 id（含下级组织）")
    direction: Direction | None = None
    status: TransferStatus | None = None
    requested_from: Annotated[date | None, FilterLookup("requested_on__gte")] = None
    requested_to: Annotated[date | None, FilterLookup("requested_on__lte")] = None

    def filter_organization(self, value: int | None) -> Q:
        if not value:
            return Q()
        orgs = self.scoped_subtree(value)
        return Q(from_org__in=orgs) | Q(to_org__in=orgs)


class TransferIn(Schema):
    person_id: int
    to_org_id: int | None = Field(None, description="系统内接收党组织 id；转出至系统外时为空并填写 to_name")
    to_name: str = ""
    reason: str
    requested_on: date


class SendIn(Schema):
    on: date
    dues_paid_to: date | None = None


class AcceptIn(Schema):
    on: date


class RejectIn(Schema):
    on: date
    reason: str


class CancelIn(Schema):
    reason: str


class CaseOut(Schema):
    id: int
    person_id: int
    name: str
    branch_id: int
    status: str
    opened_on: date
    last_contact_on: date
    suspended_on: date | None
    removed_on: date | None

    @staticmethod
    def resolve_name(c: LostContact) -> str:
        return c.person.name


class AttemptOut(Schema):
    id: int
    on: date
    method: str
    reached: bool
    note: str


class DecisionOut(Schema):
    kind: str
    decided_on: date
    decided_by: str
    document_ref: str
    note: str


class CaseDetailOut(CaseOut):
    flag: str | None
    contacts: list[AttemptOut]
    decisions: list[DecisionOut]

    @staticmethod
    def resolve_flag(c: LostContact) -> str | None:
        return lost.flag_of(c, timezone.localdate()) or None

    @staticmethod
    def resolve_contacts(c: LostContact) -> list:
        return list(c.contacts.all())

    @staticmethod
    def resolve_decisions(c: LostContact) -> list:
        return list(c.decisions.all())


class CaseFilter(ScopedFilter):
    organization: int | None = Field(None, description="党支部 id（含下级组织）")
    status: TrackingStatus | None = None
    flag: Literal["any", "suspend_due", "removal_due", "restore_pending"] | None = Field(
        None, description="待作出的决定：any 任一"
    )

    def filter_organization(self, value: int | None) -> Q:
        return self.in_scope_subtree("branch", value)

    def filter_flag(self, value: str | None) -> Q:
        return lost.flag_q(timezone.localdate(), None if value == "any" else value) if value else Q()


class CaseIn(Schema):
    person_id: int
    last_contact_on: date
    note: str = ""


class AttemptIn(Schema):
    on: date
    method: str
    reached: bool = False
    note: str = ""


@router.get("transfers", response={200: list[TransferOut], 422: ErrorOut}, tags=["transfers"])
@paginate(BoundedLimitOffsetPagination)
def list_transfers(request, filters: Query[TransferFilter]):
    need(request, VIEW)
    return filters.apply(
        Transfer.objects.visible_to(request.user, VIEW).order_by("-requested_on", "-id"), request, VIEW
    )


@router.get("transfers/{int:transfer_id}", response=TransferDetailOut, tags=["transfers"])
def get_transfer(request, transfer_id: int):
    need(request, VIEW)
    return _transfer(request, transfer_id)


def _transfer(request, transfer_id: int) -> Transfer:
    events = Prefetch("events", queryset=TransferEvent.objects.order_by("at", "id"))
    return get_visible(Transfer.objects.prefetch_related(events), request.user, VIEW, pk=transfer_id)


@router.post("transfers", response={201: TransferDetailOut, 422: ErrorOut}, tags=["transfers"])
def request_transfer(request, body: TransferIn):
    """The sending branch asks for a transfer of a current member of its scope (outside the scope: 404)."""
    need(request, CHANGE)
    t = services.request_transfer(
        request.user,
        body.person_id,
        to_org_id=body.to_org_id,
        to_name=body.to_name,
        reason=body.reason,
        requested_on=body.requested_on,
    )
    return Status(201, _transfer(request, t.pk))


@router.post("transfers/{int:transfer_id}/send", response={200: TransferDetailOut, 422: ErrorOut}, tags=["transfers"])
def send_transfer(request, transfer_id: int, body: SendIn):
    """The sending side sends it; a transfer out of the tree gets its letter number (in the answer)."""
    need(request, CHANGE)
    services.send(request.user, transfer_id, on=body.on, dues_paid_to=body.dues_paid_to)
    return Status(200, _transfer(request, transfer_id))


@router.post("transfers/{int:transfer_id}/accept", response={200: TransferDetailOut, 422: ErrorOut}, tags=["transfers"])
def accept_transfer(request, transfer_id: int, body: AcceptIn):
    """The receiving side accepts: the membership moves on that day."""
    need(request, CHANGE)
    services.accept(request.user, transfer_id, on=body.on)
    return Status(200, _transfer(request, transfer_id))


@router.post("transfers/{int:transfer_id}/reject", response={200: TransferDetailOut, 422: ErrorOut}, tags=["transfers"])
def reject_transfer(request, transfer_id: int, body: RejectIn):
    need(request, CHANGE)
    services.reject(request.user, transfer_id, on=body.on, reason=body.reason)
    return Status(200, _transfer(request, transfer_id))


@router.post("transfers/{int:transfer_id}/cancel", response={200: TransferDetailOut, 422: ErrorOut}, tags=["transfers"])
def cancel_transfer(request, transfer_id: int, body: CancelIn):
    need(request, CHANGE)
    services.cancel(request.user, transfer_id, reason=body.reason)
    return Status(200, _transfer(request, transfer_id))


@router.get("lost-contacts", response={200: list[CaseOut], 422: ErrorOut}, tags=["lost-contacts"])
@paginate(BoundedLimitOffsetPagination)
def list_lost(request, filters: Query[CaseFilter]):
    """Members out of contact (党员教育管理工作条例 art. 24), with the decision each is waiting for."""
    need(request, VIEW)
    qs = LostContact.objects.visible_to(request.user, VIEW).select_related("person").order_by("last_contact_on", "id")
    return filters.apply(qs, request, VIEW)


def _case(request, case_id: int) -> LostContact:
    qs = LostContact.objects.select_related("person").prefetch_related(
        Prefetch("contacts", queryset=ContactAttempt.objects.order_by("-on", "-id")), "decisions"
    )
    return get_visible(qs, request.user, VIEW, pk=case_id)


@router.get("lost-contacts/{int:case_id}", response=CaseDetailOut, tags=["lost-contacts"])
def get_lost(request, case_id: int):
    need(request, VIEW)
    return _case(request, case_id)


@router.post("lost-contacts", response={201: CaseDetailOut, 422: ErrorOut}, tags=["lost-contacts"])
def open_lost(request, body: CaseIn):
    """Puts a current member of the scope on the list; a member outside the scope is 404."""
    need(request, CHANGE)
    case = lost.open_case(request.user, body.person_id, last_contact_on=body.last_contact_on, note=body.note)
    return Status(201, _case(request, case.pk))


@router.post(
    "lost-contacts/{int:case_id}/contacts", response={201: CaseDetailOut, 422: ErrorOut}, tags=["lost-contacts"]
)
def record_contact(request, case_id: int, body: AttemptIn):
    need(request, CHANGE)
    get_visible(LostContact.objects.all(), request.user, CHANGE, pk=case_id)
    lost.record_contact(request.user, case_id, on=body.on, method=body.method, reached=body.reached, note=body.note)
    return Status(201, _case(request, case_id))
