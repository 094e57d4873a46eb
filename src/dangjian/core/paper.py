"""The party-document layout for .docx (党政机关公文格式, GB/T 9704-2012), shared by every document provider.

A provider adds its part of an organisation's yearly record to a document it is given (the ledger assembles
them), so every helper formats its own runs directly instead of relying on the document's styles: a part looks
the same in a document made by :func:`new_document` and in a blank python-docx one. :func:`new_document` sets
what belongs to the whole document: A4 paper (python-docx starts from US Letter), the margins of the type area
(GB/T 9704 §5.2.2: 156 × 225 mm, top 37 mm, left 28 mm), 22 lines a page, 仿宋 at 三号 for the body and the page
numbers (§7.5: 4号 Arabic digits between two dashes, right on odd pages and left on even pages).

Fonts are named as Chinese offices have them (仿宋, 黑体, 方正小标宋简体), so Word and WPS use the real faces. A
server has none of them: LibreOffice converting to PDF there should run with ``FONTCONFIG_FILE=FONTCONFIG``, which
maps each name to the Noto CJK face Debian's fonts-noto-cjk installs (serif for 仿宋, sans for 黑体); without it
every Chinese character falls back to one sans-serif face.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from copy import deepcopy
from datetime import date
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

FONTCONFIG = Path(__file__).with_name("fonts.conf")
# the ruled table style's id in python-docx's blank template ("Table Grid"): set by id, as looking a style up by its
# name reads the document's styles each time
TABLE_GRID = "TableGrid"

FANGSONG = "仿宋"
HEITI = "黑体"
KAITI = "楷体"
XIAOBIAOSONG = "方正小标宋简体"
SONGTI = "宋体"
LATIN = "Times New Roman"

SIZE_TITLE = 22  # 二号
SIZE_BODY = 16  # 三号
SIZE_PAGE_NUMBER = 14  # 四号
SIZE_FORM = 14  # 四号: a form's particulars, two columns
SIZE_TABLE = 10.5  # 五号: a ledger table of seven columns does not fit the type area at 三号

TYPE_WIDTH_MM = 156
TYPE_WIDTH_LANDSCAPE_MM = 297 - 28 - 26  # the type area of a landscape page (set_a4(..., landscape=True))
CHARS_PER_LINE = 28  # of 三号 across the type area (§5.2.2)
LINE_PITCH = Pt(28.95)  # 225 mm / 22 lines
BLACK = RGBColor(0, 0, 0)
RED = RGBColor(0xFF, 0, 0)
SIZE_ISSUER = 36  # 小初: the issuer's mark, smaller when a long name would not fit the type area on one line
ISSUER_TOP = Mm(35)  # §7.2.2: the mark's upper edge 35 mm below the top of the type area


def cn_date(d: date | None) -> str:
    """2025年3月5日; an empty string for no date."""
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def iso(d: date | None) -> str:
    """2025-03-05 in a table cell, where space is short; "—" for no date."""
    return f"{d:%Y-%m-%d}" if d else "—"


def money(value: Decimal | None) -> str:
    """An amount in yuan with its two decimals (SQLite's sums drop them): 500.00; 0.00 for none."""
    return f"{Decimal(value or 0):.2f}"


def _font(run, font: str, size: float, *, bold: bool = False) -> None:
    run.font.name = LATIN
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = BLACK
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)


def set_a4(section, *, landscape: bool = False) -> None:
    """A4 with the margins of GB/T 9704 (landscape keeps the same margins turned with the page)."""
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(35 - 7 - 5)  # the page number's dashes sit 7 mm below the type area


def _field(paragraph, instruction: str, result: str, font: str, size: float) -> None:
    """A field (``PAGE``, ``PAGEREF name``) in ``paragraph``, its last computed ``result`` shown until it is updated
    (LibreOffice and WPS compute both when they lay the pages out; Word when asked to, see :func:`update_fields`)."""
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, result), ("end", None)):
        run = paragraph.add_run()
        _font(run, font, size)
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._element.append(char)
        elif text == instruction:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run._element.append(instr)
        else:
            run.text = text


