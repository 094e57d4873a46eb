from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian.idgen import make_id_number
from dangjian.people.idcard import IdNumberError, check_char, mask, parse_id_number


def test_the_published_example_is_valid_and_female():
    parsed = parse_id_number("11010519491231002X")
    assert parsed.number == "11010519491231002X"
    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.sex == "F"


def test_lower_case_x_is_accepted_and_stored_upper():
    assert parse_id_number("11010519491231002x").number == "11010519491231002X"


@pytest.mark.parametrize(
    "value, fragment",
    [
        ("110105194912310021", "校验码错误"),
        ("1101051949123100", "应为18位"),
        ("11010519491331002X", "不是有效日期"),
        ("1101051949123A002X", "前17位必须是数字"),
        ("", "为空"),
    ],
)
def test_invalid_numbers_say_what_is_wrong_in_chinese(value, fragment):
    with pytest.raises(ValueError) as info:
        parse_id_number(value)
    assert fragment in str(info.value)
    assert isinstance(info.value, IdNumberError)


def test_a_birth_date_in_the_future_is_refused():
    body = "11010520990101001"
    with pytest.raises(ValueError, match="晚于今天"):
        parse_id_number(body + check_char(body))


def test_fifteen_digit_numbers_convert_only_when_allowed():
    with pytest.raises(ValueError):
        parse_id_number("110105491231002")
    parsed = parse_id_number("110105491231002", allow_15=True)
    assert parsed.number.startswith("11010519491231002") and parsed.converted_from_15
    assert parsed.sex == "F"


def test_mask_keeps_only_the_ends():
    assert mask("11010519491231002X") == "110*************2X"


@given(
    st.dates(min_value=date(1930, 1, 1), max_value=date(2008, 12, 31)),
    st.sampled_from("MF"),
    st.integers(0, 998),
)
def test_generated_numbers_round_trip(birth, sex, serial):
    parsed = parse_id_number(make_id_number(birth, sex, serial))
    assert (parsed.birth_date, parsed.sex) == (birth, sex)


def test_the_module_imports_without_django_settings():
    import subprocess
    import sys

    code = (
        "import os; os.environ.pop('DJANGO_SETTINGS_MODULE', None); "
        "from dangjian.people.idcard import parse_id_number as p; print(p('11010519491231002X').sex)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"PATH": "/usr/bin"})
    assert out.stdout.strip() == "F", out.stderr


def test_someone_born_on_29_february_completes_a_year_on_28_february():
    from dangjian.people.idcard import full_years

    assert full_years(date(2008, 2, 29), date(2026, 2, 27)) == 17
    assert full_years(date(2008, 2, 29), date(2026, 2, 28)) == 18
    assert full_years(date(2008, 2, 29), date(2028, 2, 28)) == 19  # leap year: the 29th exists
    assert full_years(date(2008, 2, 29), date(2028, 2, 29)) == 20
