"""Turning an uploaded .xlsx or .csv into rows of raw cells in template column order.

.xlsx is read with python-calamine (Rust) rather than openpyxl: a 100,000-row
roster reads in about two seconds instead of twenty. CSV files come from Excel
or WPS either as UTF-8 (often with a BOM) or as GB18030 on Chinese Windows, so
both are tried. Row numbers are kept as Excel shows them, so that every error
message points at the row the user will look for.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from .columns import COLUMNS, SHEET_NAME
from .report import RosterFileError

SUPPORTED = (".xlsx", ".csv")


@dataclass
class Table:
    """Data rows as ``(excel_row_number, cells)``; ``cells`` follows ``COLUMNS`` order."""

    rows: list[tuple[int, tuple[Any, ...]]]


def read_table(data: bytes, filename: str) -> Table:
    suffix = PurePath(filename or "").suffix.lower()
    if suffix not in SUPPORTED:
        shown = suffix or "（无扩展名）"
        raise RosterFileError(f"不支持的文件类型 {shown}：请上传 .xlsx 或 .csv 文件（可在 Excel 中另存为）")
    if not data:
        raise RosterFileError("文件为空")
    raw_rows = _xlsx_rows(data) if suffix == ".xlsx" else _csv_rows(data)
    return _to_table(raw_rows)


def _xlsx_rows(data: bytes) -> list[list[Any]]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = workbook.sheet_names
        if not names:
            raise RosterFileError("文件中没有工作表")
        sheet = workbook.get_sheet_by_name(SHEET_NAME if SHEET_NAME in names else names[0])
        # skip_empty_area=False keeps list index + 1 == Excel row number.
        return sheet.to_python(skip_empty_area=False)
    except RosterFileError:
        raise
    except (CalamineError, ValueError, OSError) as exc:
        raise RosterFileError("无法读取该 Excel 文件：文件可能已损坏、加密或不是 .xlsx 格式") from exc
    except Exception as exc:  # calamine raises its own exception classes for zip/xml problems
        raise RosterFileError("无法读取该 Excel 文件：文件可能已损坏、加密或不是 .xlsx 格式") from exc


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM) first, GB18030 (a superset of GBK) as the fallback."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RosterFileError("无法识别 CSV 文件的编码：请另存为“CSV UTF-8”或 .xlsx 文件")


def _csv_rows(data: bytes) -> list[list[Any]]:
    text = decode_csv(data)
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise RosterFileError(f"CSV 文件格式错误：{exc}") from exc


def _header_text(value: Any) -> str:
    if value is None:
        return ""
    return "".join(str(value).split()).lstrip("*＊")


def _blank(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def _to_table(raw_rows: list[list[Any]]) -> Table:
    header_index = next((i for i, row in enumerate(raw_rows) if not all(_blank(v) for v in row)), None)
    if header_index is None:
        raise RosterFileError("文件为空：没有表头，也没有数据")
    header = [_header_text(v) for v in raw_rows[header_index]]
    positions: dict[str, int] = {}
    unknown: list[str] = []
    duplicated: list[str] = []
    for i, name in enumerate(header):
        if not name:
            continue
        if name not in COLUMNS:
            unknown.append(name)
        elif name in positions:
            duplicated.append(name)
        else:
            positions[name] = i
    missing = [c for c in COLUMNS if c not in positions]
    if missing or unknown or duplicated:
        parts = []
        if missing:
            parts.append("缺少列" + "".join(f"「{c}」" for c in missing))
        if unknown:
            parts.append("无法识别的列" + "".join(f"「{c}」" for c in unknown))
        if duplicated:
            parts.append("重复的列" + "".join(f"「{c}」" for c in duplicated))
        raise RosterFileError(
            f"第{header_index + 1}行表头不正确："
            + "；".join(parts)
            + "。请使用系统提供的导入模板，表头应为："
            + "、".join(COLUMNS)
        )
    order = [positions[c] for c in COLUMNS]
    width = max(order) + 1
    rows: list[tuple[int, tuple[Any, ...]]] = []
    for index in range(header_index + 1, len(raw_rows)):
        row = raw_rows[index]
        if len(row) < width:
            row = list(row) + [None] * (width - len(row))
        cells = tuple(row[p] for p in order)
        if all(_blank(v) for v in cells):
            continue
        rows.append((index + 1, cells))
    if not rows:
        raise RosterFileError("文件中没有数据行：请在表头下方逐行填写人员信息")
    return Table(rows)
