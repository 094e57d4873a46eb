"""APCS (Yeoh 2011) and the Chinese colorectal high-risk questionnaire (HEALTH_MODELS.md §3)."""

from itertools import combinations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian.health.scores import ScoreInputError, apcs_category, apcs_score, crc_questionnaire_high_risk
from dangjian.health.scores.colorectal import SYMPTOM_ITEMS

NOBODY = dict(sex="F", age=45, first_degree_relative_crc=False, ever_smoker=False)


def apcs(**changes):
    return apcs_score(**{**NOBODY, **changes})


@pytest.mark.parametrize("age, points", [(18, 0), (49, 0), (50, 2), (69, 2), (70, 3), (90, 3)])
def test_apcs_age_points_change_at_50_and_70(age, points):
    assert apcs(age=age).points == points


def test_apcs_male_1_relative_2_smoker_1():
    assert apcs(sex="M").points == 1
    assert apcs(first_degree_relative_crc=True).points == 2
    assert apcs(ever_smoker=True).points == 1


@pytest.mark.parametrize(
    "changes, points, category",
    [
        ({}, 0, "average"),
        (dict(ever_smoker=True), 1, "average"),
        (dict(sex="M", ever_smoker=True), 2, "moderate"),
        (dict(age=50, sex="M"), 3, "moderate"),
        (dict(age=50, sex="M", ever_smoker=True), 4, "high"),
        (dict(age=70, sex="M", first_degree_relative_crc=True, ever_smoker=True), 7, "high"),
    ],
)
def test_apcs_categories_change_at_2_and_4_points(changes, points, category):
    result = apcs(**changes)
    assert (result.points, result.category) == (points, category)


@pytest.mark.parametrize("points, category", [(1, "average"), (2, "moderate"), (3, "moderate"), (4, "high")])
def test_apcs_category_function_edges(points, category):
    assert apcs_category(points) == category


def test_apcs_result_names_the_model():
    result = apcs()
    assert "APCS" in result.model
    assert "Gut 2011" in result.citation


def test_apcs_refuses_fractional_ages_and_names_age():
    with pytest.raises(ScoreInputError, match="年龄（age）"):
        apcs(age=49.5)


@given(sex=st.sampled_from(["M", "F"]), age=st.integers(0, 120), fdr=st.booleans(), smoker=st.booleans())
def test_apcs_points_are_always_0_to_7(sex, age, fdr, smoker):
    result = apcs_score(sex=sex, age=age, first_degree_relative_crc=fdr, ever_smoker=smoker)
    assert 0 <= result.points <= 7
    assert result.category == apcs_category(result.points)


ALL_NO = dict(
    first_degree_relative_crc=False,
    own_cancer_history=False,
    own_polyp_history=False,
    chronic_constipation=False,
    chronic_diarrhoea=False,
    mucus_or_bloody_stool=False,
    adverse_life_event_20y=False,
    chronic_appendicitis_or_appendectomy=False,
    chronic_biliary_disease_or_cholecystectomy=False,
)


def test_nobody_with_all_no_is_high_risk():
    assert crc_questionnaire_high_risk(**ALL_NO) is False


@pytest.mark.parametrize("item", ["first_degree_relative_crc", "own_cancer_history", "own_polyp_history"])
def test_any_one_history_item_alone_makes_high_risk(item):
    assert crc_questionnaire_high_risk(**{**ALL_NO, item: True}) is True


@pytest.mark.parametrize("item", SYMPTOM_ITEMS)
def test_exactly_one_of_the_six_items_is_not_enough(item):
    assert crc_questionnaire_high_risk(**{**ALL_NO, item: True}) is False


@pytest.mark.parametrize("pair", list(combinations(SYMPTOM_ITEMS, 2)))
def test_any_two_of_the_six_items_make_high_risk(pair):
    assert crc_questionnaire_high_risk(**{**ALL_NO, **dict.fromkeys(pair, True)}) is True


def test_the_six_items_are_exactly_the_questionnaires_last_six_arguments():
    assert list(ALL_NO)[3:] == list(SYMPTOM_ITEMS)


@pytest.mark.parametrize("bad", [None, 1, 0, "是"])
def test_questionnaire_answers_must_be_real_booleans(bad):
    with pytest.raises(ScoreInputError) as err:
        crc_questionnaire_high_risk(**{**ALL_NO, "chronic_diarrhoea": bad})
    assert err.value.field == "chronic_diarrhoea"
