"""Payroll deduction (工资代扣): the finance office's list of dues deducted from pay, recorded as payments.

One row a member and a month: 姓名, 身份证号后6位 or 工号 (to tell namesakes apart), 月份, 金额. Like every import
(``dangjian.sheets``): the file is read within the shared limits, every row is checked before anything is written,
every bad row is reported with its row and column, and the file is written all or nothing. A dry run previews
the payments.

An amount different from what the member owes for the month is refused, not taken with a warning: the rule
computes the amount from the member's base, so a different deduction means the base (or the deduction) is
wrong, and the base is corrected first (the pay-sheet import) so that the ledger and the deduction agree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dangjian.people.models import Membership, Person
from dangjian.people.roster.cells import CellError, id_text, is_blank, text
from dangjian.sheets import SheetError, find_header, read_rows
from dangjian.sheets.report import RowError, SheetReport
from dangjian.sheets.writer import AMOUNT, TEXT, Book, Column

from . import services
from .collection import CollectionRow, lock_accounts, refusal
from .ledger import NOT_STARTED, ZERO, compute
from .models import PaymentMethod
from .months import label, month_start, parse_month
from .services import CHANGE

SHEET = "工资代扣"
NAME, ID6, EMPLOYEE_NO, MONTH, AMOUNT_COL = "姓名", "身份证号后6位", "工号", "月份", "金额"
REQUIRED = (NAME, MONTH, AMOUNT_COL)
OPTIONAL = (ID6, EMPLOYEE_NO)


def has_employee_no() -> bool:
    """Whether people carry a 工号: the import matches on it when they do, on the ID number's end otherwise."""
    try:
        Person._meta.get_field("employee_no")
    except FieldDoesNotExist:
        return False
    return True


@dataclass
class PayrollLine:
    row: int
    person_id: int
    name: str
    branch_name: str
    month: date
    amount: Decimal
    explanation: str = ""
    citation: str = ""

    @property
    def month_label(self) -> str:
        return label(self.month)


@dataclass
class PayrollReport(SheetReport):
    created: int = 0
    total: Decimal = ZERO
    preview: list[PayrollLine] = field(default_factory=list)

    def done(self) -> str:
        values = {"rows": self.total_rows, "n": len(self.preview), "total": self.total}
        if self.dry_run:
            return _("预检通过：共%(rows)s行，将登记%(n)s笔工资代扣党费，合计 ¥%(total)s") % values
        return _("导入完成：共%(rows)s行，已登记%(n)s笔工资代扣党费，合计 ¥%(total)s") % values


def build_template() -> bytes:
    """The template, written by the shared writer: the title row above the header is skipped on reading."""
    book = Book()
    sheet = book.list_sheet(
        SHEET,
        _("工资代扣党费"),
        [
            Column(NAME, 12, TEXT, required=True),
            Column(ID6, 14, TEXT),
            Column(EMPLOYEE_NO, 12, TEXT),
            Column(MONTH, 10, TEXT, required=True),
            Column(AMOUNT_COL, 10, AMOUNT, required=True),
        ],
        numbered=False,
    )
    del sheet  # rows are the finance office's: the template holds the header only
    book.notes(
        _("说明"),
        _("填写说明"),
        [
            [_("1. 表头请勿修改（红色列必填）；从表头下一行起每行填写一名党员一个月代扣的党费。")],
            [_("2. 同名党员须填写身份证号后6位（或工号）以区分；请使用文本格式，以免 Excel 丢失开头的0。")],
            [_("3. 月份可写成 2026-03、2026/3、2026年3月 或 202603；金额为元，最多两位小数。")],
            [
                _(
                    "4. 金额须与系统按党费基数计算的该月应交金额一致；不一致通常说明党费基数有误，"
                    "请先更正基数（导入工资表）后再导入。"
                )
            ],
            [_("5. 系统会检查全部行，任何一行有错误都不会写入数据，并列出所有错误的行号、列名和原因。")],
        ],
    )
    return book.to_bytes()


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
            % {
                "row": start + 1,
                "missing": "".join(f"「{c}」" for c in missing),
                "columns": "、".join((NAME, ID6, MONTH, AMOUNT_COL)),
            }
        )
    pos = {c: header.index(c) for c in REQUIRED + OPTIONAL if c in header}
    rows = []
    for i in range(start + 1, len(raw)):
        r = list(raw[i]) + [None] * len(header)
        cells = {c: r[p] for c, p in pos.items()}
        if not all(is_blank(v) for v in cells.values()):
            rows.append((i + 1, cells))
    if not rows:
        raise SheetError(_("文件中没有数据行"))
    return rows


