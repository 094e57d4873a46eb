"""Reading a checkup workbook into a header row and data rows, keeping Excel's row numbers.

The hospital's sheet has its own headers, so unlike the roster reader (``people.roster.reader``, whose headers are
fixed) this returns the header texts as found; the column mapping then picks the columns it needs. The file is
read by ``dangjian.sheets``, within the limits every import shares.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dangjian.people.roster.cells import is_blank
from dangjian.sheets import SheetError, find_header, read_rows


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
    raw = read_rows(data, filename)
    header_index = find_header(raw)
    if header_index is None:
        raise SheetError("文件为空：没有表头，也没有数据")
    headers = [normalise_header(v) for v in raw[header_index]]
    width = len(headers)
    rows = []
    for index in range(header_index + 1, len(raw)):
        cells = list(raw[index]) + [None] * (width - len(raw[index]))
        if all(is_blank(v) for v in cells):
            continue
        rows.append((index + 1, cells))
    if not rows:
        raise SheetError("文件中没有数据行：请在表头下方逐行填写体检结果")
    return Sheet(header_index + 1, headers, rows)
