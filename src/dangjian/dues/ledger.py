"""What each member owes, has paid and still owes for given months, in bulk.

Four queries whatever the number of members: memberships in scope (with the day their party rights were
stopped, if ever), base rows, payments and approved reliefs touching the months. Everything else is Python
over those rows, so a month for 80,000 members stays a few seconds and a page's query count does not grow
with its branch.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from dangjian.people.models import Membership
from dangjian.people.models.membership import rights_restored_on, rights_stopped_from

from .models import DuesBase, DuesPayment, DuesRelief, PaymentKind, ReliefKind, ReliefStatus
from .months import add_months, month_start, months_between
from .rule_data import DUES_RULES
from .rules import FEN, dues_for

ZERO = Decimal("0.00")

NOT_STARTED, NO_BASE, WAIVED, PAID, PARTIAL, UNPAID = "not_started", "no_base", "waived", "paid", "partial", "unpaid"
STATUS_LABELS = {
    NOT_STARTED: _("未开始交纳"),
    NO_BASE: _("未设定基数"),
    WAIVED: _("免交"),
    PAID: _("已交清"),
    PARTIAL: _("未交足"),
    UNPAID: _("未交"),
}


@dataclass(slots=True)
class Line:
    """One member in one month. ``due`` is what the rule table says, ``relief`` what an approved relief takes off."""

    month: date
    person_id: int
    name: str
    branch_id: int
    branch_name: str
    account_id: int | None
    admitted_on: date | None
    category: str = ""
    base: Decimal | None = None
    due: Decimal | None = None
    explanation: str = ""
    citation: str = ""
    relief: Decimal = ZERO
    relief_kind: str = ""
    paid: Decimal = ZERO
    voluntary: Decimal = ZERO
    voluntary_to_centre: Decimal = ZERO
    status: str = UNPAID

    @property
    def net_due(self) -> Decimal:
        return (self.due or ZERO) - self.relief

    @property
    def balance(self) -> Decimal:
        """Still owed for the month (negative: paid more than owed)."""
        return self.net_due - self.paid

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def category_label(self) -> str:
        from .rules import CATEGORY_LABELS

        return CATEGORY_LABELS.get(self.category, "")


def start_month(admitted_on: date | None, joined_on: date | None = None) -> date | None:
    """Dues start in the month of the branch meeting that admitted the member (RULES.md §3, "dues.start").

    A member who came from an organisation outside the tree paid there until the transfer: here dues are
    owed from the month the relationship arrived (``joined_on``, the start of the person's first membership
    in the tree), so months paid to the old organisation are neither owed nor counted as arrears.
    """
    if admitted_on is None:
        return None
    return month_start(max(admitted_on, joined_on) if joined_on else admitted_on)


def joined_subquery(person_ref: str = "person_id") -> Subquery:
    """The start of the person's first membership in the tree (one correlated lookup on an indexed column)."""
    first = Membership.all_objects.filter(person_id=OuterRef(person_ref), deleted_at__isnull=True)
    return Subquery(first.order_by("started_on").values("started_on")[:1])


def shares(amount: Decimal, first: date, last: date) -> list[tuple[date, Decimal]]:
    """A payment spread evenly over its months to the fen; the last month takes the remainder."""
    n = months_between(first, last)
    each = (amount / n).quantize(FEN, rounding=ROUND_DOWN)
    out = [(add_months(first, i), each) for i in range(n - 1)]
    out.append((add_months(first, n - 1), amount - each * (n - 1)))
    return out


def _index(month: date) -> int:
    return month.year * 12 + month.month - 1


