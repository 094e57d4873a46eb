"""The look of an official document (GB/T 9704-2012 党政机关公文格式) for python-docx documents.

A4 with the standard's margins (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm); body in 3号 (16 pt) 仿宋 on a
fixed 28.95 pt line (22 lines a page); the title in 2号 (22 pt) 小标宋, centred; first-level headings in 3号 黑体;
tables in 小四 (12 pt) 仿宋 so that six columns fit the 156 mm type area. A reader without these fonts falls back to
the nearest one it has; the names are the ones the standard gives.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
TITLE_FONT = "方正小标宋简体"
BODY_SIZE = Pt(16)  # 3号
TITLE_SIZE = Pt(22)  # 2号
TABLE_SIZE = Pt(12)  # 小四
TYPE_AREA_MM = 156  # 210 mm less the left and right margins
LINE = Pt(28.95)


def _font(target: Any, name: str, size: Pt | None = None, bold: bool | None = None) -> None:
    """Set the Latin and the East Asian font (Word reads w:eastAsia for Chinese characters)."""
    target.font.name = name
    if size is not None:
        target.font.size = size
    if bold is not None:
        target.font.bold = bold
    rpr = target.element.get_or_add_rPr() if hasattr(target, "element") else target._element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), name)


def new_document() -> Any:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    _font(normal, BODY_FONT, BODY_SIZE)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = LINE
    normal.paragraph_format.space_after = Pt(0)
    return document


def title(document: Any, text: str) -> None:
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    p.paragraph_format.space_after = Pt(16)
    _font(p.add_run(text), TITLE_FONT, TITLE_SIZE)


def heading(document: Any, text: str) -> None:
    """A first-level heading: 黑体, not Word's blue "Heading" style, which the standard does not know."""
    p = document.add_paragraph()
    p.paragraph_format.keep_with_next = True
    _font(p.add_run(text), HEADING_FONT, BODY_SIZE)


def subheading(document: Any, text: str) -> None:
    """A second-level heading (一、二、…): 黑体 too, indented as a paragraph."""
    p = document.add_paragraph()
    p.paragraph_format.first_line_indent = Pt(32)
    p.paragraph_format.keep_with_next = True
    _font(p.add_run(text), HEADING_FONT, BODY_SIZE)


def paragraph(document: Any, text: str) -> None:
    p = document.add_paragraph()
    p.paragraph_format.first_line_indent = Pt(32)  # two characters
    _font(p.add_run(text), BODY_FONT, BODY_SIZE)


def table(document: Any, headers: Sequence[Any], rows: Iterable[Sequence[Any]], widths: Sequence[float] = ()) -> Any:
    """A grid with a bold header row; ``widths`` are the columns' shares of the type area (equal by default)."""
    grid = document.add_table(rows=1, cols=len(headers))
    grid.style = "Table Grid"
    grid.autofit = False
    shares = list(widths) or [1.0] * len(headers)
    columns = [Mm(TYPE_AREA_MM * share / sum(shares)) for share in shares]
    for cell, header in zip(grid.rows[0].cells, headers, strict=True):
        _cell(cell, str(header), bold=True)
    for row in rows:
        for cell, value in zip(grid.add_row().cells, row, strict=True):
            _cell(cell, str(value))
    # Word reads each cell's width, LibreOffice the grid's: set both
    for column, width in zip(grid.columns, columns, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width
    return grid


def _cell(cell: Any, text: str, bold: bool = False) -> None:
    p = cell.paragraphs[0]
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    p.paragraph_format.first_line_indent = Pt(0)
    _font(p.add_run(text), BODY_FONT, TABLE_SIZE, bold=bold)
