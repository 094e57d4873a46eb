"""The 党费 section of the ledger: the monthly collection as the branch posts it (党费收缴公示) and the yearly summary.

Both read the dues app's month ledger (``ledger.compute``: what each member owed, had taken off by an approved
relief and paid, month by month, for the members on the organisation's rolls), over the months of the year up to
the current one, so the figures are those of the ledger and summary pages:

- 党费收缴情况（按月）: each month, the members who owed dues, the amounts due, relieved and paid, the members not
  paid up and the rate of collection (paid over due after relief), with the year's total;
- 党费收缴年度汇总: each member's year — due, relief, paid, outstanding, voluntary payments, months paid up.

The dues app records payments, not the day a month's collection was posted, so the ledger prints no publication
date. Gaps: months a branch owed dues and recorded no payment at all (the month's collection was not entered), and
the members unpaid for the rule's months in a row (党员教育管理工作条例 第31条: 6; rule ``dues.arrears_months``).
Four queries to render (the month ledger's), six for the gaps.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core import paper
from dangjian.core.contributions import DocumentPart, LedgerGap, Period
from dangjian.core.ledger_parts import gaps_of
from dangjian.orgs.models import Organization
from dangjian.people.models import Membership
from dangjian.rules import services as rule_store

from .arrears import arrears_rows
from .ledger import NO_BASE, NOT_STARTED, PARTIAL, UNPAID, Line, Totals, compute
from .months import label, month_range

SECTION = "dues"
OWING = (UNPAID, PARTIAL, NO_BASE)
MONTH_HEADERS = (
    _("月份"),
    _("应交人数"),
    _("应交（元）"),
    _("减免（元）"),
    _("实交（元）"),
    _("未交清人数"),
    _("收缴率"),
)
MONTH_WIDTHS = (24, 19, 25, 22, 25, 21, 20)  # mm
MEMBER_HEADERS = (
    _("序号"),
    _("姓名"),
    _("党支部"),
    _("应交（元）"),
    _("减免（元）"),
    _("实交（元）"),
    _("欠交（元）"),
    _("自愿多交（元）"),
    _("交清月数"),
)
MEMBER_WIDTHS = (10, 16, 28, 19, 17, 19, 17, 17, 13)  # mm: 12345.67 stays on one line


def months_of(period: Period, today: date) -> list[date]:
    """The months of the year up to the current one (none for a year not begun)."""
    last = min(date(period.end.year, 12, 1), date(today.year, today.month, 1))
    first = date(period.start.year, 1, 1)
    return month_range(first, last) if first <= last else []


def year_lines(organization: Organization, period: Period, today: date) -> dict[date, list[Line]]:
    """The month ledger of the organisation's members over the year's months (four queries)."""
    months = months_of(period, today)
    if not months:
        return {}
    members = Membership.objects.current().filter(organization__in=Organization.objects.subtree(organization.path))
    return compute(members, months)


def _rate(t: Totals) -> str:
    due = t.net_due
    return f"{(t.paid / due * 100).quantize(Decimal('0.1'))}%" if due > 0 else "—"


def _totals_row(name: str, t: Totals, owing: int) -> list[Any]:
    return [name, t.members, paper.money(t.due), paper.money(t.relief), paper.money(t.paid), owing, _rate(t)]


@dataclass(frozen=True)
class MonthlyCollection(DocumentPart):
    section: str = SECTION
    key: str = "dues.months"
    title: Any = _("党费收缴情况（按月）")
    order: int = 10

    def render(self, organization: Organization, period: Period, document: Any) -> None:
        if self.title:
            paper.subheading(document, str(self.title))
        by_month = year_lines(organization, period, timezone.localdate())
        rows, year = [], Totals()
        for month, lines in sorted(by_month.items()):
            owing = [line for line in lines if line.status != NOT_STARTED]
            if not owing:
                continue
            t = Totals()
            for line in owing:
                t.add(line)
                year.add(line)
            rows.append(_totals_row(str(label(month)), t, sum(1 for line in owing if line.status in OWING)))
        if not rows:
            paper.paragraph(document, str(_("本年度无党费记录。")))
            return
        rows.append(_totals_row(str(_("全年合计")), year, sum(r[5] for r in rows)))
        paper.table(document, MONTH_HEADERS, rows, widths=MONTH_WIDTHS, numeric=range(1, len(MONTH_HEADERS)))
        paper.paragraph(
            document,
            str(
                _(
                    "应交人数为各月应交党费的在册党员人数，全年合计为人月数；收缴率为实交金额占应交金额（扣除减免）的"
                    "比例；未交清人数含未设定缴费基数的党员。"
                )
            ),
        )

    def gaps(self, organization: Organization, period: Period) -> list[LedgerGap]:
        """Complete months in which a branch owed dues and recorded no payment (the month's collection missing)."""
        today = timezone.localdate()
        current = date(today.year, today.month, 1)
        owed: dict[tuple[int, date], bool] = {}
        paid: dict[tuple[int, date], Decimal] = defaultdict(Decimal)
        names: dict[int, str] = {}
        for month, lines in year_lines(organization, period, today).items():
            if month >= current:
                continue
            for line in lines:
                if line.status == NOT_STARTED:
                    continue
                key = (line.branch_id, month)
                names[line.branch_id] = line.branch_name
                owed[key] = owed.get(key, False) or line.net_due > 0
                paid[key] += line.paid
        missing = sorted(
            (key for key, owes in owed.items() if owes and not paid[key]), key=lambda k: (names[k[0]], k[1])
        )
        return gaps_of(
            SECTION,
            missing,
            _("%(branch)s%(month)s无党费收缴记录"),
            lambda key: {"branch": names[key[0]], "month": label(key[1])},
            lambda key: reverse("dues:collection", args=[key[0]]) + f"?month={key[1]:%Y-%m}",
            lambda key: _month_end(key[1]),
        )


def _month_end(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


@dataclass(frozen=True)
class YearlySummary(DocumentPart):
    section: str = SECTION
    key: str = "dues.year"
    title: Any = _("党费收缴年度汇总")
    order: int = 20

    def render(self, organization: Organization, period: Period, document: Any) -> None:
        if self.title:
            paper.subheading(document, str(self.title))
        people: dict[int, tuple[str, str, Totals, list[int]]] = {}
        for _month, lines in sorted(year_lines(organization, period, timezone.localdate()).items()):
            for line in lines:
                if line.status == NOT_STARTED:
                    continue
                entry = people.setdefault(line.person_id, (line.name, line.branch_name, Totals(), [0]))
                entry[2].add(line)
                if line.status not in OWING:
                    entry[3][0] += 1
        if not people:
            paper.paragraph(document, str(_("本年度无党费记录。")))
            return
        rows = []
        total = Totals()
        for n, (name, branch, t, months) in enumerate(people.values(), start=1):
            rows.append(
                [
                    n,
                    name,
                    branch,
                    paper.money(t.due),
                    paper.money(t.relief),
                    paper.money(t.paid),
                    paper.money(t.outstanding),
                    paper.money(t.voluntary),
                    f"{months[0]}/{t.members}",
                ]
            )
            for field in ("members", "due", "relief", "paid", "outstanding", "voluntary"):
                setattr(total, field, getattr(total, field) + getattr(t, field))
        rows.append(
            [
                "",
                str(_("合计")),
                str(_("%(n)d人")) % {"n": len(people)},
                paper.money(total.due),
                paper.money(total.relief),
                paper.money(total.paid),
                paper.money(total.outstanding),
                paper.money(total.voluntary),
                "",
            ]
        )
        headers, widths, numeric = list(MEMBER_HEADERS), list(MEMBER_WIDTHS), (0, 3, 4, 5, 6, 7, 8)
        if len({branch for _name, branch, _t, _m in people.values()}) == 1:
            # a branch's own ledger: the 党支部 column would repeat the cover on every line
            headers.pop(2), widths.pop(2)
            rows = [row[:2] + row[3:] for row in rows]
            rows[-1][1] = str(_("合计（%(n)d人）")) % {"n": len(people)}
            numeric = (0, 2, 3, 4, 5, 6, 7)
        paper.table(document, headers, rows, widths=widths, numeric=numeric)
        paper.paragraph(document, str(_("“交清月数”为本年度已交清或免交的月数／应交党费的月数。")))

    @rule_store.holding()
    def gaps(self, organization: Organization, period: Period) -> list[LedgerGap]:
        """Members unpaid for the rule's months in a row, as of today (or the first day after the year)."""
        as_of = min(timezone.localdate(), period.end + timedelta(days=1))
        members = Membership.objects.current().filter(organization__in=Organization.objects.subtree(organization.path))
        return gaps_of(
            SECTION,
            arrears_rows(members, as_of),
            _("%(name)s（%(branch)s）自%(first)s起连续%(n)d个月未交纳党费"),
            lambda a: {"name": a.name, "branch": a.branch_name, "first": label(a.first_unpaid), "n": a.months},
            lambda a: reverse("dues:person", args=[a.person_id]),
            lambda a: _month_end(a.last_month),
        )


MONTHS = MonthlyCollection()
YEAR = YearlySummary()
