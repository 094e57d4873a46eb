"""Dues for a finance system: accounts, the month ledger (what each member owes and paid), payments, arrears, and
recording a payment through the same service as the page (rule checks, audit, scope)."""

# No "from __future__ import annotations": django-ninja resolves these annotations when it builds the schema.
import re
from datetime import date
from decimal import Decimal
from typing import Annotated, ClassVar

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, FilterLookup, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangjian.api.common import BoundedLimitOffsetPagination, ErrorOut, ScopedFilter, in_subtree, need
from dangjian.core.scoping import get_visible
from dangjian.people.models import Membership

from . import services
from .arrears import arrears_queryset, arrears_rows
from .ledger import STATUS_LABELS, compute
from .models import DuesAccount, DuesBase, DuesPayment, PaymentKind, PaymentMethod
from .months import add_months, month_start

VIEW, CHANGE = services.VIEW, services.CHANGE

router = Router(tags=["dues"])


class AccountOut(Schema):
    id: int
    person_id: int
    name: str
    farmer_amount: Decimal | None
    note: str

    @staticmethod
    def resolve_name(a: DuesAccount) -> str:
        return a.person.name


class BaseOut(Schema):
    month: date
    category: str
    monthly_base: Decimal
    source: str


class PaymentOut(Schema):
    id: int
    person_id: int
    kind: str
    amount: Decimal
    month_from: date
    month_to: date
    method: str
    receipt_number: str
    paid_on: date
    note: str
    void: bool
    void_reason: str

    @staticmethod
    def resolve_person_id(p: DuesPayment) -> int:
        return p.account.person_id

    @staticmethod
    def resolve_void(p: DuesPayment) -> bool:
        return p.deleted_at is not None


class AccountDetailOut(AccountOut):
    bases: list[BaseOut]
    payments: list[PaymentOut]

    @staticmethod
    def resolve_bases(a: DuesAccount) -> list:
        return list(a.bases.all())

    @staticmethod
    def resolve_payments(a: DuesAccount) -> list:
        return list(a.payments.all())


class LineOut(Schema):
    month: date
    person_id: int
    name: str
    branch_id: int
    category: str
    base: Decimal | None
    due: Decimal | None
    relief: Decimal
    net_due: Decimal
    paid: Decimal
    voluntary: Decimal
    status: str
    citation: str


class ArrearsOut(Schema):
    person_id: int
    name: str
    branch_id: int
    branch_name: str
    first_unpaid: date
    last_month: date
    months: int
    citation: str


class OrgFilter(ScopedFilter):
    """An account or payment follows its person: the organisation filter keeps the people who are current members
    of that subtree (in the scope)."""

    organization: int | None = Field(None, description="党组织 id（含下级组织）")

    person_field: ClassVar[str] = "person_id"

    def filter_organization(self, value: int | None) -> Q:
        if not value:
            return Q()
        return Q(**{f"{self.person_field}__in": _members(self._request, value).values("person_id")})


class LedgerFilter(OrgFilter):
    month: str | None = Field(None, description="月份 YYYY-MM，默认本月")
    status: str | None = Field(None, description="、".join(STATUS_LABELS))


class PaymentFilter(OrgFilter):
    person: Annotated[int | None, FilterLookup("account__person_id")] = None
    paid_from: Annotated[date | None, FilterLookup("paid_on__gte")] = None
    paid_to: Annotated[date | None, FilterLookup("paid_on__lte")] = None

    person_field: ClassVar[str] = "account__person_id"


class PaymentIn(Schema):
    person_id: int
    kind: str = PaymentKind.REGULAR.value
    amount: Decimal = Field(..., max_digits=14, decimal_places=4)
    month_from: date | None = None
    month_to: date | None = None
    method: str = PaymentMethod.CASH.value
    receipt_number: str = ""
    paid_on: date
    note: str = ""


class _LedgerPages:
    """The month ledger as the paginator slices it: only the page's members are computed, so a page of the whole
    tree (80,000 members a month) costs what a branch's does. Ordered as ``compute`` orders its lines."""

    def __init__(self, members, month: date):
        self.members = members.filter(admitted_on__lt=add_months(month, 1))
        self.month = month

    def __len__(self) -> int:
        return self.members.count()

    def __getitem__(self, page: slice) -> list:
        ordered = self.members.order_by("organization__path", "person__sort_key", "person__name", "person_id")
        pks = list(ordered.values_list("pk", flat=True)[page])
        return compute(Membership.objects.filter(pk__in=pks), [self.month])[self.month]


