"""Where each checkup field sits in a sheet: the built-in template layout, or a saved column mapping.

The template's headers are the field labels with the unit in brackets, e.g. "总胆固醇(mmol/L)"; a saved mapping
(``ColumnMapping``) names the hospital's own headers and the unit of each numeric column.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from .fields import BOOL, CHOICE, DATE_COLUMN, FIELDS, ID_COLUMN, NAME_COLUMN, NUMBER
from .sheet import normalise_header
from .units import default_unit, units_for


@dataclass
class Column:
    field: str
    header: str
    unit: str = ""


@dataclass
class Layout:
    id_header: str = ID_COLUMN
    name_header: str = NAME_COLUMN
    date_header: str = DATE_COLUMN
    columns: list[Column] = field(default_factory=list)


def template_header(f) -> str:
    return f"{f.label}({default_unit(f.name)})" if f.kind == NUMBER and f.name != "pg_ratio" else f.label


def template_layout() -> Layout:
    return Layout(
        columns=[Column(f.name, template_header(f), default_unit(f.name) if f.kind == NUMBER else "") for f in FIELDS]
    )


def layout_of(mapping) -> Layout:
    """The layout of a saved mapping, or the template's when ``mapping`` is None."""
    if mapping is None:
        return template_layout()
    columns = []
    for f in FIELDS:
        entry = (mapping.columns or {}).get(f.name)
        if not entry or not normalise_header(entry.get("header")):
            continue
        unit = entry.get("unit") or (default_unit(f.name) if f.kind == NUMBER else "")
        columns.append(Column(f.name, normalise_header(entry["header"]), unit))
    headers = [normalise_header(h) for h in (mapping.id_header, mapping.name_header, mapping.date_header)]
    return Layout(*headers, columns)


HELP = (
    "1. 第1行为表头；每行填写一名职工一个年度的体检结果，按“公民身份号码”匹配人员，并用“姓名”核对。",
    "2. 导入前检查全部行，任何一处错误都不会写入数据，并列出每处错误的行号、列名和原因。",
    "3. 是/否列填写“是”或“否”；FIT 填写“阳性”或“阴性”；不知道的项目留空，筛查时会注明缺少哪些数据。",
    "4. 数值列的单位见表头括号；胆固醇如为 mg/dL，请新建列映射并选择 mg/dL。胃泌素-17 只接受 pmol/L。",
    "5. 同一人员同一年度再次导入时，将替换原有体检结果。公民身份号码请使用文本格式。",
)


def build_template() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "体检结果"
    headers = [ID_COLUMN, NAME_COLUMN, DATE_COLUMN] + [c.header for c in template_layout().columns]
    ws.append(headers)
    for i, header in enumerate(headers, 1):
        cell = ws.cell(row=1, column=i)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        ws.column_dimensions[get_column_letter(i)].width = max(10, len(header) * 2)
    ws.column_dimensions["A"].number_format = "@"
    notes = wb.create_sheet("说明")
    for line in HELP:
        notes.append([line])
    notes.append([])
    notes.append(["列名", "类型", "可用单位"])
    kinds = {NUMBER: "数值", BOOL: "是/否", CHOICE: "阳性/阴性"}
    for f in FIELDS:
        units = "、".join(u.code for u in units_for(f.name)) if f.kind == NUMBER else ""
        notes.append([template_header(f), kinds[f.kind], units, f.help])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
