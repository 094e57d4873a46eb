"""Importing care events from .xlsx: every bad row reported with row and column, all or nothing, dry run.

The file is read by ``dangjian.sheets`` (within the limits every import shares) and cells are parsed by the
roster's ``cells``, so dates, encodings and Excel's number-rounding of ID numbers are handled the same way
everywhere.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from dangjian.people.models import Person
from dangjian.people.roster.cells import CellError, id_text, is_blank, text, to_date
from dangjian.rules.services import holding
from dangjian.sheets import SheetError, find_header, read_rows
from dangjian.sheets.report import RowError, SheetReport

from .models import EventKind, EventSource
from .services import CHANGE, _record_event, check_event

SHEET = "关怀事件"
COLUMNS = ("姓名", "公民身份号码", "事件类型", "发生日期", "情况说明")
KIND_BY_LABEL = {str(label): value for value, label in EventKind.choices}


@dataclass
class EventImportReport(SheetReport):
    created: int = 0
    obligations: int = 0

    def done(self) -> str:
        values = {"rows": self.total_rows, "n": self.created}
        if self.dry_run:
            return _("预检完成：共%(rows)s行，将登记%(n)s个关怀事件") % values
        return _("导入完成：共%(rows)s行，已登记%(n)s个关怀事件") % values


def build_template() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(list(COLUMNS))
    ws.append(["张三", "110105198506150012", str(EventKind.ILLNESS.label), "2026-11-01", "住院手术"])
    for letter, width in zip("ABCDE", (12, 22, 24, 14, 40), strict=True):
        ws.column_dimensions[letter].width = width
    ws.column_dimensions["B"].number_format = "@"
    dv = DataValidation(type="list", formula1='"' + ",".join(KIND_BY_LABEL) + '"', allow_blank=False)
    dv.error = _("请从下拉列表选择事件类型")
    ws.add_data_validation(dv)
    dv.add("C2:C5000")
    notes = wb.create_sheet("说明")
    for line in (
        "1. 第1行为表头，请勿修改；从第2行起每行一个事件，第2行为示例，导入前请删除。",
        "2. 按公民身份号码匹配您管理范围内的职工，姓名须与系统一致。",
        "3. 事件类型：" + "、".join(KIND_BY_LABEL),
        "4. 任何一行有错误都不会写入数据，并列出所有错误的行号、列名和原因。",
    ):
        notes.append([line])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _rows(data: bytes, filename: str) -> list[tuple[int, dict]]:
    raw = read_rows(data, filename, sheet=SHEET)
    start = find_header(raw)
    if start is None:
        raise SheetError(_("文件为空：没有表头，也没有数据"))
    header = ["".join(text(v).split()).lstrip("*") for v in raw[start]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise SheetError(
            _("第%(row)s行表头不正确：缺少列%(missing)s。表头应为：%(columns)s")
            % {"row": start + 1, "missing": "".join(f"「{c}」" for c in missing), "columns": "、".join(COLUMNS)}
        )
    pos = {c: header.index(c) for c in COLUMNS}
    rows = []
    for i in range(start + 1, len(raw)):
        r = list(raw[i]) + [None] * len(header)
        cells = {c: r[p] for c, p in pos.items()}
        if not all(is_blank(v) for v in cells.values()):
            rows.append((i + 1, cells))
    if not rows:
        raise SheetError(_("文件中没有数据行"))
    return rows


def import_events(user, data: bytes, filename: str, *, dry_run: bool = False) -> EventImportReport:
    """Check every row first; write only when all are valid. ``SheetError`` for file-level problems."""
    rows = _rows(data, filename)
    report = EventImportReport(total_rows=len(rows), dry_run=dry_run)
    today = timezone.localdate()
    numbers = set()
    for _row, cells in rows:
        with contextlib.suppress(CellError):
            numbers.add(id_text(cells["公民身份号码"]).upper())
    people = {p.id_number.upper(): p for p in Person.objects.visible_to(user, CHANGE).filter(id_number__in=numbers)}
    plan = []
    for row, cells in rows:
        errors = []
        person = kind = occurred = None
        try:
            number = id_text(cells["公民身份号码"]).upper()
            person = people.get(number)
            if not number:
                errors.append(RowError(row, "公民身份号码", _("必填")))
            elif person is None:
                errors.append(RowError(row, "公民身份号码", _("您管理范围内没有该公民身份号码的职工"), number))
            elif text(cells["姓名"]) != person.name:
                message = _("与系统中的姓名「%(name)s」不一致") % {"name": person.name}
                errors.append(RowError(row, "姓名", message, text(cells["姓名"])))
        except CellError as exc:
            errors.append(RowError(row, "公民身份号码", str(exc)))
        label = text(cells["事件类型"])
        kind = KIND_BY_LABEL.get(label)
        if kind is None:
            message = _("无法识别，应为：%(kinds)s") % {"kinds": "、".join(KIND_BY_LABEL)}
            errors.append(RowError(row, "事件类型", message, label))
        try:
            occurred = to_date(cells["发生日期"])
            if occurred is None:
                errors.append(RowError(row, "发生日期", _("必填")))
            else:
                check_event(kind or EventKind.ILLNESS, occurred, today)
        except CellError as exc:
            errors.append(RowError(row, "发生日期", str(exc)))
        except Exception as exc:  # ValidationError from check_event
            errors.append(RowError(row, "发生日期", "；".join(getattr(exc, "messages", [str(exc)]))))
        report.errors.extend(errors)
        if not errors:
            plan.append((person, kind, occurred, text(cells["情况说明"])))
    if report.errors:
        report.cap_errors()
        return report
    report.created = len(plan)
    if dry_run:
        return report
    # the care list's terms read once for the whole file, not once per event
    with transaction.atomic(), holding():
        for person, kind, occurred, description in plan:
            event = _record_event(user, person, kind, occurred, description, EventSource.IMPORT)
            report.obligations += event.obligations.count()
    return report
