"""The 2017 Chinese gastric cancer screening score (HEALTH_MODELS.md §2): every point boundary."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian.health.scores import ScoreInputError, gastric_cancer_score, gastric_category

# A woman aged 40–49, H. pylori negative, PGR ≥3.89, G-17 <1.50: 0 points.
ZERO = dict(sex="F", age=45, h_pylori_positive=False, pg_ratio=5.0, gastrin17_pmol_l=1.0)


def score(**changes):
    return gastric_cancer_score(**{**ZERO, **changes})


def test_the_lowest_profile_scores_zero_and_the_highest_23():
    assert score().points == 0
    top = score(sex="M", age=70, h_pylori_positive=True, pg_ratio=1.0, gastrin17_pmol_l=10.0)
    assert (top.points, top.category) == (23, "high")


@pytest.mark.parametrize("age, points", [(40, 0), (49, 0), (50, 5), (59, 5), (60, 6), (69, 6), (70, 10), (95, 10)])
def test_age_points_change_at_50_60_and_70(age, points):
    assert score(age=age).points == points


@pytest.mark.parametrize("age", [39, 20, 0])
def test_people_under_40_are_refused_naming_age(age):
    with pytest.raises(ScoreInputError, match=r"年龄（age）：本评分只适用于 40 岁及以上") as err:
        score(age=age)
    assert err.value.field == "age"


def test_age_must_be_whole_years():
    with pytest.raises(ScoreInputError, match="整数周岁"):
        score(age=49.5)


def test_men_get_4_points_and_h_pylori_1():
    assert score(sex="M").points == 4
    assert score(h_pylori_positive=True).points == 1


@pytest.mark.parametrize("pgr, points", [(3.89, 0), (3.8899, 3), (10.0, 0), (0.5, 3)])
def test_pepsinogen_ratio_below_3_89_gives_3_points(pgr, points):
    assert score(pg_ratio=pgr).points == points


@pytest.mark.parametrize("g17, points", [(0.0, 0), (1.4999, 0), (1.50, 3), (3.0, 3), (5.70, 3), (5.7001, 5), (50.0, 5)])
def test_gastrin17_bands_are_inclusive_from_1_50_to_5_70(g17, points):
    assert score(gastrin17_pmol_l=g17).points == points


@pytest.mark.parametrize(
    "changes, points, category",
    [
        (dict(age=55, pg_ratio=2.0, gastrin17_pmol_l=3.0), 11, "low"),  # 5 + 3 + 3
        (dict(age=55, sex="M", pg_ratio=2.0), 12, "medium"),  # 5 + 4 + 3
        (dict(age=75, h_pylori_positive=True, gastrin17_pmol_l=6.0), 16, "medium"),  # 10 + 1 + 5
        (dict(age=75, sex="M", pg_ratio=2.0), 17, "high"),  # 10 + 4 + 3
    ],
)
def test_categories_change_at_12_and_17_points(changes, points, category):
    result = score(**changes)
    assert (result.points, result.category) == (points, category)


@pytest.mark.parametrize("points, category", [(0, "low"), (11, "low"), (12, "medium"), (16, "medium"), (17, "high")])
def test_category_function_edges(points, category):
    assert gastric_category(points) == category


@pytest.mark.parametrize("field", ["pg_ratio", "gastrin17_pmol_l", "h_pylori_positive", "sex", "age"])
def test_a_missing_value_is_refused_not_guessed(field):
    with pytest.raises(ScoreInputError) as err:
        score(**{field: None})
    assert err.value.field == field
    assert field in str(err.value)


@pytest.mark.parametrize("field, value", [("pg_ratio", 0), ("pg_ratio", -1.0), ("gastrin17_pmol_l", -0.1)])
def test_impossible_lab_values_are_refused(field, value):
    with pytest.raises(ScoreInputError) as err:
        score(**{field: value})
    assert err.value.field == field


def test_the_result_lists_each_variables_points_and_the_model():
    result = score(sex="M", age=62, h_pylori_positive=True, pg_ratio=2.0, gastrin17_pmol_l=2.0)
    assert dict(result.components) == {
        "age": 6,
        "sex": 4,
        "h_pylori_positive": 1,
        "pg_ratio": 3,
        "gastrin17_pmol_l": 3,
    }
    assert result.points == 17
    assert isinstance(result.points, int)
    assert result.model == "新型胃癌筛查评分系统"
    assert "2017" in result.citation


@given(
    sex=st.sampled_from(["M", "F"]),
    age=st.integers(40, 120),
    hp=st.booleans(),
    pgr=st.floats(0.01, 100),
    g17=st.floats(0, 500),
)
def test_points_are_always_0_to_23_and_match_the_category(sex, age, hp, pgr, g17):
    result = gastric_cancer_score(sex=sex, age=age, h_pylori_positive=hp, pg_ratio=pgr, gastrin17_pmol_l=g17)
    assert 0 <= result.points <= 23
    assert result.points == sum(p for _, p in result.components)
    assert result.category == gastric_category(result.points)
