"""Reading a checkup workbook into a header row and data rows, keeping Excel's row numbers.

The hospital's sheet has its own headers, so unlike the roster reader (``people.roster.reader``, whose headers are
fixed) this returns the header texts as found; the column mapping then picks the columns it needs. The same
calamine reader and CSV decoding as the roster import are used.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from dangjian.people.roster.cells import is_blank
from dangjian.people.roster.reader import decode_csv
from dangjian.people.roster.report import RosterFileError

SUPPORTED = (".xlsx", ".csv")


@dataclass
class Sheet:
    header_row: int
    headers: list[str]
    rows: list[tuple[int, list[Any]]]

    def position(self, header: str) -> int | None:
        try:
            return self.headers.index(normalise_header(header))
        except ValueError:
            return None


def normalise_header(value: Any) -> str:
    """Spaces and the required-marker asterisk are ignored, so "* 收缩压 " matches "收缩压"."""
    if value is None:
        return ""
    return "".join(str(value).split()).lstrip("*＊")


def read_sheet(data: bytes, filename: str) -> Sheet:
    suffix = PurePath(filename or "").suffix.lower()
    if suffix not in SUPPORTED:
        raise RosterFileError(f"不支持的文件类型 {suffix or '（无扩展名）'}：请上传 .xlsx 或 .csv 文件")
    if not data:
        raise RosterFileError("文件为空")
    raw = _xlsx_rows(data) if suffix == ".xlsx" else _csv_rows(data)
    header_index = next((i for i, row in enumerate(raw) if not all(is_blank(v) for v in row)), None)
    if header_index is None:
        raise RosterFileError("文件为空：没有表头，也没有数据")
    headers = [normalise_header(v) for v in raw[header_index]]
    width = len(headers)
    rows = []
    for index in range(header_index + 1, len(raw)):
        cells = list(raw[index]) + [None] * (width - len(raw[index]))
        if all(is_blank(v) for v in cells):
            continue
        rows.append((index + 1, cells))
    if not rows:
        raise RosterFileError("文件中没有数据行：请在表头下方逐行填写体检结果")
    return Sheet(header_index + 1, headers, rows)


def _xlsx_rows(data: bytes) -> list[list[Any]]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not workbook.sheet_names:
            raise RosterFileError("文件中没有工作表")
        # skip_empty_area=False keeps list index + 1 == Excel row number.
        return workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except RosterFileError:
        raise
    except Exception as exc:  # calamine raises its own exception classes for zip/xml problems
        raise RosterFileError("无法读取该 Excel 文件：文件可能已损坏、加密或不是 .xlsx 格式") from exc


def _csv_rows(data: bytes) -> list[list[Any]]:
    try:
        return list(csv.reader(io.StringIO(decode_csv(data), newline="")))
    except csv.Error as exc:
        raise RosterFileError(f"CSV 文件格式错误：{exc}") from exc
