"""Monthly pay sheets (.xlsx or .csv): one row per member and month with the after-tax regular pay.

Every row is checked before anything is written; each problem is reported with its Excel row, its column
and a Chinese reason, and nothing is written unless every row is valid. A dry run shows what would change.
The file is read by ``dangjian.sheets`` (within the limits every import shares); the cell helpers are the
roster importer's (people/roster), reused as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scope import scope_for
from dangjian.audit.services import record
from dangjian.people.idcard import IdNumberError, parse_id_number
from dangjian.people.models import Membership
from dangjian.people.roster import cells as C
from dangjian.sheets import SheetError, find_header, read_rows
from dangjian.sheets.report import RowError, SheetReport
from dangjian.sheets.writer import AMOUNT, TEXT, Book, Column

from .ledger import start_month
from .models import BaseSource, DuesBase
from .months import label, month_start, parse_month
from .rule_data import DUES_SINCE
from .rules import CATEGORIES, CATEGORY_LABELS, dues_for
from .services import CHANGE, MAX_AMOUNT, write_base

ID, NAME, MONTH, BASE, CATEGORY = "公民身份号码", "姓名", "月份", "月缴费基数", "类别"
COLUMNS = (ID, NAME, MONTH, BASE, CATEGORY)
REQUIRED = (ID, NAME, MONTH, BASE)
SHEET = "工资表"
# short forms a finance office writes in the 类别 column, besides the labels and the codes
CATEGORY_ALIASES = {
    "年薪": "annual_salary",
    "个体": "self_employed",
    "个体经营者": "self_employed",
    "抚恤": "welfare",
    "救济": "welfare",
    "抚恤救济": "welfare",
    "低保": "subsistence",
}
CATEGORY_BY_LABEL = {**CATEGORY_ALIASES, **{v: k for k, v in CATEGORY_LABELS.items()}, **{c: c for c in CATEGORIES}}
QUERY_CHUNK = 900


@dataclass
class PreviewRow:
    row: int
    name: str
    month: date
    category: str
    old_base: Decimal | None
    new_base: Decimal
    amount: Decimal
    explanation: str
    citation: str
    change: str  # "create", "update" or "unchanged"

    @property
    def month_label(self) -> str:
        return label(self.month)

    @property
    def category_label(self) -> str:
        return CATEGORY_LABELS[self.category]


@dataclass
class PaySheetReport(SheetReport):
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    preview: list[PreviewRow] = field(default_factory=list)
    filename: str = ""

    def done(self) -> str:
        values = {"rows": self.total_rows, "created": self.created, "updated": self.updated, "same": self.unchanged}
        if self.dry_run:
            return _("预检完成：共%(rows)s行，将新增基数%(created)s条，将更正%(updated)s条，未变化%(same)s条") % values
        return _("导入完成：共%(rows)s行，已新增基数%(created)s条，已更正%(updated)s条，未变化%(same)s条") % values


# The template is a ledger of the shared writer like every export (title row, 序号, widths, A4 set-up): the reader
# skips the title and the 序号 column (``find_header``, positions by header name), so a filled template imports.
TEMPLATE_COLUMNS = (
    Column(ID, 22, TEXT, required=True),
    Column(NAME, 10, required=True),
    Column(MONTH, 10, required=True),
    Column(BASE, 14, AMOUNT, required=True),
    Column(CATEGORY, 10),
)


def build_template() -> bytes:
    book = Book()
    book.list_sheet(SHEET, "党费缴费基数表（月工资）", TEMPLATE_COLUMNS)
    lines = (
        "1. 第1行为标题，第2行为表头，请勿修改；从第3行起每行填写一名党员一个月的缴费基数。"
        "“序号”列可留空，导入时不读取。",
        "2. 月缴费基数为税后固定工资（基本工资、岗位工资和固定津贴），离退休人员填写离退休费；"
        "年薪制人员填写当月实际领取的薪酬，个体经营者填写上季度月平均纯收入。",
        "3. 工资调整后，从领取新工资的当月起按新基数交纳党费：填写领取新工资的月份即可，之后各月沿用。",
        "4. 月份可写成 2026-03、2026/3、2026年3月 或 202603。",
        "5. 类别可不填（沿用原类别，无记录时按在职）；可选：" + "、".join(CATEGORY_LABELS.values()),
        "6. 系统会检查全部行，任何一行有错误都不会写入数据，并列出所有错误的行号、列名和原因。",
        "7. 公民身份号码请使用文本格式，否则 Excel 会丢失末位。",
    )
    book.notes("说明", "填写说明", [[line] for line in lines])
    return book.to_bytes()


def _read(data: bytes, filename: str) -> list[tuple[int, dict[str, Any]]]:
    raw = read_rows(data, filename, sheet=SHEET)
    header_index = find_header(raw)
    if header_index is None:
        raise SheetError(_("文件为空：没有表头，也没有数据"))
    header = ["".join(C.text(v).split()).lstrip("*＊") for v in raw[header_index]]
    positions = {name: i for i, name in enumerate(header) if name in COLUMNS}
    missing = [c for c in REQUIRED if c not in positions]
    if missing:
        raise SheetError(
            _("第%(row)s行表头缺少列%(missing)s；表头应为：%(columns)s")
            % {"row": header_index + 1, "missing": "".join(f"「{c}」" for c in missing), "columns": "、".join(COLUMNS)}
        )
    rows = []
    for index in range(header_index + 1, len(raw)):
        row = raw[index]
        cells = {name: (row[p] if p < len(row) else None) for name, p in positions.items()}
        if all(C.is_blank(v) for v in cells.values()):
            continue
        rows.append((index + 1, cells))
    if not rows:
        raise SheetError(_("文件中没有数据行：请在表头下方逐行填写"))
    return rows


def _money(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, float):
        value = repr(value)
    amount = Decimal(C.text(value).replace(",", "").replace("，", "").replace("元", ""))
    if not amount.is_finite():
        raise ValueError
    return amount


def import_pay_sheet(data: bytes, filename: str, *, user, dry_run: bool = False) -> PaySheetReport:
    """Check every row, then write every base row or none. Rows for people outside the user's scope are errors."""
    scope = scope_for(user, CHANGE)
    if not (scope.everything or scope.has_orgs):
        raise SheetError(_("您没有导入党费基数的权限"))
    rows = _read(data, filename)
    report = PaySheetReport(total_rows=len(rows), dry_run=dry_run, filename=filename)
    today = timezone.localdate()
    parsed = []
    for row, cells in rows:
        errors_before = len(report.errors)

        def error(column: str, message: str, value: Any = None, _row=row) -> None:
            report.errors.append(RowError(_row, column, message, C.text(value)))

        number = ""
        try:
            number = C.id_text(cells[ID]).upper()
            if not number:
                error(ID, _("必填"))
            else:
                parse_id_number(number, today=today)
        except (C.CellError, IdNumberError) as exc:
            error(ID, str(exc), cells[ID])
        name = C.text(cells[NAME])
        if not name:
            error(NAME, _("必填"))
        month = None
        if C.is_blank(cells[MONTH]):
            error(MONTH, _("必填"))
        else:
            try:
                month = parse_month(cells[MONTH])
                if month < DUES_SINCE:
                    error(MONTH, _("党费规定自2008年4月起施行，不能导入更早的月份"), cells[MONTH])
                    month = None
                elif month > month_start(today):
                    error(
                        MONTH, _("月份不能晚于本月（%(month)s）") % {"month": label(month_start(today))}, cells[MONTH]
                    )
                    month = None
            except ValueError as exc:
                error(MONTH, str(exc), cells[MONTH])
        base = None
        if C.is_blank(cells[BASE]):
            error(BASE, _("必填：请填写税后固定工资（元）"))
        else:
            try:
                base = _money(cells[BASE])
                if base < 0:
                    error(BASE, _("月缴费基数不能为负数"), cells[BASE])
                    base = None
                elif base != base.quantize(Decimal("0.01")):
                    error(BASE, _("金额最多保留两位小数（到分）"), cells[BASE])
                    base = None
                elif base > MAX_AMOUNT:
                    error(BASE, _("金额过大（不能超过%(max)s元），请核对") % {"max": MAX_AMOUNT}, cells[BASE])
                    base = None
            except (InvalidOperation, ValueError):
                error(BASE, _("不是有效金额，请填写数字，如 6500.00"), cells[BASE])
        category = None
        raw_category = C.text(cells.get(CATEGORY))
        if raw_category:
            category = CATEGORY_BY_LABEL.get(raw_category)
            if category is None:
                error(
                    CATEGORY, _("类别应为：%(labels)s") % {"labels": "、".join(CATEGORY_LABELS.values())}, raw_category
                )
        parsed.append((row, number, name, month, base, category, len(report.errors) == errors_before))
    _check_people(parsed, report, user)
    report.errors.sort(key=lambda e: (e.row, COLUMNS.index(e.column) if e.column in COLUMNS else 99))
    report.cap_errors()
    if not report.ok or dry_run:
        return report
    with transaction.atomic():
        # re-check inside the write: a member moved out of scope since the check is refused as a whole
        wanted = sorted({item._membership.pk for item in report.preview})
        visible = Membership.objects.current().visible_to(user, CHANGE)
        still = sum(
            visible.filter(pk__in=wanted[i : i + QUERY_CHUNK]).count() for i in range(0, len(wanted), QUERY_CHUNK)
        )
        if still != len(wanted):
            raise SheetError(_("导入期间党员组织关系发生变化，未写入任何数据，请重新导入"))
        for item in report.preview:
            if item.change == "unchanged":
                continue
            write_base(user, item._membership, item.month, item.category, item.new_base, source=BaseSource.IMPORT)
        record(
            "import",
            object_type_label="dues.duesbase",
            object_repr=f"党费基数导入：{filename}"[:200],
            detail={"file": filename, "rows": report.total_rows, "created": report.created, "updated": report.updated},
        )
    return report


