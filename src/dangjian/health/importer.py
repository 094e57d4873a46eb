"""``import_checkups``: read a checkup sheet, check every cell, then write every row or none.

One row = one person's checkup for the chosen year, found by 公民身份号码 and cross-checked by name. Every bad
value is reported with its Excel row and column header; persons outside the health officer's scope read as "not
found" (the same message as unknown numbers, so the import cannot probe who exists elsewhere). Re-importing a
person and year replaces that checkup in place. Audit events name the person, year and which fields were given,
never the values (PIPL art. 28).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.audit.services import record, record_many
from dangjian.crypto import ring
from dangjian.people.idcard import IdNumberError, parse_id_number
from dangjian.people.models import Person
from dangjian.people.roster.cells import CellError, id_text, is_blank, text, to_date
from dangjian.sheets import SheetError, capped_errors
from dangjian.sheets.report import RowError, SheetReport

from .fields import BOOL, BY_NAME, CHOICE, FIT_TEXT, NO, NUMBER, YES
from .layout import Layout
from .models import Checkup, Consent
from .sheet import Sheet, read_sheet
from .units import UnitError, to_canonical

VALUES = "health.values"
CHUNK = 2000


@dataclass
class CheckupReport(SheetReport):
    year: int
    filename: str = ""
    created: int = 0
    replaced: int = 0
    without_consent: int = 0

    def as_dict(self) -> dict:
        data = asdict(self)
        data["ok"], data["summary"] = self.ok, self.summary()
        return data

    def done(self) -> str:
        values = {"rows": self.total_rows, "created": self.created, "replaced": self.replaced, "year": self.year}
        if self.dry_run:
            text_ = _("预检完成：共%(rows)s行，将新增%(created)s份、将替换%(replaced)s份%(year)s年度体检结果") % values
        else:
            text_ = _("导入完成：共%(rows)s行，已新增%(created)s份、已替换%(replaced)s份%(year)s年度体检结果") % values
        if self.without_consent:
            text_ += _("；其中%(n)s人未登记%(year)s年度知情同意，筛查时不纳入") % {
                "n": self.without_consent,
                "year": self.year,
            }
        return text_


@dataclass
class _Row:
    number: int
    person: Person
    checked_on: date
    values: dict[str, Any]


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise CellError(_("应填写数字"))
    if isinstance(value, int | float):
        return float(value)
    raw = text(value).replace("，", ".").replace(",", ".")
    try:
        number = float(raw)
    except ValueError:
        raise CellError(_("「%(value)s」不是数字") % {"value": raw}) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise CellError(_("「%(value)s」不是数字") % {"value": raw})
    return number


def _cell(field_name: str, value: Any, unit: str) -> Any:
    kind = BY_NAME[field_name].kind
    if kind == NUMBER:
        try:
            return to_canonical(field_name, _number(value), unit)
        except UnitError as exc:
            raise CellError(str(exc)) from None
    raw = text(value).strip().lower()
    if kind == BOOL:
        if raw in YES:
            return True
        if raw in NO:
            return False
        raise CellError(_("「%(value)s」无法识别，请填写“是”或“否”") % {"value": text(value)})
    if kind == CHOICE:
        if raw in FIT_TEXT:
            return FIT_TEXT[raw]
        raise CellError(_("「%(value)s」无法识别，请填写“阳性”或“阴性”") % {"value": text(value)})
    raise AssertionError(kind)


def _positions(sheet: Sheet, layout: Layout) -> dict[str, int]:
    wanted = {"_id": layout.id_header, "_name": layout.name_header, "_date": layout.date_header}
    wanted.update({c.field: c.header for c in layout.columns})
    positions, missing = {}, []
    for key, header in wanted.items():
        pos = sheet.position(header)
        if pos is None:
            missing.append(header)
        else:
            positions[key] = pos
    if missing:
        raise SheetError(
            _("第%(row)s行表头中找不到列%(missing)s：请使用导入模板，或选择/新建与该表格对应的列映射")
            % {"row": sheet.header_row, "missing": "".join(f"「{h}」" for h in missing)}
        )
    if not any(c.field in positions for c in layout.columns):
        raise SheetError(_("列映射中没有任何体检项目列"))
    return positions


def _people(user, numbers: set[str]) -> dict[str, Person]:
    """Persons with these ID numbers inside the user's health scope (others are simply absent)."""
    base = Person.objects.visible_to(user, VALUES) if user is not None else Person.objects.all()
    found: dict[str, Person] = {}
    ordered = sorted(numbers)
    for i in range(0, len(ordered), CHUNK):
        for p in base.filter(id_number__in=ordered[i : i + CHUNK]).only("pk", "name", "id_number"):
            found[p.id_number] = p
    return found


