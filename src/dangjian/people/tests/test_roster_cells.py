"""Single cells as spreadsheets deliver them: dates in every common form, numbers for text, phone numbers."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from dangjian.people.roster import cells
from dangjian.people.roster.cells import CellError


@pytest.mark.parametrize(
    "value",
    [
        "2020-01-02",
        "2020/1/2",
        "2020.01.02",
        "20200102",
        "2020年1月2日",
        " 2020-1-2 ",
        "2020-01-02 00:00:00",
        date(2020, 1, 2),
        datetime(2020, 1, 2, 15, 30),
        43832,
        43832.0,
        20200102.0,
    ],
)
def test_dates_in_every_common_form(value):
    assert cells.to_date(value) == date(2020, 1, 2)


@pytest.mark.parametrize("value", [None, "", "   "])
def test_blank_dates(value):
    assert cells.to_date(value) is None


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("2020-13-01", "不存在"),
        ("2020-02-30", "不存在"),
        ("明年", "无法识别"),
        ("2020", "无法识别"),
        (2020, "无法识别"),
        (timedelta(hours=3), "时间"),
        (True, "无法识别"),
    ],
)
def test_bad_dates(value, fragment):
    with pytest.raises(CellError, match=fragment):
        cells.to_date(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("11010519491231002x", "11010519491231002X"),
        (" 110105 19491231 002X ", "11010519491231002X"),
        ("'11010519491231002X", "11010519491231002X"),
        (110105491231002.0, "110105491231002"),
    ],
)
def test_id_text(value, expected):
    assert cells.id_text(value).upper() == expected


@pytest.mark.parametrize("value", [110105194912310021.0, 1.10105194912e17, "1.10105E+17", "1.1e17"])
def test_id_numbers_rounded_by_excel_are_refused(value):
    with pytest.raises(CellError, match="存成了数字"):
        cells.id_text(value)


@pytest.mark.parametrize("value", ["13800138000", 13800138000.0, "010-12345678", "0755-1234567", "02112345678", ""])
def test_good_phones(value):
    assert cells.phone(value) == ("13800138000" if isinstance(value, float) else value)


@pytest.mark.parametrize("value", ["12800138000", "1380013800", "138001380001", "12345", "abc"])
def test_bad_phones(value):
    with pytest.raises(CellError):
        cells.phone(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, ""), (" a ", "a"), (12.0, "12"), (1.5, "1.5"), (date(2020, 1, 2), "2020-01-02")],
)
def test_text(value, expected):
    assert cells.text(value) == expected
