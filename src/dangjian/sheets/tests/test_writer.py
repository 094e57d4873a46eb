"""The ledger writer: layout for printing, and user text that never becomes a formula."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from dangjian.sheets.testing import INJECTION, assert_written_as_text, list_rows, notes
from dangjian.sheets.writer import AMOUNT, DATE, Book, Column, csv_bytes

DANGEROUS = ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx", INJECTION]


def _book() -> bytes:
    book = Book()
    sheet = book.list_sheet(
        "明细", "2026年党费明细", [Column("姓名", 10), Column("金额", 10, AMOUNT), Column("日期", 12, DATE)]
    )
    for value in DANGEROUS:
        sheet.append([value, Decimal("12.50"), date(2026, 1, 2)])
    sheet.append(["合计", Decimal("87.50"), None], numbered=False)
    return book.to_bytes()


def test_every_formula_like_string_is_a_string_cell():
    content = _book()
    for value in DANGEROUS:
        assert_written_as_text(content, value)


def test_a_ledger_has_title_serial_formats_frozen_header_and_a4_page_setup():
    ws = load_workbook(io.BytesIO(_book()))["明细"]
    assert ws["A1"].value == "2026年党费明细" and "A1:D1" in {str(r) for r in ws.merged_cells.ranges}
    assert [c.value for c in ws[2]] == ["序号", "姓名", "金额", "日期"]
    assert [ws.cell(row=r, column=1).value for r in range(3, 10)] == list(range(1, 8))
    assert ws.cell(row=10, column=1).value is None and ws.cell(row=10, column=2).value == "合计"  # no 序号
    assert ws["C3"].number_format == "0.00" and ws["D3"].number_format == "yyyy-mm-dd"
    assert ws.column_dimensions["B"].width == 10
    assert ws.freeze_panes == "A3" and ws.print_title_rows == "$2:$2"
    assert ws.page_setup.paperSize == 9 and ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert list_rows(_book())[0] == ("姓名", "金额", "日期")


def test_csv_prefixes_formula_like_text_with_an_apostrophe():
    data = csv_bytes([Column("姓名"), Column("金额", kind=AMOUNT)], [[v, Decimal("1.5")] for v in DANGEROUS])
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["序号", "姓名", "金额"]
    assert [r[1] for r in rows[1:]] == ["'" + v for v in DANGEROUS]
    assert rows[1][2] == "1.50"
    safe = csv_bytes([Column("姓名")], [["张三"], ["中-1"]]).decode("utf-8-sig")
    assert "'" not in safe


def test_control_characters_do_not_abort_an_export():
    book = Book()
    book.list_sheet("x", "t", [Column("备注")]).append(["a\x01b"])
    assert list_rows(book.to_bytes())[1] == ("ab",)


def test_a_notes_sheet_writes_text_and_keeps_a_prepared_cell():
    book = Book()
    ws = book.notes("说明", "导入说明", [])
    bold = WriteOnlyCell(ws, value="必填列")
    bold.font = Font(bold=True)
    ws_again = book.notes("说明2", "填写说明", [["姓名", 12, None], [bold, INJECTION]], widths=(10, 40, 8))
    assert ws_again.title == "说明2"
    content = book.to_bytes()
    read = load_workbook(io.BytesIO(content))["说明2"]
    assert [[c.value for c in row] for row in read.iter_rows()] == [
        ["填写说明", None, None],
        ["姓名", "12", None],
        ["必填列", INJECTION, None],
    ]
    assert read["A3"].font.bold and read["B2"].data_type == "s"
    assert_written_as_text(content)


def test_a_wide_text_column_wraps_and_a_note_under_the_table_is_stated_once():
    book = Book()
    sheet = book.list_sheet("明细", "标题", [Column("姓名", 10), Column("说明", 40), Column("金额", 10, AMOUNT)])
    sheet.append(["张三", "培养教育考察未满1年，2027-06-09 起方可列为发展对象［1］", Decimal("1.50")])
    sheet.append(["李四", "同上［1］", Decimal("2")])
    sheet.note("［1］计算依据：中国共产党发展党员工作细则 第13条")
    content = book.to_bytes()
    ws = load_workbook(io.BytesIO(content))["明细"]
    assert ws["C3"].alignment.wrap_text and not ws["B3"].alignment.wrap_text  # the note column, not the name
    assert ws["A5"].value == "［1］计算依据：中国共产党发展党员工作细则 第13条" and "A5:D5" in {
        str(r) for r in ws.merged_cells.ranges
    }
    assert ws["A5"].alignment.wrap_text
    assert [r[0] for r in list_rows(content)[1:]] == ["张三", "李四"]  # the note is not a row of the table
    assert notes(content) == ["［1］计算依据：中国共产党发展党员工作细则 第13条"]
    assert ws.page_setup.orientation == "portrait"  # 66 characters wide: portrait fits


def test_a_wide_ledger_is_printed_landscape():
    book = Book()
    book.list_sheet("宽表", "标题", [Column(f"列{i}", 12) for i in range(9)])
    ws = load_workbook(io.BytesIO(book.to_bytes()))["宽表"]
    assert ws.page_setup.orientation == "landscape"


def test_a_header_that_wraps_is_given_the_lines_it_needs():
    book = Book()
    book.list_sheet("明细", "标题", [Column("姓名", 10), Column("其中全额上缴中央（元）", 10, AMOUNT)])
    ws = load_workbook(io.BytesIO(book.to_bytes()))["明细"]
    assert ws.row_dimensions[2].height >= 3 * 14  # 22 characters' width in a column of 10: three lines
    book = Book()
    book.list_sheet("明细", "标题", [Column("姓名", 10)])
    assert load_workbook(io.BytesIO(book.to_bytes()))["明细"].row_dimensions[2].height is None


def test_a_row_whose_wide_text_wraps_is_given_the_lines_it_needs_and_the_ledger_prints_ruled():
    """LibreOffice prints a row at one line's height unless told: a wrapped measure would lose its second line."""
    book = Book()
    sheet = book.list_sheet("明细", "标题", [Column("单位", 12), Column("工作措施", 30)])
    sheet.append(["一支部", "支部书记牵头，制定本支部落实方案，明确责任委员和完成节点。"])  # 29 characters: 2 lines
    sheet.append(["二支部", "按月检查"])
    sheet.append(["三支部 很长的单位名称也不折行的窄列", "短"])  # a narrow column does not wrap: one line
    ws = load_workbook(io.BytesIO(book.to_bytes()))["明细"]
    assert ws.row_dimensions[3].height >= 2 * 14
    assert ws.row_dimensions[4].height is None and ws.row_dimensions[5].height is None
    assert ws["C3"].alignment.wrap_text
    assert ws.print_options.gridLines


def test_a_long_explanation_in_a_notes_sheet_wraps_into_its_lines():
    book = Book()
    book.notes("说明", "填写说明", [["短"], ["长" * 120]])
    ws = load_workbook(io.BytesIO(book.to_bytes()))["说明"]
    assert ws.row_dimensions[2].height is None
    assert ws.row_dimensions[3].height >= 3 * 14  # 240 half-widths in a column of 70