def _check_people(parsed, report: PaySheetReport, user) -> None:
    """Rows against the database in a few queries: the member, in scope, with the same name; duplicates."""
    numbers = sorted({p[1] for p in parsed if p[1]})
    memberships: dict[str, Membership] = {}
    visible = Membership.objects.current().visible_to(user, CHANGE).select_related("person", "organization")
    for i in range(0, len(numbers), QUERY_CHUNK):
        for m in visible.filter(person__id_number__in=numbers[i : i + QUERY_CHUNK]):
            memberships[m.person.id_number] = m
    person_ids = [m.person_id for m in memberships.values()]
    history: dict[int, list[tuple[date, str, Decimal]]] = {}
    for i in range(0, len(person_ids), QUERY_CHUNK):
        for pid, month, category, base in (
            DuesBase.objects.filter(account__person_id__in=person_ids[i : i + QUERY_CHUNK])
            .order_by("month")
            .values_list("account__person_id", "month", "category", "monthly_base")
        ):
            history.setdefault(pid, []).append((month, category, base))
    seen: dict[tuple[str, date], int] = {}
    for row, number, name, month, base, category, ok in parsed:
        membership = memberships.get(number) if number else None
        if number and membership is None:
            report.errors.append(RowError(row, ID, _("系统中没有该党员，或其不在您的管理范围内"), number))
            continue
        if membership is None:
            continue
        if name and name != membership.person.name:
            message = _("姓名与系统记录「%(name)s」不一致") % {"name": membership.person.name}
            report.errors.append(RowError(row, NAME, message, name))
            ok = False
        if month is not None:
            if (number, month) in seen:
                message = _("与第%(row)s行重复：同一党员同一月份只能填写一行") % {"row": seen[(number, month)]}
                report.errors.append(RowError(row, MONTH, message, label(month)))
                ok = False
            seen.setdefault((number, month), row)
            start = start_month(membership.admitted_on)
            if start is None or month < start:
                when = label(start) if start else _("（入党日期未登记）")
                report.errors.append(
                    RowError(row, MONTH, _("早于党费起交月份%(month)s") % {"month": when}, label(month))
                )
                ok = False
        if not ok or month is None or base is None:
            continue
        rows = history.get(membership.person_id, [])
        same = next((r for r in rows if r[0] == month), None)
        earlier = [r for r in rows if r[0] <= month]
        category = category or (earlier[-1][1] if earlier else "employee")
        try:
            result = dues_for(category, base, on=month)
        except (ValueError, LookupError) as exc:
            report.errors.append(RowError(row, BASE, str(exc), str(base)))
            continue
        if same is None:
            change = "create"
            report.created += 1
        elif (same[1], same[2]) == (category, base):
            change = "unchanged"
            report.unchanged += 1
        else:
            change = "update"
            report.updated += 1
        item = PreviewRow(
            row,
            membership.person.name,
            month,
            category,
            earlier[-1][2] if earlier else None,
            base,
            result.amount,
            result.explanation,
            result.citation,
            change,
        )
        item._membership = membership  # type: ignore[attr-defined]
        report.preview.append(item)
