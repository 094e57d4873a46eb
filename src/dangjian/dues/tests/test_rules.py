import subprocess
import sys
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian.dues.rules import dues_for, monthly_dues

D = Decimal


@pytest.mark.parametrize(
    "base, expected",
    [
        ("0", "0.00"),
        ("2999.99", "15.00"),
        ("3000", "15.00"),  # 0.5% up to and including 3000
        ("3000.01", "30.00"),  # 1% above 3000: 30.0001 rounds to 30.00
        ("5000", "50.00"),
        ("5000.01", "75.00"),  # 1.5%: 75.00015 → 75.00
        ("10000", "150.00"),
        ("10000.01", "200.00"),  # 2%
        ("4567.89", "45.68"),  # 45.6789 rounds half-up to 45.68
        ("3333.50", "33.34"),  # 33.335 → 33.34 (half up, not banker's)
    ],
)
def test_employee_bands_are_inclusive_at_the_top_and_round_half_up(base, expected):
    assert monthly_dues("employee", D(base)) == D(expected)


def test_retirees_pay_half_a_percent_up_to_5000_then_one_percent():
    assert monthly_dues("retiree", D("5000")) == D("25.00")
    assert monthly_dues("retiree", D("5000.01")) == D("50.00")


def test_students_unemployed_and_farmers_pay_the_fixed_minimum():
    for category in ("student", "unemployed", "farmer"):
        assert monthly_dues(category, D("8000")) == D("0.20")
    assert dues_for("farmer", D("0"), farmer_amount=D("0.50")).amount == D("0.50")
    with pytest.raises(ValueError, match="0.20元至1.00元"):
        dues_for("farmer", D("0"), farmer_amount=D("1.50"))


def test_every_amount_says_which_rule_produced_it():
    result = dues_for("employee", D("4000"))
    assert "5000元及以下" in result.explanation and "党费收缴" in result.citation


@pytest.mark.parametrize("category, base", [("employee", D("-0.01")), ("soldier", D("100")), ("employee", "abc")])
def test_bad_input_raises_value_error_in_chinese(category, base):
    with pytest.raises(ValueError) as info:
        monthly_dues(category, base)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(info.value))


@given(st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False))
def test_dues_never_decrease_as_pay_rises_and_stay_to_the_fen(base):
    amount = monthly_dues("employee", base)
    assert amount == amount.quantize(D("0.01"))
    assert amount >= monthly_dues("employee", max(D(0), base - D("0.01")))


def test_the_module_imports_without_django_settings():
    code = (
        "import os; os.environ.pop('DJANGO_SETTINGS_MODULE', None); from decimal import Decimal; "
        "from dangjian.dues.rules import monthly_dues; print(monthly_dues('employee', Decimal('3000')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"PATH": "/usr/bin"})
    assert out.stdout.strip() == "15.00", out.stderr