def validate(sheet: Sheet, layout: Layout, *, year: int, user, today: date) -> tuple[list[_Row], list[RowError]]:
    pos = _positions(sheet, layout)
    errors: list[RowError] = []
    numbers: dict[int, str] = {}
    for row_no, cells in sheet.rows:
        try:
            raw = id_text(cells[pos["_id"]])
            if not raw:
                raise CellError(_("请填写公民身份号码"))
            numbers[row_no] = parse_id_number(raw, today=today).number
        except (CellError, IdNumberError) as exc:
            errors.append(RowError(row_no, layout.id_header, str(exc), text(cells[pos["_id"]])))
    people = _people(user, set(numbers.values()))
    seen: dict[str, int] = {}
    rows: list[_Row] = []
    for row_no, cells in sheet.rows:
        before = len(errors)
        number = numbers.get(row_no)
        person = people.get(number) if number else None
        if number and person is None:
            errors.append(RowError(row_no, layout.id_header, _("系统中没有该人员，或该人员不在您的管理范围内"), number))
        if number and number in seen:
            message = _("与第%(row)s行是同一人：每人每年只能有一行") % {"row": seen[number]}
            errors.append(RowError(row_no, layout.id_header, message, number))
        elif number:
            seen[number] = row_no
        name = text(cells[pos["_name"]])
        if not name:
            errors.append(RowError(row_no, layout.name_header, _("请填写姓名")))
        elif person is not None and "".join(name.split()) != "".join(person.name.split()):
            message = _("姓名「%(name)s」与公民身份号码对应的人员「%(person)s」不符") % {
                "name": name,
                "person": person.name,
            }
            errors.append(RowError(row_no, layout.name_header, message, name))
        checked_on = None
        try:
            checked_on = to_date(cells[pos["_date"]])
            if checked_on is None:
                raise CellError(_("请填写体检日期"))
            if checked_on.year != year:
                raise CellError(
                    _("体检日期 %(date)s 不在所选的%(year)s年度内") % {"date": f"{checked_on:%Y-%m-%d}", "year": year}
                )
            if checked_on > today:
                raise CellError(_("体检日期不能晚于今天"))
        except CellError as exc:
            errors.append(RowError(row_no, layout.date_header, str(exc), text(cells[pos["_date"]])))
        values: dict[str, Any] = {}
        for column in layout.columns:
            value = cells[pos[column.field]]
            if is_blank(value):
                continue
            try:
                values[column.field] = _cell(column.field, value, column.unit)
            except CellError as exc:
                errors.append(RowError(row_no, column.header, str(exc), text(value)))
        if len(errors) == before and person is not None and checked_on is not None:
            rows.append(_Row(row_no, person, checked_on, values))
    return rows, errors


def import_checkups(data: bytes, filename: str, layout: Layout, *, year: int, user, dry_run: bool, job=None):
    """Check the whole file; unless ``dry_run`` or any error, write all rows in one transaction."""
    today = timezone.localdate()
    sheet = read_sheet(data, filename)
    rows, errors = validate(sheet, layout, year=year, user=user, today=today)
    kept, more = capped_errors(errors)
    report = CheckupReport(
        year=year, filename=filename, dry_run=dry_run, total_rows=len(sheet.rows), errors=kept, more_errors=more
    )
    if errors:
        return report
    ids = {r.person.pk for r in rows}
    # Whole-year reads filtered in Python: no IN list of thousands of ids (SQLite's parameter limit).
    consented = set(Consent.objects.active().filter(year=year).values_list("person_id", flat=True))
    report.without_consent = len(ids - consented)
    if dry_run:
        replaced = set(Checkup.objects.filter(year=year).values_list("person_id", flat=True)) & ids
        report.created, report.replaced = len(rows) - len(replaced), len(replaced)
        return report
    with transaction.atomic():
        year_rows = Checkup.objects.select_for_update().filter(year=year).defer("ciphertext")
        existing = {c.person_id: c for c in year_rows if c.person_id in ids}
        report.created, report.replaced = len(rows) - len(existing), len(existing)
        _write(rows, existing, year=year, user=user, job=job)
        record(
            "import",
            object_type_label="health.checkup",
            object_repr=f"体检结果导入：{filename}"[:200],
            detail={
                "file": filename,
                "year": year,
                "rows": len(rows),
                "created": report.created,
                "replaced": report.replaced,
            },
        )
    return report


def _write(rows: list[_Row], existing: dict[int, Checkup], *, year: int, user, job) -> None:
    c = ring()
    now = timezone.now()
    new, changed, entries = [], [], []
    for row in rows:
        checkup = existing.get(row.person.pk)
        action = "update" if checkup else "create"
        if checkup is None:
            checkup = Checkup(person=row.person, year=year)
            new.append(checkup)
        else:
            changed.append(checkup)
        checkup.checked_on, checkup.source = row.checked_on, Checkup.Source.IMPORT
        checkup.import_job, checkup.recorded_by = job, user
        checkup.set_values(row.values, using=c)
        checkup.updated_at = now
        entries.append((action, checkup, row))
    Checkup.objects.bulk_create(new, batch_size=500)
    Checkup.objects.bulk_update(
        changed,
        ["checked_on", "source", "import_job", "recorded_by", "key_id", "ciphertext", "updated_at"],
        batch_size=500,
    )
    record_many(
        [
            {
                "action": action,
                "obj": checkup,
                "object_repr": f"{row.person.name} {year}年度体检结果",
                "detail": {
                    "year": year,
                    "checked_on": row.checked_on.isoformat(),
                    "fields": sorted(row.values),
                    "replaced": action == "update",
                    "key_id": checkup.key_id,
                },
            }
            for action, checkup, row in entries
        ]
    )
