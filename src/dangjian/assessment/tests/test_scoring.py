"""Every scoring method at its edges: bounds exactly met, clamping, half-up rounding, bad parameters and values."""

import subprocess
import sys
from decimal import Decimal

import pytest

from dangjian.assessment.scoring import (
    check_manual,
    grade,
    occurrences_total,
    score,
    score_missing,
    validate_bands,
    validate_method,
    validate_quotas,
)

D = Decimal


@pytest.mark.parametrize(
    "value, expected",
    [(0, "0.00"), (-0.5, "0.00"), (0.5, "5.00"), (1, "10.00"), (1.7, "10.00"), (D("0.2345"), "2.35")],
)
def test_ratio_is_points_times_the_value_clamped_to_0_and_1(value, expected):
    assert score({"kind": "ratio", "points": 10}, value) == D(expected)


def test_ratio_rounds_half_up_not_to_even():
    assert score({"kind": "ratio", "points": 1}, 0.125) == D("0.13")  # banker's would give 0.12
    assert score({"kind": "ratio", "points": D("2.345")}, 1) == D("2.35")
    assert score({"kind": "ratio", "points": 2.345}, 1) == D("2.35")  # the float's shortest text, not 2.34499…


@pytest.mark.parametrize(
    "value, expected",
    [(50, "0.00"), (60, "0.00"), (70, "2.50"), (90, "7.50"), (100, "10.00"), (120, "10.00"), (-5, "0.00")],
)
def test_linear_is_0_at_from_and_below_points_at_to_and_above(value, expected):
    assert score({"kind": "linear", "points": 10, "from": 60, "to": 100}, value) == D(expected)


def test_linear_needs_from_below_to():
    with pytest.raises(ValueError):
        score({"kind": "linear", "points": 10, "from": 100, "to": 100}, 90)


@pytest.mark.parametrize("value, expected", [(D("0.9999"), "0.00"), (1, "5.00"), (3, "5.00"), (-1, "0.00")])
def test_threshold_counts_a_value_exactly_at_the_threshold(value, expected):
    assert score({"kind": "threshold", "points": 5, "at_least": 1}, value) == D(expected)


STEPS = {"kind": "steps", "points": 6, "steps": [[95, 6], [85, 4], [70, 2]]}


@pytest.mark.parametrize(
    "value, expected",
    [(100, "6.00"), (95, "6.00"), (94.99, "4.00"), (85, "4.00"), (70, "2.00"), (69.99, "0.00"), (-1, "0.00")],
)
def test_steps_take_the_first_step_whose_bound_is_reached(value, expected):
    assert score(STEPS, value) == D(expected)


def test_steps_are_read_in_the_order_given():
    # a low bound listed first wins for every value above it: the order is the author's, not sorted
    method = {"kind": "steps", "points": 6, "steps": [[0, 1], [90, 6]]}
    assert score(method, 95) == D("1.00")


@pytest.mark.parametrize("count, expected", [(0, "5.00"), (1, "3.00"), (2, "1.00"), (3, "0.00"), (10, "0.00")])
def test_per_occurrence_takes_from_the_points_and_never_below_zero(count, expected):
    assert score({"kind": "per_occurrence", "points": 5, "each": -2}, count) == D(expected)


@pytest.mark.parametrize("count, expected", [(0, "0.00"), (1, "1.50"), (2, "3.00"), (3, "3.00")])
def test_per_occurrence_adds_up_to_the_points(count, expected):
    assert score({"kind": "per_occurrence", "points": 3, "each": 1.5}, count) == D(expected)


def test_per_occurrence_refuses_a_negative_count_and_a_zero_step():
    with pytest.raises(ValueError):
        score({"kind": "per_occurrence", "points": 5, "each": -1}, -1)
    with pytest.raises(ValueError):
        score({"kind": "per_occurrence", "points": 5, "each": 0}, 1)


def test_zero_points_score_zero():
    assert score({"kind": "ratio", "points": 0}, 1) == D("0.00")


@pytest.mark.parametrize(
    "method",
    [
        {"kind": "square", "points": 5},
        {"points": 5},
        {"kind": "ratio"},
        {"kind": "ratio", "points": -1},
        {"kind": "ratio", "points": "5"},
        {"kind": "linear", "points": 5, "from": 0},
        {"kind": "threshold", "points": 5},
        {"kind": "steps", "points": 5},
        {"kind": "steps", "points": 5, "steps": []},
        {"kind": "steps", "points": 5, "steps": [[90]]},
        {"kind": "steps", "points": 5, "steps": [[90, 6]]},  # a step worth more than the points
        {"kind": "per_occurrence", "points": 5},
        {"kind": "threshold", "points": 5, "at_least": None},
    ],
)
def test_a_bad_method_raises_value_error(method):
    with pytest.raises(ValueError):
        score(method, 1)


@pytest.mark.parametrize("value", [True, False, None, "0.5", float("nan"), float("inf"), D("NaN"), [1]])
def test_a_non_numeric_value_raises_value_error(value):
    with pytest.raises(ValueError):
        score({"kind": "ratio", "points": 10}, value)


def test_a_method_that_is_not_a_mapping_raises_value_error():
    with pytest.raises(ValueError):
        score([("kind", "ratio")], 1)  # type: ignore[arg-type]


def test_manual_score_is_between_zero_and_the_points():
    assert check_manual(5, 5) == D("5.00")
    assert check_manual(5, 0) == D("0.00")
    assert check_manual(5, D("2.345")) == D("2.35")
    for bad in (-0.01, 5.01, True):
        with pytest.raises(ValueError):
            check_manual(5, bad)