def _page_field(paragraph) -> None:
    run = paragraph.add_run("— ")
    _font(run, SONGTI, SIZE_PAGE_NUMBER)
    _field(paragraph, "PAGE", "1", SONGTI, SIZE_PAGE_NUMBER)
    run = paragraph.add_run(" —")
    _font(run, SONGTI, SIZE_PAGE_NUMBER)


def bookmark(paragraph, name: str, number: int) -> None:
    """Marks ``paragraph`` as the bookmark ``name`` (``number`` unique in the document), for :func:`contents_line`."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    p = paragraph._p
    p.insert(1 if p.pPr is not None else 0, start)
    p.append(end)


def contents_line(document, text: str, target: str, *, width_mm: float = TYPE_WIDTH_MM):
    """A line of a table of contents: ``text``, a dotted leader, and the page of the bookmark ``target`` (a
    ``PAGEREF`` field: a TOC field would need Word to build it, and LibreOffice converts it empty)."""
    from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER

    p = paragraph(document, text, indent=False)
    p.paragraph_format.tab_stops.add_tab_stop(Mm(width_mm), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    _font(p.add_run("\t"), FANGSONG, SIZE_BODY)
    _field(p, f"PAGEREF {target} \\h", "", FANGSONG, SIZE_BODY)
    return p


def update_fields(document) -> None:
    """Asks Word to update the fields when it opens the document (a contents line's page number)."""
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is None:
        el = OxmlElement("w:updateFields")
        el.set(qn("w:val"), "true")
        settings.append(el)


def page_numbers(document, section) -> None:
    """GB/T 9704 §7.5: odd pages right, even pages left, one character in from the edge of the type area."""
    document.settings.odd_and_even_pages_header_footer = True
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        p.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            p.paragraph_format.right_indent = Pt(SIZE_PAGE_NUMBER)
        else:
            p.paragraph_format.left_indent = Pt(SIZE_PAGE_NUMBER)
        _page_field(p)


def new_document(*, numbered: bool = True, size: float = SIZE_BODY, pitch=LINE_PITCH):
    """A blank document in the party-document layout: A4, GB/T 9704 margins, 仿宋 三号, page numbers.

    ``numbered=False`` leaves the page number out, for a one-page letter (信函格式: 首页不显示页码, §10.1).
    ``size`` and ``pitch`` set a smaller body and line pitch for a form that must fit one page (the three parts of a
    transfer letter); the helpers below take the same ``size``.
    """
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = LATIN
    normal.font.size = Pt(size)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FANGSONG)
    # The blank template says its East Asian text is en-US with a Japanese theme font: Chinese here.
    for lang in document.styles.element.iter(qn("w:lang")):
        lang.set(qn("w:eastAsia"), "zh-CN")
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = pitch
    fmt.space_before = fmt.space_after = Pt(0)
    for section in document.sections:
        set_a4(section)
        if numbered:
            page_numbers(document, section)
    return document


def title(document, text: str, *, size: float = SIZE_TITLE, space_after: float = SIZE_BODY):
    """The document's title: 小标宋 二号, centred (GB/T 9704 §7.3.1)."""
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(space_after)
    p.paragraph_format.keep_with_next = True
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE  # an exact 三号 pitch would clip 二号 glyphs
    _font(p.add_run(text), XIAOBIAOSONG, size)
    return p


def doc_number(document, text: str, *, size: float = SIZE_BODY):
    """The 发文字号 (〔2026〕3号) centred one line below the title area (GB/T 9704 §7.2.4: 发文机关代字、年份、序号,
    the year in 六角括号)."""
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(size)
    p.paragraph_format.keep_with_next = True
    _font(p.add_run(text), FANGSONG, size)
    return p


