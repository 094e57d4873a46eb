"""Key tasks in and out of Excel: the ledger export of the list, the import template and the import.

The business systems (科研管理、生产管理) export their task lists; the office maps them to these columns and
imports them. All or nothing: every row is checked first and every bad cell reported with its Excel row and
column; a file with one bad row writes nothing. A row whose 任务编号 already exists updates that task (the
report says how many), a new 任务编号 creates one.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from dangjian.audit.services import record, snapshot
from dangjian.orgs.models import Department, Organization
from dangjian.people.models import Person
from dangjian.people.roster.cells import CellError, id_text, is_blank, text, to_date
from dangjian.sheets import SheetError, find_header, read_rows
from dangjian.sheets.report import RowError, SheetReport
from dangjian.sheets.writer import DATE, Book, Column

from .business import MANAGE, check_project, lines_for
from .models import Project, ProjectKind, ProjectStatus

SHEET = "重点任务"
CODE, NAME, KIND, KEY, LINE, STAGE = "任务编号", "任务名称", "类别", "是否重点", "主业", "环节"
DEPARTMENT, LEADER, ORG, ORGS, STATUS = "承担部门", "负责人", "责任党组织", "参与党组织", "状态"
STARTS, ENDS, DESCRIPTION = "开始日期", "计划完成日期", "任务简介"
COLUMNS = (CODE, NAME, KIND, KEY, LINE, STAGE, DEPARTMENT, LEADER, ORG, ORGS, STATUS, STARTS, ENDS, DESCRIPTION)
REQUIRED = (CODE, NAME, ORG, STARTS)
KIND_BY_LABEL = {str(label): value for value, label in ProjectKind.choices}
STATUS_BY_LABEL = {str(label): value for value, label in ProjectStatus.choices}
YES, NO = ("是", "Y", "YES", "1", "TRUE", "重点"), ("否", "N", "NO", "0", "FALSE", "一般")
SEPARATORS = re.compile(r"[、,，;；\s]+")


# --- export ----------------------------------------------------------------------------------------------------


EXPORT_COLUMNS = (
    Column(CODE, 16),
    Column(NAME, 30),
    Column(KIND, 10),
    Column("重点", 6),
    Column(LINE, 20),  # 检测认证与技术服务 on one line
    Column(STAGE, 14),
    Column(DEPARTMENT, 18),
    Column(LEADER, 10),
    Column(ORG, 22),  # 时间频率计量室党支部
    Column(ORGS, 30),  # wraps
    Column(STATUS, 8),
    Column(STARTS, 12, DATE),
    Column(ENDS, 12, DATE),
)


def export_projects(projects: Iterable[Project], title: str) -> bytes:
    """The list as printed: title, header, one row per task (A4 landscape, header repeated on each page)."""
    book = Book()
    sheet = book.list_sheet(SHEET, title, EXPORT_COLUMNS)
    for p in projects:
        sheet.append(
            [
                p.code,
                p.name,
                p.get_kind_display(),
                _("是") if p.key else _("否"),
                p.line.name if p.line else "",
                p.stage.name if p.stage else "",
                p.department.name if p.department else "",
                p.leader.name if p.leader else "",
                p.organization.name,
                "、".join(o.name for o in p.organizations.all()),
                p.get_status_display(),
                p.starts_on,
                p.ends_on,
            ]
        )
    return book.to_bytes()


def build_template() -> bytes:
    book = Book()
    columns = [Column(c, 30 if c in (NAME, DESCRIPTION) else 16, required=c in REQUIRED) for c in COLUMNS]
    sheet = book.list_sheet(SHEET, _("重点任务导入模板"), columns, numbered=False)
    sheet.append(
        [
            "KY-2027-001",
            "高精度计量装置研制",
            str(ProjectKind.RESEARCH.label),
            "是",
            "测试仪器研制",
            "方案",
            "D1",
            "110105198506150012",
            "T011",
            "T012、T02",
            str(ProjectStatus.ACTIVE.label),
            "2027-01-01",
            "2027-12-31",
            "示例行，导入前请删除",
        ]
    )
    notes = [
        [_("1. 第2行为表头，请勿修改；红色列为必填。从第3行起每行一项任务，示例行导入前请删除。")],
        [_("2. 任务编号已存在的行将更新该任务，新的任务编号将新建任务；参与党组织按本文件重新设置。")],
        [
            _("3. 类别：%(kinds)s；状态：%(statuses)s；是否重点：是或否（空白为是）。")
            % {"kinds": "、".join(KIND_BY_LABEL), "statuses": "、".join(STATUS_BY_LABEL)}
        ],
        [_("4. 主业填代码或名称；环节填该主业下的环节名称；承担部门填部门代码；负责人填公民身份号码或工号。")],
        [_("5. 责任党组织、参与党组织填党组织代码，多个参与党组织以“、”分隔。")],
        [_("6. 任何一行有错误都不会写入数据，并列出所有错误的行号、列名和原因。")],
    ]
    book.notes(_("说明"), _("填写说明"), notes)
    return book.to_bytes()


# --- import ----------------------------------------------------------------------------------------------------


@dataclass
class ProjectImportReport(SheetReport):
    created: int = 0
    updated: int = 0
    updated_codes: list[str] = field(default_factory=list)

    def done(self) -> str:
        values = {"rows": self.total_rows, "created": self.created, "updated": self.updated}
        if self.dry_run:
            return (
                _("预检通过：共%(rows)s行，将新建%(created)s项任务，更新%(updated)s项已有任务（按任务编号匹配）")
                % values
            )
        return _("导入完成：共%(rows)s行，新建%(created)s项任务，更新%(updated)s项已有任务（按任务编号匹配）") % values


def _rows(data: bytes, filename: str) -> list[tuple[int, dict[str, Any]]]:
    raw = read_rows(data, filename, sheet=SHEET)
    start = find_header(raw)
    if start is None:
        raise SheetError(_("文件为空：没有表头，也没有数据"))
    header = ["".join(text(v).split()).lstrip("*") for v in raw[start]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise SheetError(
            _("第%(row)s行表头不正确：缺少列%(missing)s。表头应为：%(columns)s")
            % {"row": start + 1, "missing": "".join(f"「{c}」" for c in missing), "columns": "、".join(COLUMNS)}
        )
    pos = {c: header.index(c) for c in COLUMNS if c in header}
    rows = []
    for i in range(start + 1, len(raw)):
        r = list(raw[i]) + [None] * len(header)
        cells = {c: r[pos[c]] if c in pos else None for c in COLUMNS}
        if not all(is_blank(v) for v in cells.values()):
            rows.append((i + 1, cells))
    if not rows:
        raise SheetError(_("文件中没有数据行"))
    return rows


class _Lookups:
    """Everything a file's rows name, read in a constant number of queries before any row is checked."""

    def __init__(self, user, rows: list[tuple[int, dict[str, Any]]]):
        codes, org_codes, dept_codes, people_keys = set(), set(), set(), set()
        for _row, cells in rows:
            codes.add(text(cells[CODE]))
            org_codes.add(text(cells[ORG]))
            org_codes.update(c for c in SEPARATORS.split(text(cells[ORGS])) if c)
            dept_codes.add(text(cells[DEPARTMENT]))
            with contextlib.suppress(CellError):
                people_keys.add(id_text(cells[LEADER]).upper())
        self.existing = {p.code: p for p in Project._base_manager.filter(code__in=codes - {""})}
        self.managed = set(Project.objects.visible_to(user, MANAGE).filter(code__in=codes).values_list("pk", flat=True))
        self.orgs = {o.code: o for o in Organization.objects.visible_to(user, MANAGE).filter(code__in=org_codes)}
        self.lines = list(lines_for(user).prefetch_related("stages"))
        self.departments = {d.code: d for d in Department.objects.filter(code__in=dept_codes - {""})}
        people = Person.objects.visible_to(user, "people.view").filter(
            Q(id_number__in=people_keys) | Q(employee_no__in=people_keys)
        )
        self.people: dict[str, Person] = {}
        for p in people:
            self.people[p.id_number.upper()] = p
            if p.employee_no:
                self.people.setdefault(p.employee_no.upper(), p)

    def line(self, value: str):
        return next((x for x in self.lines if x.code == value), None) or next(
            (x for x in self.lines if x.name == value), None
        )


