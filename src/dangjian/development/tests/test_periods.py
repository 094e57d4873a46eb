from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian.development.periods import add_months, add_years

DATES = st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31))


@pytest.mark.parametrize(
    "start, months, expected",
    [
        (date(2024, 1, 15), 1, date(2024, 2, 15)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # no 31 February: last day of the month
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 3, 31), 3, date(2024, 6, 30)),
        (date(2023, 12, 15), 1, date(2024, 1, 15)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
    ],
)
def test_add_months_keeps_the_day_or_falls_back_to_month_end(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    "start, expected",
    [
        (date(2024, 2, 29), date(2025, 2, 28)),
        (date(2023, 2, 28), date(2024, 2, 28)),
        (date(2017, 8, 9), date(2018, 8, 9)),
        (date(2023, 3, 1), date(2024, 3, 1)),
    ],
)
def test_add_years_uses_the_corresponding_day(start, expected):
    assert add_years(start, 1) == expected


@given(DATES, st.integers(-120, 120))
def test_add_months_lands_in_the_right_month_on_the_right_day(start, months):
    result = add_months(start, months)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    next_month = add_months(result.replace(day=1), 1)
    month_length = (next_month - result.replace(day=1)).days
    assert result.day == min(start.day, month_length)


@given(DATES, DATES, st.integers(0, 24))
def test_add_months_is_monotonic(a, b, months):
    a, b = sorted((a, b))
    assert add_months(a, months) <= add_months(b, months)
    assert add_months(a, months) >= a


@given(DATES, st.integers(0, 5))
def test_years_are_twelve_months(start, years):
    assert add_years(start, years) == add_months(start, 12 * years)


def test_a_year_is_365_or_366_days_or_one_less_from_29_february():
    assert add_years(date(2024, 2, 29), 1) - date(2024, 2, 29) == timedelta(days=365)
    assert add_years(date(2023, 3, 1), 1) - date(2023, 3, 1) == timedelta(days=366)


@pytest.mark.parametrize("months", [1.5, "1", True, None])
def test_add_months_refuses_non_integers_in_chinese(months):
    with pytest.raises(ValueError, match="整数"):
        add_months(date(2024, 1, 1), months)


def test_add_months_refuses_non_dates_and_overflow():
    with pytest.raises(ValueError, match="日期"):
        add_months("2024-01-01", 1)
    with pytest.raises(ValueError, match="超出范围"):
        add_months(date(9999, 12, 1), 1)
