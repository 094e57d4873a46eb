"""The member's dues on their home page: the months of this year not paid in full, and what they paid this year."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.core import mine
from dangjian.core.contributions import HomeItem
from dangjian.people.models import Membership

from .ledger import PARTIAL, UNPAID, compute
from .months import month_range, month_start


def home_items(user, today: date) -> list[HomeItem]:
    """From January (or the month the member's dues start) to this month, read by the ledger's ``compute`` — the
    same months, amounts and reliefs as the member's dues page, in its four queries. The months before this one
    are late (《关于中国共产党党费收缴、使用和管理的规定》: 党员应按月交纳党费); this month is due."""
    person_id = mine.own_person_id(user)
    if person_id is None:
        return []
    this_month = month_start(today)
    members = Membership.objects.current().filter(person_id=person_id)
    lines = [line for month_lines in compute(members, month_range(date(today.year, 1, 1), this_month)).values()
             for line in month_lines]  # fmt: skip
    if not lines:
        return []  # not a party member: no dues
    link = reverse("dues:person", args=[person_id])
    out = []
    owed = sorted({line.month for line in lines if line.status in (UNPAID, PARTIAL)})
    if owed:
        amount = sum((max(Decimal("0"), line.balance) for line in lines if line.month in owed), Decimal("0"))
        values = {"months": _months(owed), "n": len(owed), "amount": f"{amount:.2f}"}
        out.append(
            HomeItem(
                "late" if owed[0] < this_month else "due",
                mine.MY_DUTIES,
                _("党费：%(months)s未交清（%(n)d个月，%(amount)s元）") % values,
                link,
                mine.SOURCE,
                more=link,
                order=mine.ORDER_DUTIES,
            )
        )
    paid = sum((line.paid for line in lines), Decimal("0"))
    out.append(
        HomeItem(
            "info",
            mine.MY_RECORD,
            _("%(year)d年已交党费 %(amount)s 元") % {"year": today.year, "amount": f"{paid:.2f}"},
            link,
            mine.SOURCE,
            more=link,
            order=mine.ORDER_RECORD,
        )
    )
    return out


def _months(months: list[date]) -> str:
    """Months of one year as runs: 1—3月、5月、7—12月."""
    runs: list[list[int]] = []
    for m in months:
        if runs and runs[-1][1] == m.month - 1:
            runs[-1][1] = m.month
        else:
            runs.append([m.month, m.month])
    return "、".join(f"{a}月" if a == b else f"{a}—{b}月" for a, b in runs)