def _date(cells, column: str, errors: list[RowError], row: int) -> date | None:
    try:
        return to_date(cells[column])
    except CellError as exc:
        errors.append(RowError(row, column, str(exc), text(cells[column])))
    return None


def _check_row(row: int, cells: dict[str, Any], look: _Lookups, seen: set[str]) -> tuple[list[RowError], dict]:
    errors: list[RowError] = []
    out: dict[str, Any] = {}

    def bad(column: str, message: str) -> None:
        errors.append(RowError(row, column, message, text(cells[column])))

    code = text(cells[CODE])
    if not code:
        bad(CODE, _("必填"))
    elif len(code) > 60:
        bad(CODE, _("不能超过60个字符"))
    elif code in seen:
        bad(CODE, _("与前面的行重复"))
    else:
        seen.add(code)
        existing = look.existing.get(code)
        if existing is not None and existing.deleted_at is not None:
            bad(CODE, _("该任务编号属于已删除的任务，请换一个编号"))
        elif existing is not None and existing.pk not in look.managed:
            bad(CODE, _("该任务编号已被您管理范围以外的任务使用"))
        out["existing"] = existing
    out["code"] = code
    name = text(cells[NAME])
    if not name:
        bad(NAME, _("必填"))
    elif len(name) > 200:
        bad(NAME, _("不能超过200个字符"))
    out["name"] = name
    kind = text(cells[KIND])
    out["kind"] = KIND_BY_LABEL.get(kind) if kind else ProjectKind.RESEARCH
    if out["kind"] is None:
        bad(KIND, _("无法识别，应为：%(kinds)s") % {"kinds": "、".join(KIND_BY_LABEL)})
    key = text(cells[KEY]).upper()
    out["key"] = True if not key or key in YES else False if key in NO else None
    if out["key"] is None:
        bad(KEY, _("应填“是”或“否”"))
    line_value = text(cells[LINE])
    line = look.line(line_value) if line_value else None
    if line_value and line is None:
        bad(LINE, _("没有该代码或名称的主业"))
    out["line"], out["stage"] = line, None
    stage_value = text(cells[STAGE])
    if stage_value:
        if not line_value:
            bad(STAGE, _("填写环节时须同时填写主业"))
        elif line is not None:
            out["stage"] = next((s for s in line.stages.all() if s.name == stage_value and not s.deleted_at), None)
            if out["stage"] is None:
                bad(STAGE, _("主业「%(line)s」下没有该环节") % {"line": line.name})
    dept = text(cells[DEPARTMENT])
    out["department"] = look.departments.get(dept) if dept else None
    if dept and out["department"] is None:
        bad(DEPARTMENT, _("没有该代码的部门"))
    out["leader"] = None
    try:
        leader_key = id_text(cells[LEADER]).upper()
        if leader_key:
            out["leader"] = look.people.get(leader_key)
            if out["leader"] is None:
                bad(LEADER, _("您管理范围内没有该公民身份号码或工号的人员"))
    except CellError as exc:
        bad(LEADER, str(exc))
    org_code = text(cells[ORG])
    out["organization"] = look.orgs.get(org_code)
    if not org_code:
        bad(ORG, _("必填"))
    elif out["organization"] is None:
        bad(ORG, _("您管理范围内没有该代码的党组织"))
    others = []
    for c in (c for c in SEPARATORS.split(text(cells[ORGS])) if c):
        org = look.orgs.get(c)
        if org is None:
            bad(ORGS, _("您管理范围内没有代码为「%(code)s」的党组织") % {"code": c})
        elif org != out["organization"] and org not in others:
            others.append(org)
    out["organizations"] = others
    status = text(cells[STATUS])
    out["status"] = STATUS_BY_LABEL.get(status) if status else ProjectStatus.ACTIVE
    if out["status"] is None:
        bad(STATUS, _("无法识别，应为：%(statuses)s") % {"statuses": "、".join(STATUS_BY_LABEL)})
    out["starts_on"] = _date(cells, STARTS, errors, row)
    if out["starts_on"] is None and not any(e.column == STARTS for e in errors):
        bad(STARTS, _("必填"))
    out["ends_on"] = _date(cells, ENDS, errors, row)
    if out["starts_on"] and out["ends_on"] and out["ends_on"] < out["starts_on"]:
        bad(ENDS, _("计划完成日期不能早于开始日期"))
    out["description"] = text(cells[DESCRIPTION])
    return errors, out


