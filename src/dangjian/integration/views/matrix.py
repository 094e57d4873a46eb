"""The integration matrix (融合矩阵) page: a heat map of the year's key tasks and stages against the carriers of
party work, its cells' carriers (drill-down), the gaps (key tasks with no active carrier) and its .xlsx ledger."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from dangjian.accounts.scope import has_perm
from dangjian.core.downloads import attachment
from dangjian.core.paging import paginate
from dangjian.core.ruletable import EARLIEST
from dangjian.core.scoping import require_perm
from dangjian.sheets.writer import INTEGER, Book, Column

from .. import active
from ..active import CODES, LABELS, VIEW
from ..matrix import IntegrationMatrix, Row, build, carriers, describe, members_per_task, parse_row, people_pairs
from ..models import BusinessLine, ProcessStage

ROWS_PER_PAGE = 50
CARRIERS_PER_PAGE = 50
GAPS_SHOWN = 50
MANAGE = "integration.manage"
# the carrier pages of the other parts, by column (a name not yet routed gives no link)
DETAIL = {
    active.MODEL_POST: "integration:post_detail",
    active.ZONE: "integration:zone_detail",
    active.COMMANDO: "integration:taskforce_detail",
    active.TACKLING: "integration:taskforce_detail",
    active.PLEDGE: "integration:pledge_detail",
    active.JOINT: "integration:joint_detail",
    active.ACTIVITY: "meetings:detail",
}


def year_of(request: HttpRequest) -> int:
    """The year asked for (1949–2100), this year otherwise."""
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and EARLIEST.year <= int(raw) <= 2100 else timezone.localdate().year


def band(n: int) -> int:
    """The heat map's colour band of a count (CSS classes heat-0 … heat-4)."""
    if n <= 0:
        return 0
    if n == 1:
        return 1
    if n <= 3:
        return 2
    if n <= 9:
        return 3
    return 4


def _line_of(request: HttpRequest) -> int | None:
    raw = request.GET.get("line", "")
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def _cells(matrix: IntegrationMatrix, rows: list[Row]) -> list[tuple[Row, str]]:
    """Each row's cells as HTML, written here rather than by the template: a page of 50 rows has 400 cells, and
    every value in them is a number or a column code (nothing a user typed)."""
    base = reverse("integration:matrix_cell")
    out = []
    for r in rows:
        cells = []
        for c, n in r.cells():
            inner = (
                f'<a href="{base}?year={matrix.year}&amp;row={r.id}&amp;column={c}">{n}</a>'
                if n
                else ('<span class="muted">0</span>')
            )
            cells.append(f'<td class="heat heat-{band(n)}" data-column="{c}">{inner}</td>')
        out.append((r, mark_safe("".join(cells))))  # noqa: S308 - numbers and fixed codes only
    return out


@require_perm(VIEW)
def matrix(request: HttpRequest) -> HttpResponse:
    year, line_id = year_of(request), _line_of(request)
    m = build(year, request.user, line_id)
    page = paginate(request, m.rows, ROWS_PER_PAGE, keep={"year": year, "line": line_id or ""})
    rows = list(page.object_list)
    members = members_per_task(year, request.user, [r.project_id for r in rows if r.project_id])
    for r in rows:
        r.members = members.get(r.project_id, 0) if r.project_id else None  # type: ignore[attr-defined]
    gaps = m.gaps
    return render(
        request,
        "integration/matrix.html",
        {
            "year": year,
            "line_id": line_id,
            "lines": BusinessLine.objects.all(),
            "columns": [(c, LABELS[c]) for c in CODES],
            "page": page,
            "rows": _cells(m, rows),
            "coverage": m.coverage,
            "gaps": gaps[:GAPS_SHOWN],
            "gaps_more": max(0, len(gaps) - GAPS_SHOWN),
            "office": has_perm(request.user, MANAGE),
        },
    )


def _detail_url(code: str, pk: int) -> str:
    try:
        return reverse(DETAIL[code], args=[pk]) if code in DETAIL else reverse("life:contact_points")
    except NoReverseMatch:
        return ""


@require_perm(VIEW)
def matrix_cell(request: HttpRequest) -> HttpResponse:
    """The carriers of one cell: a column, and a task or a stage's work without a task (or the whole column)."""
    year, code = year_of(request), request.GET.get("column", "")
    if code not in CODES:
        raise Http404(_("对象不存在"))
    raw = request.GET.get("row", "")
    row = parse_row(raw) if raw else None
    if raw and row is None:
        raise Http404(_("对象不存在"))
    heading = ""
    qs = carriers(code, year, request.user, row)
    if row is not None:
        kind, pk = row
        # a stage is the institute's; a task is named to those who see it or one of its carriers in this column
        found = ProcessStage.objects.filter(pk=pk) if kind == "s" else active.key_tasks(year).filter(pk=pk)
        heading = next(iter(found.values_list("name", flat=True)), None)
        seen = kind == "s" or active.key_tasks(year, request.user).filter(pk=pk).exists() or qs.exists()
        if not seen:
            heading = None
        if heading is None:
            raise Http404(_("对象不存在"))
    page = paginate(request, qs, CARRIERS_PER_PAGE)
    items = [describe(code, c) for c in page.object_list]
    for item in items:
        item["url"] = detail_url(code, item["object"])
    return render(
        request,
        "integration/matrix_cell.html",
        {"year": year, "code": code, "label": LABELS[code], "heading": heading, "page": page, "items": items},
    )


@require_perm(VIEW)
def matrix_export(request: HttpRequest) -> HttpResponse:
    """The matrix as a printable ledger (A4 landscape): a row per task or stage, a column per carrier kind."""
    year, line_id = year_of(request), _line_of(request)
    m = build(year, request.user, line_id)
    members: dict[int, set[int]] = {}
    for task, person in people_pairs(year, request.user):
        members.setdefault(task, set()).add(person)
    columns = [
        Column(_("主业"), 20),  # 检测认证与技术服务
        Column(_("业务流程环节"), 14),
        Column(_("任务编号"), 17),  # XH-2026-JLJZ-004
        Column(_("重点任务"), 30),
        *(Column(str(LABELS[c]), 9, INTEGER) for c in CODES),
        Column(_("合计"), 7, INTEGER),
        Column(_("参与人数"), 8, INTEGER),
    ]
    book = Book()
    sheet = book.list_sheet(_("融合矩阵"), _("%(year)d年党建与业务融合矩阵") % {"year": year}, columns)
    sheet.ws.page_setup.orientation = "landscape"
    for r in m.rows:
        people = len(members.get(r.project_id, ())) if r.project_id else None
        project = r.project if r.is_task else _("（本环节，不含具体任务）")
        sheet.append([r.line, r.stage, r.code, project, *(n for _c, n in r.cells()), r.total, people])
    c = m.coverage
    rate = "—" if c["rate"] is None else f"{c['rate']}%"
    sheet.note(
        _("重点任务 %(tasks)d 项，有党建载体的 %(with)d 项，覆盖率 %(rate)s。")
        % {"tasks": c["key_tasks"], "with": c["with_carrier"], "rate": rate}
    )
    return attachment(book.to_bytes(), _("%(year)d年融合矩阵.xlsx") % {"year": year})


def detail_url(code: str, c: Any) -> str:
    return _detail_url(code, c.meeting_id if code == active.ACTIVITY else c.pk)
