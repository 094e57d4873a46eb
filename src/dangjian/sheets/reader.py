"""Reading an uploaded .xlsx or .csv into rows of raw cells, within ``Limits``, keeping Excel's row numbers.

``read_rows`` returns a list whose index + 1 is the row number Excel (or a text editor, for CSV) shows, so that
every error message points at the row the user will look for. .xlsx is read with python-calamine (Rust), ten
times faster than openpyxl on a 100,000-row roster, but only after ``xlsx_scan`` has measured the sheet: calamine
allocates the grid from A1 to the last cell. CSV comes from Excel or WPS either as UTF-8 (often with a BOM) or
as GB18030 on Chinese Windows; both are tried, and rows are counted while they are parsed.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import PurePath
from typing import Any

from django.utils.translation import gettext as _

from . import xlsx_scan
from .errors import SheetError
from .limits import Limits

SUPPORTED = (".xlsx", ".csv")
TITLE_LOOKAHEAD = 5


def read_rows(data: bytes, filename: str, *, sheet: str | None = None, limits: Limits | None = None) -> list[list[Any]]:
    """Every row of ``sheet`` (or the first sheet) as a list of cells; raises ``SheetError`` past the limits."""
    limits = limits or Limits.from_settings()
    suffix = PurePath(filename or "").suffix.lower()
    if suffix not in SUPPORTED:
        shown = suffix or _("（无扩展名）")
        raise SheetError(
            _("不支持的文件类型 %(suffix)s：请上传 .xlsx 或 .csv 文件（可在 Excel 中另存为）") % {"suffix": shown}
        )
    if not data:
        raise SheetError(_("文件为空"))
    limits.check_size(len(data))
    rows = _xlsx_rows(data, sheet, limits) if suffix == ".xlsx" else _csv_rows(data, limits)
    return rows


def _xlsx_rows(data: bytes, wanted: str | None, limits: Limits) -> list[list[Any]]:
    from python_calamine import CalamineWorkbook

    name = xlsx_scan.choose_sheet(data, limits, wanted)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        # skip_empty_area=False keeps list index + 1 == Excel row number; the grid is bounded by the scan above.
        rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own exception classes for zip/xml problems
        raise xlsx_scan.unreadable() from exc
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            if type(value) is str and len(value) > limits.max_cell_chars:
                limits.check_cell(value, r, c)
    return rows


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM) first, GB18030 (a superset of GBK) as the fallback."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SheetError(_("无法识别 CSV 文件的编码：请另存为“CSV UTF-8”或 .xlsx 文件"))


# A quoted field opens only at the start of a field (RFC 4180 2.5); its doubled quotes stay inside it.
QUOTED = re.compile(r'(?:^|(?<=[,\r\n]))"[^"]*(?:""[^"]*)*(?:"|$)')


def _records(text: str, limits: Limits) -> Iterator[str]:
    """Physical lines grouped into records, each refused when it has more fields than the column limit.

    Counting the commas of a record (outside quoted fields) is done in C on the string, before ``csv`` builds a
    list of its fields: a 20 MB line of commas is refused at once instead of becoming 20 million strings.
    """
    pending: list[str] = []
    quotes = 0
    for line in io.StringIO(text, newline=""):
        pending.append(line)
        quotes += line.count('"')
        if quotes % 2:
            continue  # inside a quoted field that spans lines
        record = pending[0] if len(pending) == 1 else "".join(pending)
        pending, quotes = [], 0
        if record.count(",") >= limits.max_columns and QUOTED.sub("", record).count(",") >= limits.max_columns:
            raise _too_many_columns(limits)
        yield record
    if pending:
        yield "".join(pending)


def _too_many_columns(limits: Limits) -> SheetError:
    return SheetError(_("CSV 文件中有一行超过 %(limit)s 列的上限，请删除多余的列") % {"limit": limits.max_columns})


def _csv_rows(data: bytes, limits: Limits) -> list[list[Any]]:
    text = decode_csv(data)
    rows: list[list[Any]] = []
    width = 0
    try:
        for r, row in enumerate(csv.reader(_records(text, limits)), 1):
            if len(row) > limits.max_columns:
                raise _too_many_columns(limits)
            if any(row):
                width = max(width, len(row))
                limits.check_extent(r, width)
            for c, value in enumerate(row, 1):
                if len(value) > limits.max_cell_chars:
                    limits.check_cell(value, r, c)
            rows.append(row)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            # csv's own limit (131,072) is above ours; report it as ours
            raise SheetError(
                _("CSV 文件中有单元格超过每个单元格 %(limit)s 个字符的上限") % {"limit": limits.max_cell_chars}
            ) from exc
        raise SheetError(_("CSV 文件格式错误：%(error)s") % {"error": exc}) from exc
    return rows


def blank(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def find_header(rows: list[list[Any]]) -> int | None:
    """The index of the header row: the first non-blank row, past a title row above it.

    Every export is a ledger with a one-cell title row above the header (``writer``), and an export can be
    edited and imported back; a row holding a single cell followed, within a few rows, by a row of several cells
    is that title.
    """
    filled = [i for i, row in enumerate(rows[: TITLE_LOOKAHEAD + 1]) if not all(blank(v) for v in row)]
    if not filled:
        first = next((i for i, row in enumerate(rows) if not all(blank(v) for v in row)), None)
        return first
    first = filled[0]
    if sum(not blank(v) for v in rows[first]) == 1 and len(filled) > 1:
        following = filled[1]
        if sum(not blank(v) for v in rows[following]) > 1:
            return following
    return first