def import_projects(user, data: bytes, filename: str, *, dry_run: bool = False) -> ProjectImportReport:
    """Check every row first; write only when all are valid. ``SheetError`` for file-level problems."""
    rows = _rows(data, filename)
    report = ProjectImportReport(total_rows=len(rows), dry_run=dry_run)
    look = _Lookups(user, rows)
    seen: set[str] = set()
    plan = []
    for row, cells in rows:
        errors, values = _check_row(row, cells, look, seen)
        report.errors.extend(errors)
        if not errors:
            plan.append(values)
    if report.errors:
        report.cap_errors()
        return report
    report.updated_codes = [v["code"] for v in plan if v["existing"] is not None]
    report.updated = len(report.updated_codes)
    report.created = len(plan) - report.updated
    if dry_run:
        return report
    with transaction.atomic():
        for values in plan:
            _write(user, values)
    return report


def _write(user, values: dict[str, Any]) -> None:
    existing = values.pop("existing")
    others = values.pop("organizations")
    if existing is None:
        project, before = Project(), None
    else:
        project = Project.objects.select_for_update().get(pk=existing.pk)
        before = snapshot(project)
    for name, value in values.items():
        setattr(project, name, value)
    check_project(project)
    project.full_clean()
    project.save()
    project.organizations.set(others)
    detail = {"source": "import", "organizations": [o.pk for o in others]}
    record("create" if before is None else "update", project, before=before, after=snapshot(project), detail=detail)