def letterhead(document, issuer: str, number: str) -> None:
    """The 版头 of a numbered document (GB/T 9704 §7.2): the issuer's mark (发文机关标志: the issuer and 文件) in red
    小标宋, centred 35 mm below the top of the type area; the 发文字号 two lines under it, centred; under that a red
    line as wide as the type area (版头中的分隔线, 4 mm below the number); the title follows two lines lower."""
    mark = f"{issuer}文件"
    size = min(SIZE_ISSUER, int(TYPE_WIDTH_MM / max(_chars(mark), 1) / 25.4 * 72))
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = p.paragraph_format
    fmt.space_before = ISSUER_TOP
    fmt.keep_with_next = True
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    run = p.add_run(mark)
    _font(run, XIAOBIAOSONG, size)
    run.font.color.rgb = RED
    p = document.add_paragraph()
    borders = OxmlElement("w:pBdr")  # first, so that python-docx puts the spacing and alignment after it
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "12"), ("space", "11"), ("color", "FF0000")):
        bottom.set(qn(f"w:{key}"), value)  # 1.5 pt, 11 pt (4 mm) below the number
    borders.append(bottom)
    p._p.get_or_add_pPr().append(borders)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = p.paragraph_format
    fmt.space_before = Pt(LINE_PITCH.pt * 2)
    fmt.space_after = Pt(LINE_PITCH.pt * 2)
    fmt.keep_with_next = True
    _font(p.add_run(number), FANGSONG, SIZE_BODY)


def party_name(name: str) -> str:
    """An organisation's name as it signs a document: 中共 in front (中共某所党委), unless the name has it."""
    return name if name.startswith(("中共", "中国共产党")) else f"中共{name}"


def heading(document, text: str):
    """A part's heading: 黑体 三号, the first level of a party document (§7.3.3), kept with what follows.

    Written in the "Heading 2" style so that it stays in the document's outline (navigation pane, contents).
    """
    p = document.add_heading(level=2)
    fmt = p.paragraph_format
    fmt.space_before, fmt.space_after = Pt(SIZE_BODY), Pt(SIZE_BODY / 2)
    fmt.keep_with_next = True
    _font(p.add_run(text), HEITI, SIZE_BODY)
    return p


def subheading(document, text: str):
    """The second level inside a part: 楷体 三号 (GB/T 9704 §7.3.3), kept with what follows."""
    p = document.add_paragraph()
    p.paragraph_format.keep_with_next = True
    p.paragraph_format.space_before = Pt(SIZE_BODY / 2)
    p.paragraph_format.first_line_indent = Pt(SIZE_BODY * 2)
    _font(p.add_run(text), KAITI, SIZE_BODY)
    return p


def paragraph(document, text: str, *, indent: bool = True, size: float = SIZE_BODY):
    """Body text: 仿宋 三号, the first line indented by two characters."""
    p = document.add_paragraph()
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    _font(p.add_run(text), FANGSONG, size)
    return p


def right(document, text: str, *, chars: int = 0, size: float = SIZE_BODY):
    """A line against the right edge of the type area, ``chars`` characters in (a letter's number sits at the edge:
    信函格式, §10.1)."""
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    p.paragraph_format.right_indent = Pt(size * chars)
    _font(p.add_run(text), FANGSONG, size)
    return p


def _chars(text: str) -> float:
    """The width of ``text`` in characters of the body size: a Latin letter or digit takes half of one."""
    return sum(1 if unicodedata.east_asian_width(c) in "FW" else 0.5 for c in text)


def _keep_last_row_with_next(document) -> None:
    """A signature right after a table takes the table's last row with it to the next page, so that no page holds
    only the signature and the date (GB/T 9704 §7.3.5.1). Word and WPS keep the row with what follows; LibreOffice
    ignores keep-with-next inside a table, and there the spacing has to be adjusted by hand."""
    body = document.element.body
    last = next((el for el in reversed(body) if el.tag != qn("w:sectPr")), None)
    if last is None or last.tag != qn("w:tbl"):
        return
    rows = last.findall(qn("w:tr"))
    if rows:
        for p in rows[-1].iter(qn("w:p")):
            p_pr = p.get_or_add_pPr()
            if p_pr.find(qn("w:keepNext")) is None:
                p_pr.append(OxmlElement("w:keepNext"))


