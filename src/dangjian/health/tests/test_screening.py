"""screening.score: each model only with complete inputs, missing fields named, no guessing."""

from __future__ import annotations

from datetime import date

import pytest

from dangjian.health.data import ScreeningInput
from dangjian.health.screening import CRC_QUESTIONNAIRE_FIELDS, CVD_FIELDS, score

WORKED = {  # HEALTH_MODELS.md §1 worked example: 4.7 %, low
    "sbp_mmhg": 145,
    "on_bp_treatment": False,
    "total_cholesterol_mmol_l": 5.2,
    "hdl_cholesterol_mmol_l": 1.3,
    "waist_cm": 80,
    "current_smoker": False,
    "diabetes": False,
    "north": True,
    "urban": True,
    "family_history_ascvd": True,
}
NO_CRC = dict.fromkeys(CRC_QUESTIONNAIRE_FIELDS, False)


def inp(values, sex="M", age=40):
    return ScreeningInput(1, sex, age, date(2026, 5, 1), values)


def test_worked_example_scored_and_nothing_missing_for_cvd():
    s = score(inp({**WORKED, **NO_CRC, "ever_smoker": False}))
    assert s.cvd_percent == pytest.approx(4.7172, abs=1e-4)
    assert s.cvd_category == "low"
    assert "cvd" not in s.missing
    assert s.apcs_points == 1 and s.apcs_category == "average"  # male, 40, no relative, never smoked
    assert s.crc_questionnaire_high is False
    assert s.follow_up_needed is False


@pytest.mark.parametrize("field", CVD_FIELDS)
def test_each_missing_cvd_input_is_named_not_guessed(field):
    values = {k: v for k, v in WORKED.items() if k != field}
    s = score(inp(values))
    assert s.cvd_percent is None and s.cvd_category == ""
    assert s.missing["cvd"] == [field]


def test_cvd_age_outside_calculator_range_is_named():
    s = score(inp(WORKED, age=86))
    assert s.cvd_percent is None and s.missing["cvd"] == ["age"]


def test_derivation_age_flag():
    assert score(inp(WORKED, age=30)).cvd_outside_derivation is True
    assert score(inp(WORKED, age=40)).cvd_outside_derivation is False


def test_gastric_only_from_40_and_only_with_lab_values():
    labs = {"h_pylori_positive": True, "pg_ratio": 3.0, "gastrin17_pmol_l": 6.0}
    assert score(inp(labs, age=39)).missing["gastric"] == ["age"]
    s = score(inp(labs, age=40))
    assert s.gastric_points == 0 + 4 + 1 + 3 + 5 and s.gastric_category == "medium"
    assert s.follow_up_needed is True
    s = score(inp({"h_pylori_positive": True, "pg_ratio": 3.0}, age=55))
    assert s.gastric_points is None and s.missing["gastric"] == ["gastrin17_pmol_l"]


def test_pg_ratio_computed_from_pg1_and_pg2():
    s = score(inp({"h_pylori_positive": False, "pg1_ng_ml": 70, "pg2_ng_ml": 20, "gastrin17_pmol_l": 1.0}, sex="F"))
    assert s.gastric_points == 3  # ratio 3.5 < 3.89
    assert "gastric" not in s.missing


def test_apcs_current_smoker_has_ever_smoked_but_unknown_stays_missing():
    s = score(inp({"first_degree_relative_crc": False, "current_smoker": True}, age=55))
    assert s.apcs_points == 2 + 1 + 1 and s.apcs_category == "high"
    s = score(inp({"first_degree_relative_crc": False, "current_smoker": False}, age=55))
    assert s.apcs_points is None and s.missing["apcs"] == ["ever_smoker"]


def test_questionnaire_high_with_answers_missing_when_known_answers_suffice():
    s = score(inp({"own_polyp_history": True}))
    assert s.crc_questionnaire_high is True and "crc_questionnaire" not in s.missing
    assert s.colonoscopy_referral is True and s.follow_up_needed is True


def test_a_woman_is_scored_without_the_answers_her_model_does_not_use():
    values = {k: v for k, v in WORKED.items() if k not in ("urban", "family_history_ascvd")}
    s = score(inp(values, sex="F", age=55))
    assert "cvd" not in s.missing and s.cvd_percent is not None
    assert (
        s.cvd_percent
        == score(inp({**values, "urban": True, "family_history_ascvd": True}, sex="F", age=55)).cvd_percent
    )
    assert score(inp(values, sex="M", age=55)).missing["cvd"] == ["urban", "family_history_ascvd"]


def test_questionnaire_not_high_is_certain_when_missing_answers_cannot_reach_two_symptoms():
    answers = {**NO_CRC}
    del answers["chronic_diarrhoea"]  # one symptom unknown, no other symptom: at most one, so not high
    s = score(inp(answers))
    assert s.crc_questionnaire_high is False and "crc_questionnaire" not in s.missing
    del answers["own_polyp_history"]  # a history item unknown could make it high alone
    s = score(inp(answers))
    assert s.crc_questionnaire_high is None
    assert s.missing["crc_questionnaire"] == ["own_polyp_history", "chronic_diarrhoea"]


def test_questionnaire_unknown_when_a_missing_answer_could_change_it():
    answers = {**NO_CRC, "chronic_constipation": True}
    del answers["chronic_diarrhoea"]
    s = score(inp(answers))
    assert s.crc_questionnaire_high is None
    assert s.missing["crc_questionnaire"] == ["chronic_diarrhoea"]


def test_two_symptoms_make_high_risk():
    s = score(inp({**NO_CRC, "chronic_constipation": True, "mucus_or_bloody_stool": True}))
    assert s.crc_questionnaire_high is True


def test_positive_fit_alone_refers_to_colonoscopy():
    s = score(inp({**NO_CRC, "fit_result": "positive"}))
    assert s.crc_questionnaire_high is False and s.fit_positive is True
    assert s.colonoscopy_referral is True
    assert score(inp({**NO_CRC, "fit_result": "negative"})).fit_positive is False
    assert score(inp(NO_CRC)).fit_positive is None


def test_high_cvd_needs_follow_up():
    risky = {**WORKED, "current_smoker": True, "diabetes": True, "sbp_mmhg": 180}
    s = score(inp(risky, age=65))
    assert s.cvd_category == "high" and s.follow_up_needed is True
