"""The plan's documents, assembled from the records (GB/T 9704 layout, A4, ``core.paper``): the plan itself
(党建工作要点, with its 文号, items by category and their 四落实), the year-end summary (年度工作总结: the figures
of 同考核, the summary text, each item's final progress) and the ledger of its deployments (.xlsx).

Each is built in a constant number of queries whatever the number of items and deployments.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import paper
from dangjian.sheets.writer import DATE, INTEGER, Book, Column

from . import figures
from .models import Deployment, DeploymentStatus, PlanItem, WorkPlan
from .queries import attach_latest, with_deployments

CN_NUMBERS = "一二三四五六七八九十"
LEDGER = (
    Column("类别", 12),
    Column("工作事项", 30),
    Column("责任单位", 24),
    Column("责任人", 10),
    Column("工作措施", 36),
    Column("完成时限", 12, DATE),
    Column("状态", 8),
    Column("完成日期", 12, DATE),
    Column("最新进度（%）", 10, INTEGER),
    Column("推进情况", 36),
)
# the 四落实 of an item's deployments (mm of the 156 mm type area at 五号): a unit of twelve characters on one line
PLAN_HEADERS = ("责任单位", "责任人", "工作措施", "完成时限")
PLAN_WIDTHS = (46, 18, 70, 22)
SUMMARY_HEADERS = ("责任单位", "责任人", "完成时限", "状态", "最新进度")
SUMMARY_WIDTHS = (44, 16, 22, 14, 60)


def _cn(n: int) -> str:
    """一 … 十, 十一 … 九十九 (the numbers of headings); Arabic digits past that."""
    if 1 <= n <= 10:
        return CN_NUMBERS[n - 1]
    if 11 <= n <= 99:
        tens, ones = divmod(n, 10)
        return (CN_NUMBERS[tens - 1] if tens > 1 else "") + "十" + (CN_NUMBERS[ones - 1] if ones else "")
    return str(n)


def _day(d: date | None) -> str:
    return paper.cn_date(d) if d else "—"


def _short(d: date | None, year: int) -> str:
    """A date in a table of the plan of ``year``: 6月30日 in that year (the title names it), in full otherwise."""
    if d is None:
        return "—"
    return f"{d.month}月{d.day}日" if d.year == year else paper.cn_date(d)


def _clause(text: str) -> str:
    """A measure as a clause of a sentence or a cell: without its own full stop (措施：…。；完成时限 reads double)."""
    return (text or "").strip().rstrip("。；;，,")


def _items(plan: WorkPlan) -> list[PlanItem]:
    deployments = Deployment.objects.filter(item__plan=plan)
    items = list(with_deployments(plan.items.order_by("order", "pk"), deployments))
    attach_latest(items)
    return items


def _by_category(items: list[PlanItem]) -> OrderedDict[str, list[PlanItem]]:
    groups: OrderedDict[str, list[PlanItem]] = OrderedDict()
    for item in items:
        groups.setdefault(item.category or _("其他工作"), []).append(item)
    return groups


def plan_docx(plan: WorkPlan) -> bytes:
    """The plan as issued: the 版头 with its 文号 when it has one, the title, items by category with what they
    serve and the table of their deployments (四落实: unit, person, measure, deadline)."""
    document = paper.new_document()
    issuer = paper.party_name(plan.organization.name)
    if plan.doc_no:
        paper.letterhead(document, issuer, plan.doc_no)
    paper.title(document, plan.title)
    if plan.parent_id:
        paper.paragraph(document, _("根据《%(parent)s》，结合本单位实际，制定本计划。") % {"parent": plan.parent.title})
    groups = _by_category(_items(plan))
    if not groups:
        paper.paragraph(document, _("本计划尚未列入工作事项。"))
    for n, (category, items) in enumerate(groups.items(), 1):
        paper.heading(document, f"{_cn(n)}、{category}")
        for i, item in enumerate(items, 1):
            paper.subheading(document, f"（{_cn(i)}）{item.title}")
            if item.content:
                paper.paragraph(document, item.content)
            serves = [x.name for x in item.lines.all()] + [x.name for x in item.projects.all()]
            if serves:
                paper.paragraph(document, _("服务主业和重点任务：%(s)s。") % {"s": "、".join(serves)})
            rows = [
                (d.organization.name, d.responsible.name, _clause(d.measure), _short(d.deadline, plan.year))
                for d in item.shown
                if d.status != DeploymentStatus.CANCELLED
            ]
            if rows:
                paper.table(document, PLAN_HEADERS, rows, widths=PLAN_WIDTHS, numeric=(1, 3))
    paper.signature(document, issuer, _day(plan.published_on or timezone.localdate()))
    return paper.to_bytes(document)


def _progress(d: Deployment) -> str:
    if d.status == DeploymentStatus.DONE:
        return _("已于%(d)s完成") % {"d": _day(d.completed_on)}
    if d.latest is None:
        return _("未报告")
    return f"{d.latest.percent}%：{d.latest.content}"


def summary_docx(plan: WorkPlan) -> bytes:
    """The year-end summary: the figures read from the records, the summary text, each item's final progress."""
    today = timezone.localdate()
    as_of = min(date(plan.year, 12, 31), today)
    items = _items(plan)
    c = figures.counts(Deployment.objects.filter(item__plan=plan), plan.year, as_of)
    r = figures.rates(c)
    document = paper.new_document()
    paper.title(document, _("%(org)s%(year)d年党建工作总结") % {"org": plan.organization.name, "year": plan.year})
    paper.heading(document, _("一、总体情况"))
    cancelled = sum(1 for i in items for d in i.shown if d.status == DeploymentStatus.CANCELLED)
    paper.paragraph(
        document,
        _(
            "《%(title)s》共列工作事项%(items)d项，部署%(deployments)d项（次），截至%(as_of)s已完成%(done)d项，"
            "完成率%(completion)s；按时完成%(on_time)d项，按时完成率%(on_time_rate)s；超期未完成%(overdue)d项；"
            "取消%(cancelled)d项。"
        )
        % {
            "title": plan.title,
            "items": len(items),
            "deployments": c["deployments"],
            "as_of": paper.cn_date(as_of),
            "done": c["done"],
            "completion": "—" if r["completion"] is None else f"{r['completion']}%",
            "on_time": c["on_time"],
            "on_time_rate": "—" if r["on_time"] is None else f"{r['on_time']}%",
            "overdue": c["overdue"],
            "cancelled": cancelled,
        },
    )
    paper.heading(document, _("二、主要工作"))
    text = (plan.summary or "").strip()
    for para in [p for p in text.splitlines() if p.strip()] or [_("（尚未填写年度工作总结。）")]:
        paper.paragraph(document, para.strip())
    paper.heading(document, _("三、各工作事项推进情况"))
    if not items:
        paper.paragraph(document, _("本计划没有工作事项。"))
    for i, item in enumerate(items, 1):
        paper.subheading(document, f"（{_cn(i)}）{item.title}")
        live = [d for d in item.shown if d.status != DeploymentStatus.CANCELLED]
        if not live:
            paper.paragraph(document, _("未部署。"))
            continue
        rows = [
            (
                d.organization.name,
                d.responsible.name,
                _short(d.deadline, plan.year),
                d.get_status_display(),
                _progress(d),
            )
            for d in live
        ]
        paper.table(document, SUMMARY_HEADERS, rows, widths=SUMMARY_WIDTHS, numeric=(1, 2, 3), split=True)
    paper.signature(document, paper.party_name(plan.organization.name), paper.cn_date(today))
    return paper.to_bytes(document)


def deployments_xlsx(plan: WorkPlan, deployments) -> bytes:
    """The plan's deployments (those the user sees) as a ledger: one row each, with the latest progress."""
    book = Book()
    sheet = book.list_sheet("任务部署", _("%(title)s任务部署台账") % {"title": plan.title}, LEDGER)
    rows = list(
        deployments.select_related("item", "organization", "responsible").order_by(
            "item__order", "item_id", "deadline", "pk"
        )
    )
    from .queries import latest_reports

    latest = latest_reports(d.pk for d in rows)
    for d in rows:
        report = latest.get(d.pk)
        sheet.append(
            [
                d.item.category,
                d.item.title,
                d.organization.name,
                d.responsible.name,
                d.measure,
                d.deadline,
                str(d.get_status_display()),
                d.completed_on,
                report.percent if report else None,
                report.content if report else "",
            ]
        )
    return book.to_bytes()