def _id6(value: Any) -> str:
    """The ID number's last six characters; Excel drops leading zeros of a number, so a number is padded back."""
    if is_blank(value):
        return ""
    raw = id_text(value).upper()
    if isinstance(value, int | float) and not isinstance(value, bool):
        raw = raw.zfill(6)
    if len(raw) != 6 or not (raw[:5].isdigit() and (raw[5].isdigit() or raw[5] == "X")):
        raise CellError(_("应为身份证号的最后6位（数字，末位可为X）"))
    return raw


def import_payroll(user, data: bytes, filename: str, *, paid_on: date, dry_run: bool = False) -> PayrollReport:
    """Check every row, then (unless ``dry_run``) record them all as payroll payments in one transaction."""
    rows = _rows(data, filename)
    report = PayrollReport(total_rows=len(rows), dry_run=dry_run)
    employee_no = has_employee_no()
    names = {text(cells.get(NAME)) for _row, cells in rows}
    members = Membership.objects.current().visible_to(user, CHANGE)
    by_name: dict[str, list[Membership]] = defaultdict(list)
    for membership in members.filter(person__name__in=names).select_related("person", "organization"):
        by_name[membership.person.name].append(membership)

    checked = []  # (row, membership, month, amount)
    for row, cells in rows:
        errors: list[RowError] = []
        name = text(cells.get(NAME))
        candidates = by_name.get(name, [])
        if not name:
            errors.append(RowError(row, NAME, _("必填")))
        try:
            id6 = _id6(cells.get(ID6))
        except CellError as exc:
            errors.append(RowError(row, ID6, str(exc), text(cells.get(ID6))))
            id6 = ""
        number = text(cells.get(EMPLOYEE_NO))
        if number and not employee_no:
            errors.append(RowError(row, EMPLOYEE_NO, _("系统未登记工号，请改填身份证号后6位"), number))
            number = ""
        matched = candidates
        if id6:
            matched = [m for m in matched if (m.person.id_number or "").upper().endswith(id6)]
        if number:
            matched = [m for m in matched if str(getattr(m.person, "employee_no", "") or "") == number]
        membership = None
        if name and not candidates:
            # one message for unknown and out-of-scope people: the import must not reveal who exists elsewhere
            errors.append(RowError(row, NAME, _("您管理范围内没有姓名为「%(name)s」的在册党员") % {"name": name}, name))
        elif name and not matched:
            column = EMPLOYEE_NO if number else ID6
            errors.append(
                RowError(
                    row,
                    column,
                    _("与您管理范围内姓名为「%(name)s」的党员不符，请核对") % {"name": name},
                    number or id6,
                )
            )
        elif len(matched) > 1:
            errors.append(
                RowError(
                    row,
                    NAME,
                    _("您管理范围内有%(n)s名党员姓名为「%(name)s」，请填写身份证号后6位（或工号）以区分")
                    % {"n": len(matched), "name": name},
                    name,
                )
            )
        elif matched:
            membership = matched[0]
        month = None
        try:
            month = services.check_month(parse_month(cells.get(MONTH)), "month")
        except ValueError as exc:
            errors.append(RowError(row, MONTH, str(exc), text(cells.get(MONTH))))
        except ValidationError as exc:
            errors.append(RowError(row, MONTH, "；".join(exc.messages), text(cells.get(MONTH))))
        amount = None
        try:
            amount = services.money(cells.get(AMOUNT_COL), "amount")
        except ValidationError as exc:
            errors.append(RowError(row, AMOUNT_COL, "；".join(exc.messages), text(cells.get(AMOUNT_COL))))
        report.errors.extend(errors)
        if not errors:
            checked.append((row, membership, month, amount))

    if dry_run:
        return _judge_and_write(user, report, checked, paid_on, dry_run=True)
    with transaction.atomic():
        # checked and written in one transaction with the accounts locked: a payment entered meanwhile (the
        # collection form, another import) is reported as paid, never recorded twice
        lock_accounts([membership.person_id for _r, membership, _m, _a in checked])
        return _judge_and_write(user, report, checked, paid_on, dry_run=False)


