"""Pay-sheet import: every bad row with row and column, nothing written unless all rows are valid, dry run."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal as D

import pytest
from openpyxl import Workbook, load_workbook

from dangjian.dues.models import DuesBase
from dangjian.dues.paysheet import COLUMNS, build_template, import_pay_sheet
from dangjian.sheets import SheetError
from dangjian.sheets.testing import list_rows

pytestmark = pytest.mark.django_db


def _xlsx(rows, header=COLUMNS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_template_has_the_columns_and_a_help_sheet():
    wb = load_workbook(io.BytesIO(build_template()))
    assert list(list_rows(build_template(), "工资表")[0]) == list(COLUMNS)  # a ledger: title row, 序号
    assert "领取新工资的当月" in " ".join(str(r[0].value) for r in wb["说明"].iter_rows())


def test_a_filled_template_imports(world):
    """The template is a ledger (title row, 序号 column): the import reads past both."""
    wb = load_workbook(io.BytesIO(build_template()))
    ws = wb["工资表"]
    m = world.member
    ws.append([1, m.id_number, m.name, "2025-01", 4567.89, "在职"])
    out = io.BytesIO()
    wb.save(out)
    report = import_pay_sheet(out.getvalue(), "pay.xlsx", user=world.sec1, dry_run=True)
    assert report.ok and report.created == 1 and report.preview[0].row == 3


def test_a_valid_sheet_previews_then_writes_every_row(world):
    m = world.member
    data = _xlsx([(m.id_number, m.name, "2025-01", 4567.89, "在职"), (m.id_number, m.name, "2025年7月", "6000", "")])
    preview = import_pay_sheet(data, "pay.xlsx", user=world.sec1, dry_run=True)
    assert preview.ok and preview.created == 2 and not DuesBase.objects.exists()
    assert preview.preview[0].amount == D("45.68") and "按1%" in preview.preview[0].explanation
    report = import_pay_sheet(data, "pay.xlsx", user=world.sec1)
    assert report.ok and "已新增基数2条" in report.summary()
    rows = list(DuesBase.objects.filter(account__person=m).values_list("month", "category", "monthly_base"))
    assert rows == [(date(2025, 1, 1), "employee", D("4567.89")), (date(2025, 7, 1), "employee", D("6000.00"))]
    again = import_pay_sheet(data, "pay.xlsx", user=world.sec1, dry_run=True)
    assert again.unchanged == 2


def test_every_bad_row_is_reported_with_row_and_column_and_nothing_is_written(world):
    m, other = world.member, world.other
    data = _xlsx(
        [
            (m.id_number, m.name, "2025-01", "5000", ""),  # row 2: valid
            (m.id_number, "王五", "2025-13", "-1", "军人"),  # row 3: name, month, base, category
            ("110105198506150000", m.name, "2025-02", "abc", ""),  # row 4: id checksum, base
            (other.id_number, other.name, "2025-02", "5000", ""),  # row 5: outside sec1's scope
            (m.id_number, m.name, "2025-01", "5000", ""),  # row 6: duplicate of row 2
            (m.id_number, m.name, "2024-02", "5000", ""),  # row 7: before the admission month
            (m.id_number, m.name, "2025-03", "5000.123", ""),  # row 8: more than two decimals
        ]
    )
    report = import_pay_sheet(data, "pay.xlsx", user=world.sec1)
    found = {(e.row, e.column) for e in report.errors}
    assert found == {
        (3, "姓名"),
        (3, "月份"),
        (3, "月缴费基数"),
        (3, "类别"),
        (4, "公民身份号码"),
        (4, "月缴费基数"),
        (5, "公民身份号码"),
        (6, "月份"),
        (7, "月份"),
        (8, "月缴费基数"),
    }
    messages = {(e.row, e.column): e.message for e in report.errors}
    assert "不在您的管理范围内" in messages[(5, "公民身份号码")]
    assert "第2行重复" in messages[(6, "月份")]
    assert "2024年3月" in messages[(7, "月份")]
    assert not report.ok and "未写入任何数据" in report.summary()
    assert not DuesBase.objects.exists()


def test_a_file_without_the_required_columns_is_refused_as_a_whole(world):
    with pytest.raises(SheetError, match="月缴费基数"):
        import_pay_sheet(_xlsx([("1", "2", "3")], header=("公民身份号码", "姓名", "月份")), "p.xlsx", user=world.sec1)
    with pytest.raises(SheetError, match=r"\.xlsx"):
        import_pay_sheet(b"x", "p.doc", user=world.sec1)


def test_a_csv_sheet_is_read_too(world):
    m = world.member
    data = ("公民身份号码,姓名,月份,月缴费基数\n" + f"{m.id_number},{m.name},202503,3000\n").encode("utf-8-sig")
    report = import_pay_sheet(data, "pay.csv", user=world.sec1)
    assert report.ok and DuesBase.objects.get().monthly_base == D("3000")