def compute(members: QuerySet, months: list[date]) -> dict[date, list[Line]]:
    """Lines per month for the current memberships in ``members`` (already limited to the user's scope)."""
    months = sorted({month_start(m) for m in months})
    if not months:
        return {}
    first, last = months[0], months[-1]
    end = add_months(last, 1)
    rows = list(
        members.filter(admitted_on__lt=end)
        .annotate(joined=joined_subquery(), stopped_from=rights_stopped_from(), restored_on=rights_restored_on())
        .order_by("organization__path", "person__sort_key", "person__name", "person_id")
        .values_list(
            "person_id",
            "person__name",
            "organization_id",
            "organization__name",
            "admitted_on",
            "person__dues_account__id",
            "person__dues_account__farmer_amount",
            "joined",
            "stopped_from",
            "restored_on",
        )
    )
    people = members.filter(admitted_on__lt=end).values("person_id")
    bases: dict[int, list[tuple[date, str, Decimal]]] = defaultdict(list)
    for account_id, month, category, base in (
        DuesBase.objects.filter(account__person_id__in=people, month__lt=end)
        .order_by("account_id", "month")
        .values_list("account_id", "month", "category", "monthly_base")
    ):
        bases[account_id].append((month, category, base))
    paid: dict[tuple[int, date], Decimal] = defaultdict(Decimal)
    voluntary: dict[tuple[int, date], Decimal] = defaultdict(Decimal)
    to_centre: dict[tuple[int, date], Decimal] = defaultdict(Decimal)
    threshold = DUES_RULES.value("dues.voluntary_central_threshold", last)
    payments = DuesPayment.objects.filter(account__person_id__in=people).filter(
        Q(kind=PaymentKind.REGULAR, month_from__lt=end, month_to__gte=first)
        | Q(kind=PaymentKind.VOLUNTARY, paid_on__gte=first, paid_on__lt=end)
    )
    wanted = {_index(m): m for m in months}
    split: dict[tuple[Decimal, int], tuple[Decimal, Decimal]] = {}
    for account_id, kind, amount, m_from, m_to, paid_on in payments.values_list(
        "account_id", "kind", "amount", "month_from", "month_to", "paid_on"
    ):
        if kind == PaymentKind.VOLUNTARY:
            key = (account_id, month_start(paid_on))
            voluntary[key] += amount
            if amount >= threshold:
                to_centre[key] += amount
            continue
        # the shares of ``shares`` without building them: every month ``each``, the last the remainder
        i_from, i_to = _index(m_from), _index(m_to)
        n = i_to - i_from + 1
        parts = split.get((amount, n))
        if parts is None:
            each = (amount / n).quantize(FEN, rounding=ROUND_DOWN)
            parts = split[(amount, n)] = (each, amount - each * (n - 1))
        for i in range(max(i_from, min(wanted)), min(i_to, max(wanted)) + 1):
            month = wanted.get(i)
            if month is not None:
                paid[(account_id, month)] += parts[1] if i == i_to else parts[0]
    reliefs: dict[int, list[tuple[date, date, str, Decimal | None]]] = defaultdict(list)
    for account_id, kind, m_from, m_to, amount in DuesRelief.objects.filter(
        account__person_id__in=people, status=ReliefStatus.APPROVED, month_from__lt=end, month_to__gte=first
    ).values_list("account_id", "kind", "month_from", "month_to", "monthly_amount"):
        reliefs[account_id].append((m_from, m_to, kind, amount))

    memo: dict[tuple, object] = {}
    out: dict[date, list[Line]] = {m: [] for m in months}
    # the hot loop (80,000 members a month): locals only, one Line built with all its values
    plan = [(m, add_months(m, 1), out[m].append) for m in months]
    no_history: tuple = ()
    for person_id, name, branch_id, branch_name, admitted_on, account_id, farmer_amount, joined, *stop in rows:
        history = bases.get(account_id, no_history) if account_id else no_history
        granted = reliefs.get(account_id) if reliefs else None
        owed_from = joined if joined and admitted_on and joined > admitted_on else admitted_on
        stopped_from, restored_on = stop
        for month, next_month, append in plan:
            if stopped_from is not None and _stopped_all_month(stopped_from, restored_on, month, next_month):
                continue  # 停止党籍 for the whole month: not on the month's list, nothing owed
            if owed_from is None or owed_from >= next_month:
                append(
                    Line(month, person_id, name, branch_id, branch_name, account_id, admitted_on, status=NOT_STARTED)
                )
                continue
            current = None
            for row in history:
                if row[0] <= month:
                    current = row
                else:
                    break
            key = (account_id, month)
            got = paid.get(key, ZERO)
            vol = voluntary.get(key, ZERO) if voluntary else ZERO
            centre = to_centre.get(key, ZERO) if voluntary else ZERO
            if current is None:
                append(
                    Line(
                        month, person_id, name, branch_id, branch_name, account_id, admitted_on,
                        paid=got, voluntary=vol, voluntary_to_centre=centre, status=PARTIAL if got else NO_BASE,
                    )
                )  # fmt: skip
                continue
            category, base = current[1], current[2]
            rule_key = (category, base, farmer_amount, month)
            result = memo.get(rule_key)
            if result is None:
                try:
                    result = dues_for(category, base, on=month, farmer_amount=farmer_amount)
                except ValueError:
                    result = dues_for(category, base, on=month)
                memo[rule_key] = result
            line = Line(
                month, person_id, name, branch_id, branch_name, account_id, admitted_on, category, base,
                result.amount, result.explanation, result.citation, ZERO, "", got, vol, centre,
                PAID if got >= result.amount else (PARTIAL if got else UNPAID),
            )  # fmt: skip
            if granted:
                _apply_relief(line, granted)
                _set_status(line)
            append(line)
    return out


