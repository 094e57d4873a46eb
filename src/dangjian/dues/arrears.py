"""Members who have paid nothing for the rule's months in a row (教育管理条例 art. 31: 6; rule "dues.arrears_months").

A month counts as unpaid when no regular payment covers it and no approved waiver does; the months counted
end with the last complete month (the current month is not late yet) and start no earlier than the month
the member was admitted, or arrived in the tree from outside (``ledger.start_month``). One query: the last
paid and last waived month come from correlated subqueries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from dangjian.core.ruletable import Rule
from dangjian.people.models import Membership
from dangjian.people.models.membership import rights_stopped
from dangjian.rules import services as rule_store

from .ledger import joined_subquery, start_month
from .models import DuesPayment, DuesRelief, PaymentKind, ReliefKind, ReliefStatus
from .months import add_months, month_start, months_between
from .rule_data import DUES_RULES


@dataclass(frozen=True)
class Arrears:
    person_id: int
    name: str
    branch_id: int
    branch_name: str
    first_unpaid: date
    last_month: date
    months: int
    citation: str


ARREARS_MONTHS = "dues.arrears_months"


def arrears_rule(today: date) -> Rule:
    """The months-in-a-row rule in force ``today`` (党章 第九条, then 党员教育管理工作条例 第31条: 6), read through the
    rule store: the window, the counts and the words that name the months ("连续6个月") follow one value. A request
    reads the store once."""
    return rule_store.table(DUES_RULES).rule(ARREARS_MONTHS, today)


def arrears_months(today: date) -> int:
    return int(arrears_rule(today).value)


def window(today: date) -> tuple[date, date, int]:
    """(first month of the window, last complete month, window length) for ``today``."""
    n = arrears_months(today)
    last = add_months(month_start(today), -1)
    return add_months(last, -(n - 1)), last, n


def arrears_queryset(members: QuerySet, today: date) -> QuerySet:
    """Current memberships from ``members`` with at least the rule's number of unpaid months in a row.

    The window test is two anti-joins (NOT EXISTS), which the database answers for the whole tree at once;
    the last paid and last waived months are then read only for the members found.
    """
    first, last, _n = window(today)
    regular = DuesPayment.objects.filter(
        account__person_id=OuterRef("person_id"), kind=PaymentKind.REGULAR, month_from__lte=last
    )
    waivers = DuesRelief.objects.filter(
        account__person_id=OuterRef("person_id"),
        kind=ReliefKind.WAIVE,
        status=ReliefStatus.APPROVED,
        month_from__lte=last,
    )
    arrived = Membership.all_objects.filter(person_id=OuterRef("person_id"), deleted_at__isnull=True)
    return (
        # 停止党籍 (党员教育管理工作条例 第24条) on any day of the window or since: the months of the stop are not
        # owed, and the lost-contact procedure (not the dues arrears) handles the member
        members.filter(~rights_stopped(first, until=today), admitted_on__lt=add_months(first, 1))
        # arrived in the tree before the window: a semi-join, which the planner keeps as cheap as the anti-joins
        .filter(Exists(arrived.filter(started_on__lt=add_months(first, 1))))
        .filter(~Exists(regular.filter(month_to__gte=first)), ~Exists(waivers.filter(month_to__gte=first)))
        .annotate(
            last_paid=Subquery(regular.order_by("-month_to").values("month_to")[:1]),
            last_waived=Subquery(waivers.order_by("-month_to").values("month_to")[:1]),
            joined=joined_subquery(),
        )
    )


@rule_store.holding()
def arrears_rows(members: QuerySet, today: date, limit: int | None = None) -> list[Arrears]:
    first, last, _n = window(today)
    citation = arrears_rule(today).citation
    qs = arrears_queryset(members, today).order_by(
        "organization__path", "person__sort_key", "person__name", "person_id"
    )
    if limit is not None:
        qs = qs[:limit]
    out = []
    for person_id, name, branch_id, branch_name, admitted_on, joined, last_paid, last_waived in qs.values_list(
        "person_id",
        "person__name",
        "organization_id",
        "organization__name",
        "admitted_on",
        "joined",
        "last_paid",
        "last_waived",
    ):
        starts = [start_month(admitted_on, joined)]
        starts += [add_months(month_start(m), 1) for m in (last_paid, last_waived) if m is not None]
        since = max(starts)
        out.append(Arrears(person_id, name, branch_id, branch_name, since, last, months_between(since, last), citation))
    return out