def _keep_last_paragraph_with_next(document) -> None:
    """The text's last paragraph goes to the next page with the signature rather than leave it alone there
    (GB/T 9704 §7.3.5.1: no page with only the signature and the date)."""
    body = document.element.body
    last = next((el for el in reversed(body) if el.tag != qn("w:sectPr")), None)
    if last is not None and last.tag == qn("w:p"):
        Paragraph(last, document._body).paragraph_format.keep_with_next = True


def signature(document, signer: str, dated: str, *, size: float = SIZE_BODY) -> None:
    """The issuing organisation and the date under the text, one line below it (GB/T 9704 §7.3.5.1): the date
    four characters in from the right edge, the signer above it two characters in — or at the edge when its
    name would otherwise wrap (a long name cannot be centred over the date inside the type area). The two lines
    stay on one page."""
    _keep_last_row_with_next(document)
    _keep_last_paragraph_with_next(document)
    per_line = TYPE_WIDTH_MM / (size * 25.4 / 72)
    indent = 2 if _chars(signer) + 2 <= per_line else 0
    p = right(document, signer, chars=indent, size=size)
    p.paragraph_format.space_before = Pt(size * LINE_PITCH.pt / SIZE_BODY)
    p.paragraph_format.keep_with_next = True
    right(document, dated, chars=4, size=size)


def cut_line(document, text: str):
    """The line along which a form's parts are cut apart: centred at 五号, so that its dashes stay on one line."""
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = p.paragraph_format
    fmt.space_before = fmt.space_after = Pt(SIZE_TABLE / 2)
    _font(p.add_run(text), SONGTI, SIZE_TABLE)
    return p


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _narrow_cell_margins(table) -> None:
    """1 mm inside each cell instead of Word's 1.9 mm: a seven-column table keeps its dates on one line."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), "57")  # twentieths of a point
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    table._tbl.tblPr.append(margins)


def _cant_split(row) -> None:
    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


# formatted cells (properties and an empty run) by (width, font, bold, centred, size): a cell is filled with a copy
_CELLS: dict[tuple[int, str, bool, bool, float], list] = {}


def _fill(
    cell, text: str, width, font: str, *, bold: bool = False, center: bool = False, size: float = SIZE_TABLE
) -> None:
    """Formats ``cell`` and writes ``text`` in it. Formatting through python-docx takes about 1 ms a cell, so the
    first cell of each format is kept and the next ones are copies of it (a ledger has thousands of cells)."""
    key = (int(width), font, bold, center, size)
    tc = cell._tc
    model = _CELLS.get(key)
    if model is None:
        _format(cell, width, font, bold=bold, center=center, size=size)
        if len(_CELLS) > 1024:
            _CELLS.clear()
        _CELLS[key] = [deepcopy(child) for child in tc]
    else:
        for child in list(tc):
            tc.remove(child)
        for child in model:
            tc.append(deepcopy(child))
    _write(tc.find(f"{qn('w:p')}/{qn('w:r')}"), text)


def _write(run, text: str) -> None:
    """``text`` into an empty run: one ``w:t`` directly, or python-docx's ``Run.text`` for line breaks and tabs."""
    if "\n" in text or "\t" in text or "\r" in text:
        run.text = text
    elif text:
        t = run.makeelement(qn("w:t"), {})
        t.text = text
        if text != text.strip():
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        run.append(t)


def _format(cell, width, font: str, *, bold: bool, center: bool, size: float) -> None:
    """The cell's width, its paragraph's spacing and alignment, and one empty run in ``font`` at ``size``."""
    cell.width = width
    p = cell.paragraphs[0]
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.space_before = fmt.space_after = Pt(1)
    fmt.first_line_indent = Pt(0)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run(), font, size, bold=bold)