class _ArrearsPages:
    """Members in arrears as the paginator slices them: the anti-joins find and count them in the database, the
    months unpaid are worked out for the page's members only. Ordered as ``arrears_rows`` orders its rows."""

    def __init__(self, members, today: date):
        self.found = arrears_queryset(members, today)
        self.today = today

    def __len__(self) -> int:
        return self.found.count()

    def __getitem__(self, page: slice) -> list:
        ordered = self.found.order_by("organization__path", "person__sort_key", "person__name", "person_id")
        pks = list(ordered.values_list("pk", flat=True)[page])
        return arrears_rows(Membership.objects.filter(pk__in=pks), self.today)


def _members(request, org_id: int | None):
    members = Membership.objects.current().visible_to(request.user, VIEW)
    return in_subtree(members, "organization", request, VIEW, org_id)


def _month(raw: str | None) -> date:
    if not raw:
        return month_start(timezone.localdate())
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", raw.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise ValidationError({"month": _("月份格式应为 YYYY-MM，如 2026-05")})
    return services.check_month(date(int(match[1]), int(match[2]), 1), "month")


@router.get("dues/accounts", response={200: list[AccountOut], 422: ErrorOut})
@paginate(BoundedLimitOffsetPagination)
def list_accounts(request, filters: Query[OrgFilter]):
    need(request, VIEW)
    qs = (
        DuesAccount.objects.visible_to(request.user, VIEW)
        .select_related("person")
        .order_by("person__sort_key", "person__name", "id")
    )
    return filters.apply(qs, request, VIEW)


@router.get("dues/accounts/{int:account_id}", response=AccountDetailOut)
def get_account(request, account_id: int):
    need(request, VIEW)
    qs = DuesAccount.objects.select_related("person").prefetch_related(
        Prefetch("bases", queryset=DuesBase.objects.order_by("-month")),
        Prefetch("payments", queryset=DuesPayment.all_objects.select_related("account").order_by("-paid_on", "-id")),
    )
    return get_visible(qs, request.user, VIEW, pk=account_id)


@router.get("dues/ledger", response={200: list[LineOut], 422: ErrorOut})
@paginate(BoundedLimitOffsetPagination)
def month_ledger(request, filters: Query[LedgerFilter]):
    """Each current member of the subtree in one month: category, base, due under the rule, relief, paid, status."""
    need(request, VIEW)
    month = _month(filters.month)
    if filters.status and filters.status not in STATUS_LABELS:
        raise ValidationError({"status": _("无效的状态：可用 %(codes)s") % {"codes": "、".join(STATUS_LABELS)}})
    members = _members(request, filters.organization)
    if not filters.status:
        return _LedgerPages(members, month)
    # a status is known only once computed: the whole subtree's month, as on the ledger page
    return [line for line in compute(members, [month])[month] if line.status == filters.status]


@router.get("dues/payments", response={200: list[PaymentOut], 422: ErrorOut})
@paginate(BoundedLimitOffsetPagination)
def list_payments(request, filters: Query[PaymentFilter]):
    need(request, VIEW)
    qs = DuesPayment.objects.visible_to(request.user, VIEW).select_related("account").order_by("-paid_on", "-id")
    return filters.apply(qs, request, VIEW)


@router.post("dues/payments", response={201: PaymentOut, 422: ErrorOut})
def record_payment(request, body: PaymentIn):
    """A regular payment for a span of months, or a voluntary extra payment; a member outside the scope is 404."""
    need(request, CHANGE)
    payment = services.record_payment(request.user, body.person_id, body.dict(exclude={"person_id"}))
    return Status(201, DuesPayment.objects.select_related("account").get(pk=payment.pk))


class VoidIn(Schema):
    reason: str


@router.post("dues/payments/{int:payment_id}/void", response={200: PaymentOut, 422: ErrorOut})
def void_payment(request, payment_id: int, body: VoidIn):
    """A wrong entry is voided with a reason; it stays in the account's history, never erased."""
    need(request, CHANGE)
    services.void_payment(request.user, payment_id, body.reason)
    return Status(200, DuesPayment.all_objects.select_related("account").get(pk=payment_id))


@router.get("dues/arrears", response={200: list[ArrearsOut], 422: ErrorOut})
@paginate(BoundedLimitOffsetPagination)
def list_arrears(request, filters: Query[OrgFilter]):
    """Members who paid nothing for 6 consecutive months (党员教育管理工作条例 art. 31)."""
    need(request, VIEW)
    return _ArrearsPages(_members(request, filters.organization), timezone.localdate())
