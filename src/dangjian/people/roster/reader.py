"""Turning an uploaded .xlsx or .csv into rows of raw cells in template column order.

The file is read by ``dangjian.sheets`` (within its limits, Excel's row numbers kept); this module finds the
header, past the title row of an export, and maps the template's columns. "序号", the number column every
export carries, is ignored, so an export can be edited and imported back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dangjian.sheets import SUPPORTED, find_header, read_rows
from dangjian.sheets.reader import decode_csv

from .columns import COLUMNS, OPTIONAL, SHEET_NAME
from .report import RosterFileError

__all__ = ["SUPPORTED", "Table", "decode_csv", "read_table"]
IGNORED = ("序号",)


@dataclass
class Table:
    """Data rows as ``(excel_row_number, cells)``; ``cells`` follows ``COLUMNS`` order."""

    rows: list[tuple[int, tuple[Any, ...]]]


def read_table(data: bytes, filename: str) -> Table:
    return _to_table(read_rows(data, filename, sheet=SHEET_NAME))


def _header_text(value: Any) -> str:
    if value is None:
        return ""
    return "".join(str(value).split()).lstrip("*＊")


def _blank(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def _to_table(raw_rows: list[list[Any]]) -> Table:
    header_index = find_header(raw_rows)
    if header_index is None:
        raise RosterFileError("文件为空：没有表头，也没有数据")
    header = [_header_text(v) for v in raw_rows[header_index]]
    positions: dict[str, int] = {}
    unknown: list[str] = []
    duplicated: list[str] = []
    for i, name in enumerate(header):
        if not name or name in IGNORED:
            continue
        if name not in COLUMNS:
            unknown.append(name)
        elif name in positions:
            duplicated.append(name)
        else:
            positions[name] = i
    missing = [c for c in COLUMNS if c not in positions and c not in OPTIONAL]
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
    order = [positions.get(c) for c in COLUMNS]  # None: an optional column the file does not have
    width = max(p for p in order if p is not None) + 1
    rows: list[tuple[int, tuple[Any, ...]]] = []
    for index in range(header_index + 1, len(raw_rows)):
        row = raw_rows[index]
        if len(row) < width:
            row = list(row) + [None] * (width - len(row))
        cells = tuple(None if p is None else row[p] for p in order)
        if all(_blank(v) for v in cells):
            continue
        rows.append((index + 1, cells))
    if not rows:
        raise RosterFileError("文件中没有数据行：请在表头下方逐行填写人员信息")
    return Table(rows)