def particulars(document, rows: Iterable[tuple[str, Any]], *, widths: tuple[float, float] = (2, 3)):
    """A ruled two-column table of a form's particulars, label and value (姓名｜李文静), without a header row:
    at 四号, so that a label of eleven characters fits on one line in two fifths of the type area."""
    mm = [Mm(TYPE_WIDTH_MM * s / sum(widths)) for s in widths]
    t = document.add_table(rows=0, cols=2)
    t._tbl.tblPr.style = TABLE_GRID
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    for column, width in zip(t.columns, mm, strict=True):
        column.width = width
    rows = [(label, value) for label, value in rows]
    if rows:
        prototype = t.add_row()
        _cant_split(prototype)
        label_cell, value_cell = prototype.cells
        _fill(label_cell, "", mm[0], FANGSONG, center=True, size=SIZE_FORM)
        _fill(value_cell, "", mm[1], FANGSONG, size=SIZE_FORM)
        _copy_rows(prototype, rows)
    return t


def table(
    document,
    headers: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    widths: Sequence[float] | None = None,
    numeric: Sequence[int] = (),
    split: bool = False,
    width_mm: float = TYPE_WIDTH_MM,
):
    """A ruled table across the type area: the header row repeats on every page and no row splits across pages.

    ``split=True`` lets a row break across pages, for a table whose rows can be tall (a case's steps of a year):
    kept whole, such a row leaves the rest of the page blank before it.

    ``widths`` are the columns' widths in millimetres, scaled to the 156 mm of the type area when they add up to
    more or less (at 五号 a Chinese character takes 3.7 mm, a date 2026-03-05 19 mm with the cell's margins); the
    columns whose indexes are in ``numeric`` are centred (counts, dates). Values are written with ``str``.
    ``width_mm`` is the width to fill: ``TYPE_WIDTH_LANDSCAPE_MM`` on a landscape page.
    """
    n = len(headers)
    shares = list(widths) if widths else [1.0] * n
    if len(shares) != n:
        raise ValueError("one width per column")
    total = sum(shares)
    mm = [Mm(width_mm * s / total) for s in shares]
    t = document.add_table(rows=1, cols=n)
    t._tbl.tblPr.style = TABLE_GRID
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    _narrow_cell_margins(t)
    for column, width in zip(t.columns, mm, strict=True):
        column.width = width
    header = t.rows[0]
    _repeat_header(header)
    _cant_split(header)
    for cell, text, width in zip(header.cells, headers, mm, strict=True):
        _fill(cell, str(text), width, HEITI, center=True)
    centred = set(numeric)
    body = list(rows)
    if body:
        prototype = t.add_row()
        if not split:
            _cant_split(prototype)
        for i, (cell, width) in enumerate(zip(prototype.cells, mm, strict=True)):
            _fill(cell, "", width, FANGSONG, center=i in centred)
        _copy_rows(prototype, body)
    return t


def _copy_rows(prototype, rows: Sequence[Sequence[Any]]) -> None:
    """Puts one row after ``prototype`` for each of ``rows``, each a copy of it with its cells' texts set, then
    removes ``prototype``: formatting every cell's paragraph and run through python-docx takes about 1 ms a cell (a
    branch's year has thousands), copying the formatted row's XML a small fraction of that. Each of the prototype's
    cells holds one paragraph with one formatted, empty run; a text's line breaks and tabs become ``w:br`` and
    ``w:tab`` as python-docx's ``Run.text`` makes them."""
    template = prototype._tr
    anchor = template
    for values in rows:
        tr = deepcopy(template)
        cells = tr.findall(qn("w:tc"))
        if len(cells) != len(values):
            raise ValueError("one value per column")
        for tc, value in zip(cells, values, strict=True):
            _write(tc.find(f"{qn('w:p')}/{qn('w:r')}"), str(value))
        anchor.addnext(tr)
        anchor = tr
    template.getparent().remove(template)


def page_break(document) -> None:
    """Whatever follows starts on a new page (same section: same orientation and page numbering)."""
    from docx.enum.text import WD_BREAK

    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def new_section(document, *, landscape: bool = False):
    """A new section on a new page, A4 portrait or landscape with the GB/T 9704 margins; its page numbers continue
    those of the section before (the footers stay linked) and show on its first page as well."""
    from docx.enum.section import WD_SECTION

    section = document.add_section(WD_SECTION.NEW_PAGE)
    set_a4(section, landscape=landscape)
    section.different_first_page_header_footer = False
    return section


