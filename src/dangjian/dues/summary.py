"""Monthly and yearly dues summaries per branch and for the whole subtree, and the finance office's .xlsx."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .arrears import arrears_queryset
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
    ordered = sorted(branches.values(), key=lambda b: b.branch_name)
    return Summary(title, sorted(months), ordered, total, sum(counts.values()))


def month_summary(members: QuerySet, month: date) -> Summary:
    return summarize(members, [month], f"{label(month)}党费汇总")


def year_summary(members: QuerySet, year: int, today: date) -> Summary:
    last = min(date(year, 12, 1), date(today.year, today.month, 1))
    return summarize(members, month_range(date(year, 1, 1), last), f"{year}年党费汇总")


LEDGER_HEADERS = (
    "党支部",
    "姓名",
    "月份",
    "党费类别",
    "月缴费基数",
    "应交（元）",
    "计算依据",
    "减免（元）",
    "实交（元）",
    "欠交（元）",
    "状态",
    "自愿多交（元）",
    "其中全额上缴中央（元）",
)
SUMMARY_HEADERS = ("党支部", "党员数", "应交", "减免", "实交", "欠交", "自愿多交", "其中上缴中央", "连续6个月未交人数")


def export_xlsx(lines: list[Line], summary: Summary) -> bytes:
    """Two sheets for the finance office: each member's line and the per-branch totals with a total row."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("党费明细")
    ws.append([_bold(ws, h) for h in LEDGER_HEADERS])
    for line in lines:
        if line.status == NOT_STARTED:
            continue
        ws.append(
            [
                line.branch_name,
                line.name,
                label(line.month),
                line.category_label,
                line.base,
                line.due,
                f"{line.explanation}（{line.citation}）" if line.explanation else "",
                line.relief,
                line.paid,
                max(line.balance, 0),
                str(line.status_label),
                line.voluntary,
                line.voluntary_to_centre,
            ]
        )
    ws2 = wb.create_sheet("汇总")
    ws2.append([_bold(ws2, summary.title)])
    ws2.append([_bold(ws2, h) for h in SUMMARY_HEADERS])
    for b in summary.branches:
        ws2.append(_summary_row(b.branch_name, b.totals, b.in_arrears))
    ws2.append(_summary_row("合计", summary.total, summary.in_arrears))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _summary_row(name: str, t: Totals, arrears: int) -> list:
    return [name, t.members, t.due, t.relief, t.paid, t.outstanding, t.voluntary, t.voluntary_to_centre, arrears]


def _bold(ws, value):
    cell = WriteOnlyCell(ws, value=value)
    cell.font = Font(bold=True)
    return cell
