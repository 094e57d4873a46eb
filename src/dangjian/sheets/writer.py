"""One writer for every export: a printable ledger in which user text is always text.

Layout (the party office prints its registers): a title row, the header row with 序号 first, column widths and
number formats (amounts ``0.00``, dates ``yyyy-mm-dd``), the header frozen, and an A4 page set-up fitted to the
page width with the header repeated on every printed page, grid lines printed; a row whose wide text column wraps
gets the height of its lines.

Formula injection (CWE-1236, OWASP "CSV Injection"): a name or a note beginning with ``=``, ``+``, ``-``, ``@``,
tab or carriage return would be run as a formula by Excel or WPS. In .xlsx every string is written as a string
cell (openpyxl would otherwise store ``=…`` as a live formula); CSV has no cell types, so such a value gets a
leading apostrophe, which spreadsheet programs read as "text follows" and hide.

Sheets are written in openpyxl's write-only mode, so 100,000 rows stream instead of building every cell object.
"""

from __future__ import annotations

import csv
import io
import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

TEXT, INTEGER, NUMBER, AMOUNT, DATE, PERCENT = "text", "integer", "number", "amount", "date", "percent"
FORMATS = {TEXT: "@", INTEGER: "0", NUMBER: "General", AMOUNT: "0.00", DATE: "yyyy-mm-dd", PERCENT: "0.0"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SERIAL = "序号"
TITLE_FONT = Font(bold=True, size=14)
HEADER_FONT = Font(bold=True)
REQUIRED_FONT = Font(bold=True, color="C00000")
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
NOTE_ALIGN = Alignment(horizontal="left", vertical="top", wrap_text=True)
WRAP_ALIGN = Alignment(vertical="top", wrap_text=True)
WRAP_FROM = 30  # the width (characters) from which a text column wraps
LINE_HEIGHT = 14.5  # points: one line of the default 11-point font
NOTE_CHARS_PER_LINE = 60  # Chinese characters of a note on one printed line, for the row's height
A4 = 9  # ECMA-376 ST_PaperSize 9: A4 210 x 297 mm
LANDSCAPE_WIDTH = 100  # total column width (characters) past which a portrait A4 page is too narrow


@dataclass(frozen=True)
class Column:
    header: str
    width: float = 12
    kind: str = TEXT
    required: bool = False  # header in red, as in the import templates

    @property
    def wraps(self) -> bool:
        """A wide text column (a note, a reason) wraps inside its width: on paper, text running past the last
        column is cut off at the page's edge, and past another column it is hidden under the next value."""
        return self.kind == TEXT and self.width >= WRAP_FROM


def _lines(text: str, width: float) -> int:
    """The lines ``text`` takes in a column ``width`` characters wide (a Chinese character takes two)."""
    units = sum(2 if unicodedata.east_asian_width(c) in "FW" else 1 for c in text)
    return max(1, math.ceil(units / max(width - 1, 1)))


def formula_safe_text(value: str) -> str:
    """A CSV cell that no spreadsheet program will evaluate."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _clean(value: str) -> str:
    # control characters other than tab, LF and CR are not allowed in XML and would abort the whole export
    return ILLEGAL_CHARACTERS_RE.sub("", value)


class ListSheet:
    """One sheet of a ``Book``: title, header with 序号, then ``append``ed rows."""

    def __init__(self, book: Book, name: str, title: str, columns: Sequence[Column], *, numbered: bool = True):
        self.ws = book.wb.create_sheet(name[:31])
        self.numbered = numbered
        self.columns = ([Column(SERIAL, 6, INTEGER)] if numbered else []) + list(columns)
        self.offset = 1 if numbered else 0
        self.title_row, self.header_row, self.first_data_row = 1, 2, 3
        self.count = 0
        self.next_row = self.first_data_row
        ws = self.ws
        for i, col in enumerate(self.columns, 1):
            letter = get_column_letter(i)
            ws.column_dimensions[letter].width = col.width
            if col.kind != NUMBER:
                ws.column_dimensions[letter].number_format = FORMATS[col.kind]
        last = get_column_letter(len(self.columns))
        ws.freeze_panes = f"A{self.first_data_row}"
        ws.print_title_rows = f"{self.header_row}:{self.header_row}"
        ws.page_setup.paperSize = A4
        ws.page_setup.orientation = "landscape" if sum(c.width for c in self.columns) > LANDSCAPE_WIDTH else "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0  # as many pages tall as needed
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.print_options.gridLines = True  # a ledger on paper is ruled: without lines its rows are hard to follow
        ws.merged_cells.add(f"A{self.title_row}:{last}{self.title_row}")
        title_cell = WriteOnlyCell(ws, value=_clean(title))
        title_cell.data_type = "s"  # a title may hold a person's name
        title_cell.font = TITLE_FONT
        title_cell.alignment = Alignment(horizontal="center")
        ws.append([title_cell])
        # a header that wraps gets the lines it needs: a row keeps one line's height unless told, and LibreOffice
        # then prints the second line over the first data row
        lines = max(_lines(col.header, col.width) for col in self.columns)
        if lines > 1:
            ws.row_dimensions[self.header_row].height = LINE_HEIGHT * lines + 2
        header = []
        for col in self.columns:
            cell = WriteOnlyCell(ws, value=col.header)
            cell.data_type = "s"
            cell.font = REQUIRED_FONT if col.required else HEADER_FONT
            cell.fill = HEADER_FILL
            cell.alignment = HEADER_ALIGN
            header.append(cell)
        ws.append(header)

    def letter(self, index: int) -> str:
        """The column letter of ``columns[index]`` as given by the caller (序号 not counted)."""
        return get_column_letter(index + 1 + self.offset)

    def append(self, values: Sequence[Any], *, numbered: bool | None = None) -> None:
        """One row; ``numbered=False`` for a total row, which takes no 序号."""
        cells: list[Any] = []
        if self.numbered:
            if numbered is False:
                cells.append(None)
            else:
                self.count += 1
                cells.append(self.count)
        lines = 1
        for col, value in zip(self.columns[self.offset :], values, strict=True):
            cells.append(self._cell(col, value))
            if col.wraps and isinstance(value, str) and value:
                lines = max(lines, _lines(value, col.width))
        if lines > 1:
            # the lines a wrapped value needs: LibreOffice (and Excel, for a file it did not write) keeps a row at
            # one line's height unless told, and prints only the first line of the value
            self.ws.row_dimensions[self.next_row].height = LINE_HEIGHT * lines + 2
        self.ws.append(cells)
        self.next_row += 1

    def note(self, text: str) -> None:
        """A line of text under the table across its width (a footnote: the rule the rows refer to, stated once)."""
        row = self.next_row
        self.ws.merged_cells.add(f"A{row}:{get_column_letter(len(self.columns))}{row}")
        cell = WriteOnlyCell(self.ws, value=_clean(text))
        cell.data_type = "s"
        cell.alignment = NOTE_ALIGN
        self.ws.row_dimensions[row].height = LINE_HEIGHT * max(1, -(-len(text) // NOTE_CHARS_PER_LINE)) + 2
        self.ws.append([cell])
        self.next_row += 1

    def extend(self, rows: Iterable[Sequence[Any]]) -> None:
        for values in rows:
            self.append(values)

    def _cell(self, col: Column, value: Any) -> Any:
        if value is None or value == "":
            return None
        if isinstance(value, str):
            cell = WriteOnlyCell(self.ws, value=_clean(value))
            cell.data_type = "s"  # never a formula, whatever the first character
            if col.kind == TEXT:
                cell.number_format = "@"
            if col.wraps:
                cell.alignment = WRAP_ALIGN
            return cell
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float | Decimal | date | datetime):
            # openpyxl writes Decimal and date cells (its NUMERIC_TYPES and TIME_TYPES); its stubs list fewer
            cell = WriteOnlyCell(self.ws, value=value)  # type: ignore[arg-type]
            if col.kind != NUMBER:
                cell.number_format = FORMATS[col.kind] if col.kind != TEXT else "General"
            if isinstance(value, date | datetime) and col.kind != DATE:
                cell.number_format = FORMATS[DATE]
            return cell
        return self._cell(col, str(value))


class Book:
    """An .xlsx workbook of ledgers (and plain note sheets), written in write-only mode."""

    def __init__(self) -> None:
        self.wb = Workbook(write_only=True)

    def list_sheet(self, name: str, title: str, columns: Sequence[Column], *, numbered: bool = True) -> ListSheet:
        return ListSheet(self, name, title, columns, numbered=numbered)

    def notes(self, name: str, title: str, rows: Iterable[Sequence[Any]], widths: Sequence[float] = (70,)) -> Any:
        """A sheet of explanations (import templates' 说明): a title, then rows of text, all as text cells.

        The default column of 70 prints inside a portrait A4 page: LibreOffice does not shrink this sheet to the
        page's width, and a column of 100 ran past the edge, cutting each wrapped line's end off."""
        ws = self.wb.create_sheet(name[:31])
        for i, width in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.page_setup.paperSize = A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        title_cell = WriteOnlyCell(ws, value=_clean(title))
        title_cell.data_type = "s"
        title_cell.font = TITLE_FONT
        ws.append([title_cell])
        wrap = Alignment(wrap_text=True, vertical="top")
        row = 1
        for values in rows:
            row += 1
            texts = [(str(v), w) for v, w in zip(values, widths, strict=False) if isinstance(v, str) and v]
            lines = max((_lines(text, width) for text, width in texts), default=1)
            if lines > 1:  # a long explanation wraps into the lines it needs instead of running off the page
                ws.row_dimensions[row].height = LINE_HEIGHT * lines + 2
            cells = []
            for value in values:
                # WriteOnlyCell is a factory function: the cells it makes are Cells
                if isinstance(value, Cell):
                    cells.append(value)
                    continue
                cell = WriteOnlyCell(ws, value=None if value in (None, "") else _clean(str(value)))
                if cell.value is not None:
                    cell.data_type = "s"
                cell.alignment = wrap
                cells.append(cell)
            ws.append(cells)
        return ws

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.wb.save(out)
        return out.getvalue()


def csv_bytes(columns: Sequence[Column], rows: Iterable[Sequence[Any]], *, numbered: bool = True) -> bytes:
    """A CSV export (UTF-8 with BOM, so Excel on Chinese Windows reads it): header, then rows, formula-safe."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(([SERIAL] if numbered else []) + [c.header for c in columns])
    for n, values in enumerate(rows, 1):
        cells: list[object] = [n] if numbered else []
        for col, value in zip(columns, values, strict=True):
            if value is None:
                cells.append("")
            elif isinstance(value, str):
                cells.append(formula_safe_text(value))
            elif isinstance(value, date):
                cells.append(value.isoformat())
            elif isinstance(value, Decimal | float) and col.kind == AMOUNT:
                cells.append(f"{value:.2f}")
            else:
                cells.append(value)
        writer.writerow(cells)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
