"""The party-document layout every ledger part is written in: A4, GB/T 9704 margins, fonts, tables that print."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from dangjian.core import paper


def _reopen(document) -> docx.Document:
    return docx.Document(BytesIO(paper.to_bytes(document)))


def test_a_new_document_is_a4_with_the_type_area_of_gb_t_9704_and_page_numbers_on_the_outer_side():
    back = _reopen(paper.new_document())
    (section,) = back.sections
    mm = [round(x.mm) for x in (section.page_width, section.page_height)]  # stored in twips: 210 mm is 209.99
    margins = [
        round(x.mm) for x in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    ]
    assert mm == [210, 297] and margins == [37, 35, 28, 26]  # the type area: 156 × 225 mm
    assert back.settings.odd_and_even_pages_header_footer
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
    assert even.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.LEFT
    assert "PAGE" in "".join(odd._p.itertext()) and odd.text.startswith("— ")
    normal = back.styles["Normal"]
    assert normal.font.size.pt == paper.SIZE_BODY
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == paper.FANGSONG


def test_headings_body_and_tables_carry_their_fonts_in_a_blank_document_too():
    document = docx.Document()  # a part may be rendered into a document made elsewhere
    paper.title(document, "台账")
    paper.heading(document, "民主评议党员情况（2026年）")
    paper.subheading(document, "一、组织关系转接")
    paper.paragraph(document, "本年度没有组织关系转接。")
    back = _reopen(document)
    fonts = [p.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) for p in back.paragraphs]
    assert fonts == [paper.XIAOBIAOSONG, paper.HEITI, paper.KAITI, paper.FANGSONG]
    assert back.paragraphs[1].style.name == "Heading 2"  # stays in the outline
    assert [p.runs[0].font.size.pt for p in back.paragraphs] == [22, 16, 16, 16]


def test_a_table_repeats_its_header_row_keeps_rows_whole_and_fills_the_type_area():
    document = paper.new_document()
    paper.table(document, ["姓名", "日期", "人数"], [["甲", "2026-01-02", 3], ["乙", "—", 4]], widths=(30, 21, 10))
    (table,) = _reopen(document).tables
    rows = table.rows
    assert [[c.text for c in r.cells] for r in rows] == [
        ["姓名", "日期", "人数"],
        ["甲", "2026-01-02", "3"],
        ["乙", "—", "4"],
    ]
    assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in rows)
    assert all(r._tr.trPr.find(qn("w:tblHeader")) is None for r in rows[1:])
    widths = [c.width for c in rows[1].cells]
    assert abs(sum(widths) - Mm(paper.TYPE_WIDTH_MM)) < Mm(1) and widths[0] > widths[1] > widths[2]
    with pytest.raises(ValueError):
        paper.table(document, ["a", "b"], [], widths=(1,))


def test_dates_and_amounts_as_the_ledger_writes_them():
    assert paper.cn_date(date(2025, 3, 5)) == "2025年3月5日" and paper.cn_date(None) == ""
    assert paper.iso(date(2025, 3, 5)) == "2025-03-05" and paper.iso(None) == "—"
    assert paper.money(Decimal("500")) == "500.00" and paper.money(None) == "0.00"


def test_a_letter_has_no_page_number_and_its_signature_sits_right_above_its_date():
    document = paper.new_document(numbered=False)
    paper.signature(document, "中共一支部（盖章）", "2026年3月2日")
    paper.signature(document, "中共星河无线电计量测试研究所党委组织部门（党委办公室）", "2026年3月2日")
    back = _reopen(document)
    (section,) = back.sections
    assert "PAGE" not in "".join(section.footer._element.itertext())
    indents = [round(p.paragraph_format.right_indent.pt) for p in back.paragraphs]
    assert indents == [32, 64, 0, 64]  # two characters in, the date four; a 27-character name at the edge
    assert all(p.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT for p in back.paragraphs)
    assert back.paragraphs[0].paragraph_format.keep_with_next


def test_particulars_are_label_and_value_rows_without_a_header_across_the_type_area():
    document = paper.new_document()
    paper.particulars(document, [("姓名", "李文静"), ("确定为入党积极分子时间", "2022年8月1日")])
    (table,) = _reopen(document).tables
    assert [[c.text for c in r.cells] for r in table.rows] == [
        ["姓名", "李文静"],
        ["确定为入党积极分子时间", "2022年8月1日"],
    ]
    assert all(r._tr.trPr.find(qn("w:tblHeader")) is None for r in table.rows)
    assert abs(sum(c.width for c in table.rows[0].cells) - Mm(paper.TYPE_WIDTH_MM)) < Mm(1)
    assert table.rows[1].cells[0].paragraphs[0].runs[0].font.size.pt == paper.SIZE_FORM


def test_a_signature_after_a_table_takes_the_last_row_with_it_and_tall_rows_may_split():
    document = paper.new_document()
    paper.table(document, ["甲", "乙"], [["1", "一"], ["2", "二"]], split=True)
    paper.signature(document, "中共一支部", "2026年12月6日")
    (table,) = document.tables
    first, last = table.rows[1], table.rows[2]
    assert first._tr.trPr is None or first._tr.trPr.find(qn("w:cantSplit")) is None  # split=True: rows may break

    def keeps(row) -> bool:
        props = [p._p.pPr for p in row.cells[0].paragraphs]
        return all(pr is not None and pr.find(qn("w:keepNext")) is not None for pr in props)

    assert keeps(last) and not keeps(first)  # no page holds the signature alone (GB/T 9704 §7.3.5.1)


def test_a_document_number_and_the_name_an_organisation_signs_with():
    document = paper.new_document()
    paper.doc_number(document, "一支部〔2026〕3号")
    paper.title(document, "关于某事的请示")
    number, heading = document.paragraphs
    assert number.text == "一支部〔2026〕3号" and number.alignment == 1  # centred above the title
    assert paper.party_name("测试所党委") == "中共测试所党委"
    assert paper.party_name("中共某大学委员会") == "中共某大学委员会"


def test_a_form_can_be_set_smaller_to_fit_one_page():
    document = paper.new_document(numbered=False, size=paper.SIZE_FORM, pitch=Pt(19))
    paper.paragraph(document, "正文", size=paper.SIZE_FORM)
    normal = document.styles["Normal"]
    assert normal.font.size.pt == 14 and normal.paragraph_format.line_spacing.pt == 19
    assert document.paragraphs[-1].runs[0].font.size.pt == 14


def test_a_signature_takes_the_last_paragraph_of_the_text_with_it():
    """GB/T 9704 §7.3.5.1: no page holds only the signature and the date."""
    doc = paper.new_document()
    paper.paragraph(doc, "正文第一段。")
    last = paper.paragraph(doc, "正文最后一段。")
    paper.signature(doc, "中共测试所党委", "2026年1月1日")
    assert last.paragraph_format.keep_with_next
    assert not doc.paragraphs[0].paragraph_format.keep_with_next


def test_a_letterhead_is_the_red_mark_the_number_and_the_red_line_fitted_to_the_type_area():
    doc = paper.new_document()
    paper.letterhead(doc, "中共星河无线电计量测试研究所委员会", "星河所党发〔2026〕3号")
    paper.title(doc, "关于组建某某党员突击队的通知")
    doc = docx.Document(BytesIO(paper.to_bytes(doc)))
    mark, number, title = doc.paragraphs[:3]
    assert mark.text == "中共星河无线电计量测试研究所委员会文件"
    run = mark.runs[0]
    assert str(run.font.color.rgb) == "FF0000"
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == paper.XIAOBIAOSONG
    assert run.font.size.pt * len(mark.text) * 25.4 / 72 <= paper.TYPE_WIDTH_MM  # nineteen characters on one line
    assert round(mark.paragraph_format.space_before.mm) == 35
    bottom = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert (bottom.get(qn("w:val")), bottom.get(qn("w:color"))) == ("single", "FF0000")
    assert title.text == "关于组建某某党员突击队的通知"
