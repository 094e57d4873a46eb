"""Scoring one person's checkup with the published models (HEALTH_MODELS.md), saying what is missing.

``score(inp)`` takes a ``data.ScreeningInput`` and returns a ``Scored`` tuple. A model whose inputs are incomplete
is not run: its category stays empty and ``missing[model]`` lists the absent fields (never a guess). Two inputs
are derived only where logic allows it: a current smoker has ever smoked (APCS), and the PG I/PG II ratio is
computed from PG I and PG II when only those are given. The colorectal questionnaire is monotone, so with some
answers missing it is still "high" when the known answers already make it so; otherwise it is unknown.

Rules (HEALTH_MODELS.md): the gastric score applies from age 40 ("gastric": ["age"] below 40); the CVD ranking
uses the unrounded China-PAR percent; a colonoscopy referral follows a high-risk questionnaire or a positive FIT
(§3); follow-up is needed for CVD medium or high, gastric medium or high, APCS high, or a colonoscopy referral.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import NamedTuple

from .fields import pg_ratio_of
from .scores import ScoreInputError, apcs_score, china_par_10y_risk, crc_questionnaire_high_risk, gastric_cancer_score
from .scores.colorectal import SYMPTOM_ITEMS, SYMPTOMS_FOR_HIGH_RISK
from .scores.gastric import MIN_AGE as GASTRIC_MIN_AGE

CVD_FIELDS = (
    "sbp_mmhg",
    "on_bp_treatment",
    "total_cholesterol_mmol_l",
    "hdl_cholesterol_mmol_l",
    "waist_cm",
    "current_smoker",
    "diabetes",
    "north",
    "urban",
    "family_history_ascvd",
)
GASTRIC_FIELDS = ("h_pylori_positive", "pg_ratio", "gastrin17_pmol_l")
CRC_QUESTIONNAIRE_FIELDS = (
    "first_degree_relative_crc",
    "own_cancer_history",
    "own_polyp_history",
    "chronic_constipation",
    "chronic_diarrhoea",
    "mucus_or_bloody_stool",
    "adverse_life_event_20y",
    "chronic_appendicitis_or_appendectomy",
    "chronic_biliary_disease_or_cholecystectomy",
)
MODELS = ("cvd", "gastric", "apcs", "crc_questionnaire")

# HEALTH_MODELS.md §2: suggested gastroscopy interval by gastric-score category, in years (an organisation setting
# there; the platform's default until one is configurable).
GASTROSCOPY_INTERVAL_YEARS = {"high": 1, "medium": 2, "low": 3}

# APCS and the questionnaire take only small discrete inputs (sex, whole age, yes/no answers): a few hundred
# combinations cover a whole institute, and caching them saves a quarter of a 150,000-person run.
_apcs_score = lru_cache(maxsize=2048)(apcs_score)


@lru_cache(maxsize=1024)
def _crc_high(answers: tuple[bool, ...]) -> bool:
    return crc_questionnaire_high_risk(**dict(zip(CRC_QUESTIONNAIRE_FIELDS, answers, strict=True)))


class ScreeningInput(NamedTuple):  # a tuple, not a dataclass: 150,000 of them are built per run
    person_id: int
    sex: str  # "M" or "F", as the score functions take it
    age: int  # full years on the checkup date
    checked_on: date
    values: dict


class Scored(NamedTuple):
    cvd_percent: float | None
    cvd_category: str
    cvd_outside_derivation: bool
    gastric_points: int | None
    gastric_category: str
    apcs_points: int | None
    apcs_category: str
    crc_questionnaire_high: bool | None
    fit_positive: bool | None
    colonoscopy_referral: bool
    follow_up_needed: bool
    missing: dict  # {model: [field, …]}


def _absent(values: dict, names) -> list[str]:
    return [n for n in names if values.get(n) is None]


# The women's model has no urban and no family-history term (HEALTH_MODELS.md §1: "—"): a woman lacking those
# answers is still scored, with False passed for them, which cannot change her result.
CVD_FIELDS_UNUSED = {"M": (), "F": ("urban", "family_history_ascvd")}


def _cvd(sex, age, v, missing):
    unused = CVD_FIELDS_UNUSED[sex]
    absent = [n for n in CVD_FIELDS if v.get(n) is None and n not in unused]
    if absent:
        missing["cvd"] = absent
        return None
    inputs = {n: v[n] for n in CVD_FIELDS if n not in unused}
    inputs.update({n: bool(v.get(n)) for n in unused})
    try:
        return china_par_10y_risk(sex=sex, age=age, **inputs)
    except ScoreInputError as exc:  # age outside 20–85; the import already refused other out-of-range values
        missing["cvd"] = [exc.field]
        return None


def _gastric(sex, age, v, missing):
    if age < GASTRIC_MIN_AGE:
        missing["gastric"] = ["age"]
        return None
    inputs = {
        "h_pylori_positive": v.get("h_pylori_positive"),
        "pg_ratio": pg_ratio_of(v),
        "gastrin17_pmol_l": v.get("gastrin17_pmol_l"),
    }
    absent = [n for n in GASTRIC_FIELDS if inputs[n] is None]
    if absent:
        missing["gastric"] = absent
        return None
    try:
        return gastric_cancer_score(sex=sex, age=age, **inputs)
    except ScoreInputError as exc:
        missing["gastric"] = [exc.field]
        return None


def _apcs(sex, age, v, missing):
    ever = v.get("ever_smoker")
    if ever is None and v.get("current_smoker") is True:
        ever = True  # a current smoker is a current-or-past smoker
    fdr = v.get("first_degree_relative_crc")
    absent = [n for n, x in (("first_degree_relative_crc", fdr), ("ever_smoker", ever)) if x is None]
    if absent:
        missing["apcs"] = absent
        return None
    try:
        return _apcs_score(sex=sex, age=age, first_degree_relative_crc=fdr, ever_smoker=ever)
    except ScoreInputError as exc:
        missing["apcs"] = [exc.field]
        return None


HISTORY_ITEMS = tuple(n for n in CRC_QUESTIONNAIRE_FIELDS if n not in SYMPTOM_ITEMS)  # any one alone: high risk


def _crc_questionnaire(v, missing) -> bool | None:
    answers = tuple(v.get(n) for n in CRC_QUESTIONNAIRE_FIELDS)
    high = _crc_high(tuple(a is True for a in answers))
    if high or None not in answers:
        return high
    # Not high on the known answers: unknown only if the missing ones could still make it high (never a guess).
    could_be_high = any(v.get(n) is None for n in HISTORY_ITEMS) or (
        sum(v.get(n) is not False for n in SYMPTOM_ITEMS) >= SYMPTOMS_FOR_HIGH_RISK
    )
    if could_be_high:
        missing["crc_questionnaire"] = [n for n, a in zip(CRC_QUESTIONNAIRE_FIELDS, answers, strict=True) if a is None]
        return None
    return False


def score(inp) -> Scored:
    sex, age, v = inp.sex, inp.age, inp.values
    missing: dict = {}
    cvd = _cvd(sex, age, v, missing)
    gastric = _gastric(sex, age, v, missing)
    apcs = _apcs(sex, age, v, missing)
    crc_high = _crc_questionnaire(v, missing)
    fit = v.get("fit_result")
    fit_positive = None if fit is None else fit == "positive"
    referral = bool(crc_high) or bool(fit_positive)
    cvd_category = cvd.category if cvd else ""
    gastric_category = gastric.category if gastric else ""
    apcs_category = apcs.category if apcs else ""
    follow_up = (
        cvd_category in ("medium", "high")
        or gastric_category in ("medium", "high")
        or apcs_category == "high"
        or referral
    )
    return Scored(
        cvd.percent if cvd else None,
        cvd_category,
        bool(cvd and cvd.outside_derivation_age),
        gastric.points if gastric else None,
        gastric_category,
        apcs.points if apcs else None,
        apcs_category,
        crc_high,
        fit_positive,
        referral,
        follow_up,
        missing,
    )
