"""The roster workbook layout, shared by the empty template and by exports.

An export is a filled-in template: same sheet, headers, text-formatted ID and
phone columns, drop-down lists for the choice columns and the same 说明 sheet,
so that a user can edit an export and import it back. Written in openpyxl's
write-only mode so that exporting 100,000 persons streams instead of building
every cell object in memory.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .columns import COLUMN_SPECS, HELP_SHEET_NAME, SHEET_NAME

MAX_ROW = 1048576
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
REQUIRED_FONT = Font(bold=True, color="C00000")

GENERAL_NOTES = (
    "1. 第1行为表头，请勿修改、删除或调整列名；从第2行起每行填写一名职工。",
    "2. 按“公民身份号码”匹配系统中已有人员：已有的更新，没有的新增；同一号码在文件中只能出现一次。",
    "3. 导入前系统会检查全部行，任何一行有错误都不会写入数据，并会列出所有错误的行号、列名和原因。",
    "4. 公民身份号码、手机号码请使用文本格式，否则 Excel 会把长数字改写成科学计数法并丢失末位。",
    "5. 日期可写成 2020-01-02、2020/1/2、2020.01.02 或 20200102，也可以是 Excel 日期。",
    "6. 党员（中共党员、中共预备党员）须填写所在党支部；填写另一个党支部即转入该支部，原组织关系保留为历史记录。",
    "7. 也可以导入 CSV 文件（UTF-8 或 GB18030 编码），列名与本模板相同。",
)


def new_roster_workbook() -> tuple[Workbook, Any]:
    """A write-only workbook whose first sheet has the roster headers, formats and drop-down lists."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET_NAME)
    ws.freeze_panes = "A2"
    for i, col in enumerate(COLUMN_SPECS, 1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = col.width
        if col.text:
            ws.column_dimensions[letter].number_format = "@"
        if col.date:
            ws.column_dimensions[letter].number_format = "yyyy-mm-dd"
        if col.choices:
            dv = DataValidation(
                type="list",
                formula1='"' + ",".join(col.choices) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=f"{col.header}填写有误",
                error=f"{col.header}应为：" + "、".join(col.choices),
            )
            dv.add(f"{letter}2:{letter}{MAX_ROW}")
            ws.data_validations.append(dv)
    header = []
    for col in COLUMN_SPECS:
        cell = WriteOnlyCell(ws, value=col.header)
        cell.font = REQUIRED_FONT if col.required else HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        header.append(cell)
    ws.append(header)
    return wb, ws


def add_help_sheet(wb: Workbook) -> None:
    ws = wb.create_sheet(HELP_SHEET_NAME)
    for letter, width in zip("ABCD", (16, 8, 70, 50), strict=True):
        ws.column_dimensions[letter].width = width
    title = WriteOnlyCell(ws, value="职工花名册导入说明")
    title.font = Font(bold=True, size=14)
    ws.append([title])
    for line in GENERAL_NOTES:
        ws.append([line])
    ws.append([])
    head = []
    for text in ("列名", "必填", "说明", "可选值"):
        cell = WriteOnlyCell(ws, value=text)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        head.append(cell)
    ws.append(head)
    wrap = Alignment(wrap_text=True, vertical="top")
    for col in COLUMN_SPECS:
        cells = []
        for value in (col.header, "是" if col.required else "", col.help, "、".join(col.choices)):
            cell = WriteOnlyCell(ws, value=value)
            cell.alignment = wrap
            cells.append(cell)
        ws.append(cells)


def save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def build_template() -> bytes:
    """The empty roster template (.xlsx): header row, drop-down lists and the 说明 sheet."""
    wb, _ = new_roster_workbook()
    add_help_sheet(wb)
    return save(wb)


def write_rows(ws, rows: Iterable[list[Any]]) -> None:
    """Append data rows, keeping text columns as text cells so that Excel does not turn IDs into numbers."""
    text_positions = [i for i, col in enumerate(COLUMN_SPECS) if col.text]
    for values in rows:
        values = [None if v == "" else v for v in values]  # no empty string cells: blank is blank
        for i in text_positions:
            if values[i]:
                cell = WriteOnlyCell(ws, value=values[i])
                cell.number_format = "@"
                values[i] = cell
        ws.append(values)  # dates get openpyxl's yyyy-mm-dd format by themselves
