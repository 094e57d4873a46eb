"""The bounded reader: each limit refused with a message naming it, before any grid is allocated."""

from __future__ import annotations

import pytest

from dangjian.sheets import SheetError, capped_errors, find_header, read_rows
from dangjian.sheets.limits import Limits

from .craft import column_letters, corner_bomb, row_xml, xlsx

SMALL = Limits(
    max_bytes=1024 * 1024, max_rows=50, max_columns=10, max_cells=200, max_cell_chars=100, max_xml_bytes=1024 * 1024
)


def test_the_corner_bomb_is_a_small_file_refused_by_its_row_count():
    data = corner_bomb()
    assert len(data) < 2000
    with pytest.raises(SheetError, match="1048576 行，超过上限 200000 行"):
        read_rows(data, "bomb.xlsx")


def test_a_declared_dimension_past_the_limits_is_refused_before_reading_rows():
    data = xlsx([row_xml(1, ["姓名"])], dimension="A1:XFD1048576")
    with pytest.raises(SheetError, match="声明的范围.*上限"):
        read_rows(data, "declared.xlsx")


def test_columns_and_cells_past_the_limits_are_refused_with_the_limit_named():
    wide = xlsx([row_xml(1, ["x"] * 11)])
    with pytest.raises(SheetError, match="11 列，超过上限 10 列"):
        read_rows(wide, "wide.xlsx", limits=SMALL)
    many = xlsx([row_xml(r, ["x"] * 5) for r in range(1, 42)])
    with pytest.raises(SheetError, match="41 行 × 5 列，超过 200 个单元格的上限"):
        read_rows(many, "many.xlsx", limits=SMALL)


def test_cells_placed_by_position_or_by_character_reference_are_counted_as_calamine_places_them():
    by_position = xlsx(['<row r="1">' + "<c><v>1</v></c>" * 11 + "</row>"])
    with pytest.raises(SheetError, match="11 列"):
        read_rows(by_position, "pos.xlsx", limits=SMALL)
    by_reference = xlsx(['<row r="1"><c r="&#88;FD1"><v>1</v></c></row>'])  # "XFD1" written with &#88;
    with pytest.raises(SheetError, match="16384 列"):
        read_rows(by_reference, "ref.xlsx", limits=SMALL)


def test_a_cell_longer_than_excels_limit_is_refused():
    data = xlsx([row_xml(1, ["姓名"]), row_xml(2, ["长" * 101])])
    with pytest.raises(SheetError, match="第2行第1列.*101 个字符.*100 个字符的上限"):
        read_rows(data, "long.xlsx", limits=SMALL)


def test_the_size_limit_applies_before_anything_is_read():
    with pytest.raises(SheetError, match="超过上限 1 MB"):
        read_rows(b"a," * (600 * 1024), "big.csv", limits=SMALL)


def test_a_valid_sheet_keeps_excel_row_numbers_and_formula_text():
    rows = read_rows(xlsx([row_xml(1, ["a", "b"]), row_xml(3, ["=x", 2.5])]), "ok.xlsx", limits=SMALL)
    assert rows[0] == ["a", "b"] and rows[2] == ["=x", 2.5]


def test_a_zip_bomb_is_refused_by_its_declared_size():
    data = xlsx([row_xml(r, ["0" * 90] * 10) for r in range(1, 2000)])
    small_xml = Limits(**{**SMALL.__dict__, "max_rows": 10**6, "max_cells": 10**9, "max_xml_bytes": 100_000})
    with pytest.raises(SheetError, match="解压后.*超过上限"):
        read_rows(data, "bomb.xlsx", limits=small_xml)


def test_a_csv_row_of_millions_of_columns_is_refused_without_splitting_it():
    with pytest.raises(SheetError, match="超过 10 列的上限"):
        read_rows(b"a" + b"," * 5_000_000 + b"\n", "wide.csv", limits=Limits(**{**SMALL.__dict__, "max_bytes": 10**7}))


def test_commas_inside_quoted_csv_fields_do_not_count_as_columns():
    text = 'a,b\n"' + "x," * 50 + '",2\n'
    rows = read_rows(text.encode(), "quoted.csv", limits=SMALL)
    assert rows[1] == ["x," * 50, "2"]


def test_csv_rows_and_cells_are_counted_while_parsing():
    with pytest.raises(SheetError, match="51 行，超过上限 50 行"):
        read_rows(b"a\n" * 51, "rows.csv", limits=SMALL)
    with pytest.raises(SheetError, match="第2行第2列.*上限"):
        read_rows(("a,b\n1," + "x" * 101 + "\n").encode(), "cell.csv", limits=SMALL)


def test_the_header_is_found_below_an_exports_title_row():
    rows = [["职工花名册", None, None], ["序号", "姓名", "性别"], [1, "张三", "男"]]
    assert find_header(rows) == 1
    assert find_header([[None], ["姓名", "性别"], ["张三", "男"]]) == 1
    assert find_header([["姓名"], ["张三"]]) == 0  # a one-column sheet has no title


def test_reports_keep_the_first_errors_and_count_the_rest():
    kept, more = capped_errors(list(range(2500)), 1000)
    assert kept == list(range(1000)) and more == 1500
    assert capped_errors([1, 2], 1000) == ([1, 2], 0)


def test_column_letters_of_the_craft_helper():
    assert column_letters(16384) == "XFD" and column_letters(26) == "Z"