def chapter(document, text: str):
    """A chapter's heading in a bound book of parts (a ledger's 基本情况, 党员花名册): 小标宋 二号, centred, in the
    "Heading 1" style so that it is the first level of the outline and of a table of contents."""
    p = document.add_heading(level=1)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = p.paragraph_format
    fmt.space_before, fmt.space_after = Pt(0), Pt(SIZE_BODY)
    fmt.keep_with_next = True
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _font(p.add_run(text), XIAOBIAOSONG, SIZE_TITLE)
    return p


def cover(document, lines: Sequence[tuple[str, str]], *, heading: str, year_line: str = ""):
    """A cover page: ``heading`` large and centred a third of the way down, ``year_line`` above it, and the
    ``lines`` (label, value) below, e.g. (单位, 某所党委), (支部名称, 某支部). Without a page number (the document's
    first section shows none on its first page); whatever follows starts on a new page."""
    section = document.sections[-1]
    section.different_first_page_header_footer = True
    if year_line:
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_before = Mm(40)
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        _font(p.add_run(year_line), HEITI, SIZE_TITLE)
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_before = Mm(10 if year_line else 50)
    p.paragraph_format.space_after = Mm(50)
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _font(p.add_run(heading), XIAOBIAOSONG, SIZE_ISSUER)
    for label, value in lines:
        p = document.add_paragraph()
        p.paragraph_format.left_indent = Pt(SIZE_BODY * 4)
        p.paragraph_format.space_after = Pt(SIZE_BODY)
        _font(p.add_run(f"{label}："), HEITI, SIZE_BODY)
        run = p.add_run(value)
        _font(run, FANGSONG, SIZE_BODY)
        run.font.underline = True
    page_break(document)


def to_bytes(document) -> bytes:
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def sign_in_table(
    document,
    headers: Sequence[Any],
    rows: Sequence[Sequence[Any]],
    *,
    widths: Sequence[float],
    across: int = 2,
    numeric: Sequence[int] = (),
    height: float = 8,
):
    """A sign-in sheet (签到表) ready to print: ``rows`` (one a person, e.g. 序号, 姓名, 签到, a blank 签名) laid out
    ``across`` people a line — down the first half, then down the second — so that a branch of forty fits one page,
    each line at least ``height`` mm tall so that a name can be signed in it. ``headers``, ``widths`` (mm, one
    person's columns) and ``numeric`` describe one person's columns and are repeated ``across`` times; the widths are
    scaled to the type area as in :func:`table`."""
    n = len(headers)
    people = [list(r) for r in rows]
    lines = -(-len(people) // across)
    laid = []
    for i in range(lines):
        line: list[Any] = []
        for k in range(across):
            j = k * lines + i
            line += people[j] if j < len(people) else [""] * n
        laid.append(line)
    centred = [k * n + c for k in range(across) for c in numeric]
    # a blank line is made by ``table`` and given the lines' height; every line is then a copy of it
    t = table(
        document,
        list(headers) * across,
        [[""] * (n * across)] if laid else [],
        widths=list(widths) * across,
        numeric=centred,
    )
    for row in t.rows:
        row.height = Mm(height)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        for cell in row.cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    if not laid:
        return t
    _copy_rows(t.rows[1], laid)
    return t


LANDSCAPE_TYPE_WIDTH_MM = 297 - 28 - 26  # the type area across a landscape A4 page (``set_a4(landscape=True)``)


def wide_table(
    document,
    headers: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    widths: Sequence[float] | None = None,
    numeric: Sequence[int] = (),
    split: bool = False,
    width_mm: float = LANDSCAPE_TYPE_WIDTH_MM,
):
    """:func:`table` across a type area of ``width_mm`` (a landscape page's 243 mm by default) instead of 156 mm:
    a register of ten columns on a page the ledger turns (a provider with ``landscape = True``)."""
    return table(document, headers, rows, widths=widths, numeric=numeric, split=split, width_mm=width_mm)