def test_deductions_highest_only_or_summed_up_to_the_cap():
    assert occurrences_total("deduction", "highest", [3, 1, 2], 5) == D("-3.00")
    assert occurrences_total("deduction", "sum", [3, 1], 5) == D("-4.00")
    assert occurrences_total("deduction", "sum", [3, 1, 2], 5) == D("-5.00")  # capped at exactly the points
    assert occurrences_total("deduction", "highest", [8], 5) == D("-5.00")
    assert occurrences_total("deduction", "sum", [], 5) == D("0.00")


def test_bonuses_are_positive_and_capped():
    assert occurrences_total("bonus", "sum", [1, 2, 3], 5) == D("5.00")
    assert occurrences_total("bonus", "highest", [1, 3, 2], 5) == D("3.00")
    assert occurrences_total("bonus", "sum", [0.125], 5) == D("0.13")


@pytest.mark.parametrize(
    "args",
    [
        ("veto", "sum", [1], 5),
        ("bonus", "max", [1], 5),
        ("bonus", "sum", [-1], 5),
        ("bonus", "sum", [True], 5),
        ("bonus", "sum", [1], -5),
    ],
)
def test_occurrences_refuse_bad_input(args):
    with pytest.raises(ValueError):
        occurrences_total(*args)


BANDS = [[90, "好"], [80, "较好"], [70, "一般"], [0, "差"]]


@pytest.mark.parametrize(
    "total, expected",
    [("100", "好"), ("90", "好"), ("89.99", "较好"), ("80", "较好"), ("70", "一般"), ("69.99", "差"), ("-3", "差")],
)
def test_grade_is_the_first_band_reached_from_the_top(total, expected):
    assert grade(D(total), BANDS) == expected


def test_grade_reads_bands_in_any_order_and_falls_to_the_last_below_all():
    shuffled = [[80, "较好"], [70, "一般"], [90, "好"], [60, "差"]]
    assert grade(D("95"), shuffled) == "好"
    assert grade(D("10"), shuffled) == "差"


def test_a_veto_puts_the_unit_in_the_lowest_band_whatever_its_points():
    assert grade(D("100"), BANDS, veto=True) == "差"


def test_grade_without_bands_raises_value_error():
    with pytest.raises(ValueError):
        grade(D("90"), [])


def test_validate_method_reports_every_problem_in_chinese():
    assert validate_method({"kind": "linear", "points": 5, "from": 60, "to": 100}, "auto") == []
    errors = validate_method({"kind": "linear", "points": -5, "colour": 1}, "auto")
    assert "分值不能为负数" in errors
    assert "缺少参数“from”" in errors and "缺少参数“to”" in errors
    assert "未知的参数：colour" in errors
    assert validate_method({"kind": "cube", "points": 5}, "auto")[0].startswith("自动计分的“kind”应为")
    assert validate_method({"kind": "linear", "points": 5, "from": 9, "to": 1}, "auto") == ["参数“from”应小于“to”"]
    assert validate_method({"points": 5}, "manual") == []
    assert validate_method({"points": 5, "kind": "ratio"}, "manual") == ["未知的参数：kind"]
    assert validate_method({"points": 3, "combine": "sum"}, "deduction") == []
    assert validate_method({"points": 3}, "bonus")[0].startswith("扣分项和加分项的“combine”")
    assert validate_method({"points": 0}, "veto") == []
    assert validate_method({"points": 1}, "guess") == ["未知的评分方法：guess"]


def test_a_fact_without_a_value_earns_nothing_unless_the_leaf_says_full():
    """No transfer was due: nothing was handed over late, so such a leaf may say "if_none": "full"."""
    linear = {"kind": "linear", "points": 2, "from": 50, "to": 100}
    assert score_missing(linear) == Decimal("0.00")
    assert score_missing({**linear, "if_none": "zero"}) == Decimal("0.00")
    assert score_missing({**linear, "if_none": "full"}) == Decimal("2.00")
    assert validate_method({**linear, "if_none": "full"}, "auto") == []
    assert validate_method({**linear, "if_none": "half"}, "auto") == [
        "参数“if_none”应为 zero（不得分）或 full（得满分）"
    ]
    with pytest.raises(ValueError):
        score({**linear, "if_none": "full"}, None)  # score() itself still refuses a missing value


def test_validate_bands_and_quotas():
    assert validate_bands(BANDS) == []
    assert validate_bands([]) == ["至少设置一个等次，格式为 [[最低分, 名称], …]"]
    assert validate_bands([[90, "好"], [90, "好"]]) == ["等次名称不能重复", "各等次的最低分不能相同"]
    assert validate_bands([["x", "好"]]) == ["等次“好”的最低分不是数值"]
    assert validate_quotas({"好": 0.3}, BANDS) == []
    assert validate_quotas({"优": 0.3, "好": 1.5}, BANDS) == [
        "名额比例中的等次“优”不存在",
        "等次“好”的名额比例应大于 0、不超过 1",
    ]


def test_the_module_imports_and_scores_without_django_settings():
    code = (
        "from dangjian.assessment.scoring import score, grade;"
        "assert score({'kind': 'ratio', 'points': 10}, 0.5) == 5;"
        "assert grade(score({'kind': 'ratio', 'points': 100}, 1), [[90, 'A'], [0, 'B']]) == 'A'"
    )
    env = {"PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
