"""The hardship register (困难职工/党员帮扶台账) for other systems: the register, one entry with its support, and the
page's writes (register, record support, out of hardship, withdraw an entry recorded by mistake) through the same
service (``hardship``: rules, audit, scope).

The hardship itself (``reason``) is sensitive personal information (PIPL art. 28): it is answered only for one
entry, never in a list, as the care event's description.
"""

# No "from __future__ import annotations": django-ninja resolves these annotations when it builds the schema.
from datetime import date
from decimal import Decimal
from typing import Literal

from django.db.models import Count, Prefetch, Q, Sum
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangjian.api.common import BoundedLimitOffsetPagination, ErrorOut, ScopedFilter, need
from dangjian.core.scoping import get_visible

from . import hardship
from .models import HardshipEntry, Support, SupportKind
from .services import CHANGE, VIEW

router = Router(tags=["care"])


class EntryOut(Schema):
    id: int
    person_id: int
    name: str
    registered_on: date
    closed_on: date | None
    support_count: int
    support_total: Decimal

    @staticmethod
    def resolve_name(e: HardshipEntry) -> str:
        return e.person.name

    @staticmethod
    def resolve_support_total(e: HardshipEntry) -> Decimal:
        # in yuan and fen on every database (SQLite's SUM loses the column's two places)
        return Decimal(e.support_total or 0).quantize(Decimal("0.01"))


class SupportOut(Schema):
    id: int
    given_on: date
    kind: str
    amount: Decimal
    given_by: str
    note: str


class EntryDetailOut(EntryOut):
    reason: str
    supports: list[SupportOut]

    @staticmethod
    def resolve_supports(e: HardshipEntry) -> list:
        return list(e.supports.all())


class EntryFilter(ScopedFilter):
    q: str | None = Field(None, description="姓名包含")
    state: Literal["open"] | None = Field(None, description="open：尚未脱困")

    def filter_q(self, value: str | None) -> Q:
        return Q(person__name__contains=value.strip()) if value and value.strip() else Q()

    def filter_state(self, value: str | None) -> Q:
        return Q(closed_on__isnull=True) if value == "open" else Q()


class EntryIn(Schema):
    person_id: int
    registered_on: date
    reason: str = Field(..., description="困难情况")


class SupportIn(Schema):
    given_on: date
    kind: SupportKind
    amount: Decimal = Field(Decimal("0"), max_digits=10, decimal_places=2)
    given_by: str = Field(..., max_length=100)
    note: str = Field("", max_length=200)


class CloseIn(Schema):
    closed_on: date


class WithdrawIn(Schema):
    reason: str = Field(..., max_length=200, description="撤销原因")


def _entries():
    return HardshipEntry.objects.select_related("person").annotate(
        support_count=Count("supports"), support_total=Sum("supports__amount")
    )


def _entry(request, entry_id: int) -> HardshipEntry:
    supports = Prefetch("supports", queryset=Support.objects.order_by("-given_on", "-id"))
    return get_visible(_entries().prefetch_related(supports), request.user, VIEW, pk=entry_id)


@router.get("care/hardship", response={200: list[EntryOut], 422: ErrorOut})
@paginate(BoundedLimitOffsetPagination)
def list_entries(request, filters: Query[EntryFilter]):
    need(request, VIEW)
    qs = filters.apply(_entries().visible_to(request.user, VIEW), request, VIEW)
    return qs.order_by("-registered_on", "-id")


@router.get("care/hardship/{int:entry_id}", response=EntryDetailOut)
def get_entry(request, entry_id: int):
    need(request, VIEW)
    return _entry(request, entry_id)


@router.post("care/hardship", response={201: EntryDetailOut, 422: ErrorOut})
def register(request, body: EntryIn):
    """Registers a person in difficulty; one open entry per person."""
    need(request, CHANGE)
    entry = hardship.register(request.user, body.person_id, body.registered_on, body.reason)
    return Status(201, _entry(request, entry.pk))


@router.post("care/hardship/{int:entry_id}/supports", response={201: EntryDetailOut, 422: ErrorOut})
def add_support(request, entry_id: int, body: SupportIn):
    """Support given (a grant, goods, a visit…), on a day between the registration and today."""
    need(request, CHANGE)
    get_visible(HardshipEntry.objects.all(), request.user, CHANGE, pk=entry_id)
    hardship.add_support(request.user, entry_id, body.dict())
    return Status(201, _entry(request, entry_id))


@router.post("care/hardship/{int:entry_id}/close", response={200: EntryDetailOut, 422: ErrorOut})
def close_entry(request, entry_id: int, body: CloseIn):
    """Out of hardship (脱困): the entry leaves the open register, its support history stays."""
    need(request, CHANGE)
    get_visible(HardshipEntry.objects.all(), request.user, CHANGE, pk=entry_id)
    hardship.close_entry(request.user, entry_id, body.closed_on)
    return Status(200, _entry(request, entry_id))


@router.post("care/hardship/{int:entry_id}/withdraw", response={204: None, 422: ErrorOut})
def withdraw_entry(request, entry_id: int, body: WithdrawIn):
    """An entry recorded by mistake leaves the register and the totals; it is kept, never erased."""
    need(request, CHANGE)
    get_visible(HardshipEntry.objects.all(), request.user, CHANGE, pk=entry_id)
    hardship.withdraw_entry(request.user, entry_id, body.reason)
    return Status(204, None)