def _judge_and_write(user, report: PayrollReport, checked: list, paid_on: date, *, dry_run: bool) -> PayrollReport:
    # what each matched member owes for the months named: the month ledger's rule, in four queries
    months = sorted({month for _r, _m, month, _a in checked})
    people = {membership.person_id for _r, membership, _m, _a in checked}
    lines = {}
    if checked:
        by_month = compute(Membership.objects.current().filter(person_id__in=people), months)
        lines = {(line.person_id, month): line for month, month_lines in by_month.items() for line in month_lines}
    seen: dict[tuple[int, date], int] = {}
    for row, membership, month, amount in checked:
        key = (membership.person_id, month)
        if key in seen:
            report.errors.append(
                RowError(
                    row, MONTH, _("与第%(row)s行重复：同一党员同一月份只能登记一次") % {"row": seen[key]}, label(month)
                )
            )
            continue
        seen[key] = row
        line = lines.get(key)
        # no line: not admitted by then (the ledger lists members from their admission) or party rights stopped
        admitted = membership.admitted_on
        if line is not None:
            not_started = line.status == NOT_STARTED
        else:
            not_started = admitted is None or month_start(admitted) > month
        if not_started:
            report.errors.append(
                RowError(
                    row,
                    MONTH,
                    _("该党员%(month)s尚未开始交纳党费（党费从入党当月起交纳）") % {"month": label(month)},
                    label(month),
                )
            )
            continue
        if line is None:
            report.errors.append(
                RowError(row, MONTH, _("该党员%(month)s停止党籍，不交纳党费") % {"month": label(month)}, label(month))
            )
            continue
        why = refusal(CollectionRow(line), month)
        if why:
            report.errors.append(RowError(row, MONTH, why, label(month)))
            continue
        owed = line.balance
        if amount != owed:
            report.errors.append(
                RowError(
                    row,
                    AMOUNT_COL,
                    _(
                        "与%(month)s应交的 %(owed)s 元不一致（%(explanation)s）：金额不同通常说明党费基数有误，"
                        "请先更正基数后再导入"
                    )
                    % {"month": label(month), "owed": owed, "explanation": line.explanation or line.citation},
                    f"{amount}",
                )
            )
            continue
        report.preview.append(
            PayrollLine(
                row, membership.person_id, membership.person.name, membership.organization.name, month, amount,
                line.explanation, line.citation,
            )
        )  # fmt: skip
    if report.errors:
        report.errors.sort(key=lambda e: e.row)
        report.cap_errors()
        report.preview = []
        return report
    report.total = sum((p.amount for p in report.preview), ZERO)
    if dry_run:
        return report
    note = _("工资代扣导入")
    with transaction.atomic():
        for item in report.preview:
            try:
                services.record_payment(
                    user,
                    item.person_id,
                    {
                        "amount": item.amount,
                        "month_from": item.month,
                        "month_to": item.month,
                        "paid_on": paid_on,
                        "method": PaymentMethod.PAYROLL,
                        "note": note,
                    },
                )
            except ValidationError as exc:
                # the same checks as a single payment (a date, the start month): any refusal stops the whole file
                transaction.set_rollback(True)
                report.errors = [RowError(item.row, MONTH, "；".join(exc.messages))]
                report.preview = []
                return report
    report.created = len(report.preview)
    return report