def _stopped_all_month(stopped_from: date, restored_on: date | None, month: date, next_month: date) -> bool:
    """A member whose party rights are stopped (停止党籍, 党员教育管理工作条例 第24条) owes no dues and is off the
    month's list from the decision on. A month counts as a whole, as dues start in the month of admission
    (RULES.md §3): a month owes when the member had their rights on any day of it — the month of the decision
    unless taken on its first day, and the month of a restore decision (恢复党籍)."""
    return stopped_from <= month and (restored_on is None or restored_on >= next_month)


def _apply_relief(line: Line, reliefs) -> None:
    for m_from, m_to, kind, amount in reliefs:
        if m_from <= line.month <= m_to:
            line.relief_kind = kind
            if kind == ReliefKind.WAIVE:
                line.relief = line.due
            else:
                line.relief = max(ZERO, line.due - (amount or ZERO))
            return


def _set_status(line: Line) -> None:
    if line.relief_kind == ReliefKind.WAIVE:
        line.status = WAIVED
    elif line.paid >= line.net_due:
        line.status = PAID
    elif line.paid > 0:
        line.status = PARTIAL
    else:
        line.status = UNPAID


@dataclass
class Totals:
    members: int = 0
    due: Decimal = ZERO
    relief: Decimal = ZERO
    paid: Decimal = ZERO
    outstanding: Decimal = ZERO
    voluntary: Decimal = ZERO
    voluntary_to_centre: Decimal = ZERO
    unpaid_members: int = 0

    def add(self, line: Line) -> None:
        if line.status == NOT_STARTED:
            return
        self.members += 1
        self.due += line.due or ZERO
        self.relief += line.relief
        self.paid += line.paid
        self.outstanding += max(ZERO, line.balance)
        self.voluntary += line.voluntary
        self.voluntary_to_centre += line.voluntary_to_centre
        if line.status in (UNPAID, NO_BASE):
            self.unpaid_members += 1

    @property
    def net_due(self) -> Decimal:
        return self.due - self.relief


def paid_through(person_id: int) -> date | None:
    """The last month a regular payment of the person covers (for the "党费交至" line of a transfer letter)."""
    from django.db.models import Max

    last = DuesPayment.objects.filter(account__person_id=person_id, kind=PaymentKind.REGULAR).aggregate(
        m=Max("month_to")
    )
    return last["m"]
