"""What every model refuses: wrong types, NaN, bools as numbers, ints as bools, bad sex, positional calls."""

import os
import subprocess
import sys
from decimal import Decimal

import pytest

from dangjian.health.scores import (
    ScoreInputError,
    apcs_score,
    china_par_10y_risk,
    crc_questionnaire_high_risk,
    gastric_cancer_score,
)
from dangjian.health.tests.test_scores_china_par import GUIDELINE_MAN

GASTRIC = dict(sex="M", age=55, h_pylori_positive=True, pg_ratio=3.0, gastrin17_pmol_l=3.0)
APCS = dict(sex="M", age=55, first_degree_relative_crc=False, ever_smoker=True)

NUMBER_FIELDS = (
    [
        (china_par_10y_risk, GUIDELINE_MAN, f)
        for f in ("age", "sbp_mmhg", "total_cholesterol_mmol_l", "hdl_cholesterol_mmol_l", "waist_cm")
    ]
    + [(gastric_cancer_score, GASTRIC, f) for f in ("age", "pg_ratio", "gastrin17_pmol_l")]
    + [(apcs_score, APCS, "age")]
)

BOOL_FIELDS = (
    [
        (china_par_10y_risk, GUIDELINE_MAN, f)
        for f in ("on_bp_treatment", "current_smoker", "diabetes", "north", "urban", "family_history_ascvd")
    ]
    + [(gastric_cancer_score, GASTRIC, "h_pylori_positive")]
    + [(apcs_score, APCS, f) for f in ("first_degree_relative_crc", "ever_smoker")]
)


def test_importing_the_models_pulls_in_no_django():
    code = (
        "import sys, dangjian.health.scores, dangjian.health.units; "
        "print(any(m.startswith('django') for m in sys.modules))"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("func, base, field", NUMBER_FIELDS)
@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf"), True, "60", None])
def test_numbers_must_be_finite_numbers_not_bools_strings_or_missing(func, base, field, bad):
    with pytest.raises(ScoreInputError) as err:
        func(**{**base, field: bad})
    assert err.value.field == field
    assert field in str(err.value)


@pytest.mark.parametrize("func, base, field", BOOL_FIELDS)
@pytest.mark.parametrize("bad", [1, 0, None, "是", 1.0])
def test_yes_no_inputs_accept_only_real_bools(func, base, field, bad):
    with pytest.raises(ScoreInputError) as err:
        func(**{**base, field: bad})
    assert err.value.field == field


@pytest.mark.parametrize(
    "func, base", [(china_par_10y_risk, GUIDELINE_MAN), (gastric_cancer_score, GASTRIC), (apcs_score, APCS)]
)
@pytest.mark.parametrize("bad", ["m", "male", "男", "", None, 1])
def test_sex_is_M_or_F_only(func, base, bad):
    with pytest.raises(ScoreInputError, match=r"性别（sex）：应为 \"M\"（男）或 \"F\"（女）") as err:
        func(**{**base, "sex": bad})
    assert err.value.field == "sex"


def test_score_input_error_is_a_value_error():
    with pytest.raises(ValueError):
        apcs_score(**{**APCS, "sex": "X"})


@pytest.mark.parametrize(
    "func, base", [(china_par_10y_risk, GUIDELINE_MAN), (gastric_cancer_score, GASTRIC), (apcs_score, APCS)]
)
def test_arguments_are_keyword_only(func, base):
    with pytest.raises(TypeError):
        func(*base.values())


def test_questionnaire_is_keyword_only():
    with pytest.raises(TypeError):
        crc_questionnaire_high_risk(*([False] * 9))


def test_decimals_and_ints_are_accepted_as_numbers():
    as_float = china_par_10y_risk(**GUIDELINE_MAN).percent
    as_decimal = china_par_10y_risk(
        **{**GUIDELINE_MAN, "total_cholesterol_mmol_l": Decimal("5.2"), "hdl_cholesterol_mmol_l": Decimal("1.3")}
    ).percent
    assert as_decimal == as_float
    assert gastric_cancer_score(**{**GASTRIC, "pg_ratio": Decimal("3.89")}).points == 4 + 5 + 1 + 3
