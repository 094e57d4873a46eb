"""Monthly and yearly dues summaries per branch and for the whole subtree, and the finance office's .xlsx."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, QuerySet
from django.utils.translation import gettext

from dangjian.core.collation import name_key
from dangjian.sheets.writer import AMOUNT, INTEGER, Book, Column

from .arrears import arrears_months, arrears_queryset
from .ledger import NOT_STARTED, Line, Totals, compute
from .months import add_months, label, month_range


@dataclass
class BranchSummary:
    branch_id: int
    branch_name: str
    totals: Totals = field(default_factory=Totals)
    in_arrears: int = 0


@dataclass
class Summary:
    title: str
    months: list[date]
    branches: list[BranchSummary]
    total: Totals
    in_arrears: int
    # the rule's number of unpaid months in a row (dues.arrears_months) on the day arrears are counted
    arrears_months: int


def summarize(members: QuerySet, months: list[date], title: str) -> Summary:
    """Totals per branch over ``months``; members in arrears as of the end of the last month."""
    by_month = compute(members, months)
    branches: dict[int, BranchSummary] = {}
    total = Totals()
    for lines in by_month.values():
        for line in lines:
            if line.status == NOT_STARTED:
                continue
            entry = branches.setdefault(line.branch_id, BranchSummary(line.branch_id, line.branch_name))
            entry.totals.add(line)
            total.add(line)
    as_of = add_months(max(months), 1)
    counts = dict(arrears_queryset(members, as_of).order_by().values_list("organization_id").annotate(n=Count("id")))
    for branch_id, n in counts.items():
        if branch_id in branches:
            branches[branch_id].in_arrears = n
    ordered = sorted(branches.values(), key=lambda b: name_key(b.branch_name))
    n = arrears_months(as_of)
    return Summary(title, sorted(months), ordered, total, sum(counts.values()), n)


def month_summary(members: QuerySet, month: date) -> Summary:
    return summarize(members, [month], f"{label(month)}党费汇总")


def year_summary(members: QuerySet, year: int, today: date) -> Summary:
    last = min(date(year, 12, 1), date(today.year, today.month, 1))
    return summarize(members, month_range(date(year, 1, 1), last), f"{year}年党费汇总")


# Widths for one landscape A4 page across (about 160 characters at the scale the sheet is fitted to): the headers
# wrap, the amounts keep their width. 计算依据 is the member's own computation; the rule it applies is cited once
# under the table and referred to by its number (［1］), not repeated on every row.
DETAIL_COLUMNS = (
    Column("党支部", 18),
    Column("姓名", 8),
    Column("月份", 10),
    Column("党费类别", 9),
    Column("月缴费基数", 11, AMOUNT),
    Column("应交（元）", 9, AMOUNT),
    Column("计算依据", 50),
    Column("减免（元）", 9, AMOUNT),
    Column("实交（元）", 9, AMOUNT),
    Column("欠交（元）", 9, AMOUNT),
    Column("状态", 7),
    Column("自愿多交（元）", 9, AMOUNT),
    Column("其中全额上缴中央（元）", 10, AMOUNT),
)


def summary_columns(arrears_months: int, months: int = 1) -> tuple[Column, ...]:
    """The per-branch columns; the last one counts the members unpaid for the rule's months in a row.

    The count of the second column is of members' months owed (one per member and month): over one month the
    number of members, over several the person-months (应交人月) — 12 members for a year are 144, not 144 members.
    """
    count = Column(gettext("党员数") if months == 1 else gettext("应交人月"), 9, INTEGER)
    arrears = Column(gettext("连续%(n)d个月未交人数") % {"n": arrears_months}, 12, INTEGER)
    return (_SUMMARY_COLUMNS[0], count, *_SUMMARY_COLUMNS[1:], arrears)


def summary_headers(arrears_months: int, months: int = 1) -> tuple[str, ...]:
    return tuple(c.header for c in summary_columns(arrears_months, months))


_SUMMARY_COLUMNS = (
    Column("党支部", 26),
    Column("应交", 12, AMOUNT),
    Column("减免", 12, AMOUNT),
    Column("实交", 12, AMOUNT),
    Column("欠交", 12, AMOUNT),
    Column("自愿多交", 12, AMOUNT),
    Column("其中上缴中央", 12, AMOUNT),
)
DETAIL_HEADERS = tuple(c.header for c in DETAIL_COLUMNS)


def export_xlsx(lines: list[Line], summary: Summary) -> bytes:
    """Two sheets for the finance office: each member's line and the per-branch totals with a total row."""
    book = Book()
    detail = book.list_sheet("党费明细", f"{summary.title}（明细）", DETAIL_COLUMNS)
    citations: dict[str, int] = {}  # each rule cited, numbered in the order the rows first meet it
    for line in lines:
        if line.status == NOT_STARTED:
            continue
        explanation = ""
        if line.explanation:
            n = citations.setdefault(line.citation, len(citations) + 1) if line.citation else None
            explanation = f"{line.explanation}［{n}］" if n else line.explanation
        detail.append(
            [
                line.branch_name,
                line.name,
                label(line.month),
                line.category_label,
                line.base,
                line.due,
                explanation,
                line.relief,
                line.paid,
                max(line.balance, 0),
                str(line.status_label),
                line.voluntary,
                line.voluntary_to_centre,
            ]
        )
    for citation, n in citations.items():
        detail.note(gettext("［%(n)d］计算依据：%(citation)s") % {"n": n, "citation": citation})
    totals = book.list_sheet("汇总", summary.title, summary_columns(summary.arrears_months, len(summary.months)))
    for b in summary.branches:
        totals.append(_summary_row(b.branch_name, b.totals, b.in_arrears))
    totals.append(_summary_row("合计", summary.total, summary.in_arrears), numbered=False)
    return book.to_bytes()


def _summary_row(name: str, t: Totals, arrears: int) -> list:
    return [name, t.members, t.due, t.relief, t.paid, t.outstanding, t.voluntary, t.voluntary_to_centre, arrears]
