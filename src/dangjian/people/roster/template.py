"""The roster workbook layout, shared by the empty template and by exports.

An export is a filled-in template: same sheet, headers, text-formatted ID and phone columns, drop-down lists for
the choice columns and the same 说明 sheet, so that a user can edit an export and import it back. Both are ledgers
of ``dangjian.sheets.writer`` (title row, 序号, A4 set-up; user text never a formula); the reader skips the title
row and the 序号 column.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from dangjian.sheets.writer import DATE, TEXT, Book, Column, ListSheet

from .columns import COLUMN_SPECS, HELP_SHEET_NAME, SHEET_NAME

MAX_ROW = 1048576
TITLE = "职工花名册"
HEADER_FONT = Font(bold=True)

GENERAL_NOTES = (
    "1. 第1行为标题，第2行为表头，请勿修改、删除或调整列名；从第3行起每行填写一名职工。“序号”列可留空，导入时不读取。",
    "2. 按“公民身份号码”匹配系统中已有人员：已有的更新，没有的新增；同一号码在文件中只能出现一次。",
    "3. 导入前系统会检查全部行，任何一行有错误都不会写入数据，并会列出所有错误的行号、列名和原因。",
    "4. 公民身份号码、工号、手机号码请使用文本格式，否则 Excel 会把长数字改写成科学计数法并丢失末位。",
    "5. 日期可写成 2020-01-02、2020/1/2、2020.01.02 或 20200102，也可以是 Excel 日期。",
    "6. 党员（中共党员、中共预备党员）须填写所在党支部；填写另一个党支部即转入该支部，原组织关系保留为历史记录。",
    "7. 也可以导入 CSV 文件（UTF-8 或 GB18030 编码），列名与本模板相同。",
)


def _columns() -> list[Column]:
    return [Column(col.header, col.width, DATE if col.date else TEXT, required=col.required) for col in COLUMN_SPECS]


def new_roster_workbook(title: str = TITLE) -> tuple[Book, ListSheet]:
    """A workbook whose first sheet is the roster ledger, with its formats and drop-down lists."""
    book = Book()
    sheet = book.list_sheet(SHEET_NAME, title, _columns())
    for i, col in enumerate(COLUMN_SPECS):
        if not col.choices:
            continue
        letter = sheet.letter(i)
        dv = DataValidation(
            type="list",
            formula1='"' + ",".join(col.choices) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=f"{col.header}填写有误",
            error=f"{col.header}应为：" + "、".join(col.choices),
        )
        dv.add(f"{letter}{sheet.first_data_row}:{letter}{MAX_ROW}")
        sheet.ws.data_validations.append(dv)
    return book, sheet


def add_help_sheet(book: Book) -> None:
    def head(text: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = HEADER_FONT
        return cell

    rows: list[list[Any]] = [[line] for line in GENERAL_NOTES]
    rows.append([])
    ws = book.notes(HELP_SHEET_NAME, "职工花名册导入说明", [], widths=(16, 8, 70, 50))
    for values in rows:
        ws.append(values)
    ws.append([head(t) for t in ("列名", "必填", "说明", "可选值")])
    for col in COLUMN_SPECS:
        ws.append([col.header, "是" if col.required else "", col.help, "、".join(col.choices)])


def save(book: Book) -> bytes:
    return book.to_bytes()


def build_template() -> bytes:
    """The empty roster template (.xlsx): header row, drop-down lists and the 说明 sheet."""
    book, _ = new_roster_workbook()
    add_help_sheet(book)
    return save(book)


def write_rows(sheet: ListSheet, rows: Iterable[list[Any]]) -> None:
    """Append data rows; text columns stay text cells so that Excel does not turn IDs into numbers."""
    for values in rows:
        sheet.append(values)
