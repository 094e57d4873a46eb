"""Colorectal cancer: the APCS score and the Chinese high-risk factor questionnaire, HEALTH_MODELS.md §3."""

from __future__ import annotations

from dataclasses import dataclass

from ._inputs import check_bool, check_sex, check_whole_age

APCS_MODEL = "Asia-Pacific Colorectal Screening score (APCS)"
APCS_VERSION = "2011"
APCS_CITATION = "Yeoh KG, et al. Gut 2011;60:1236–41"

QUESTIONNAIRE_MODEL = "结直肠癌高危因素问卷"
QUESTIONNAIRE_VERSION = "2020"
QUESTIONNAIRE_CITATION = "中国结直肠癌筛查与早诊早治指南（2020，北京）"

# Age is not restricted by HEALTH_MODELS.md (<50 → 0 points); these are plausibility bounds against typing errors.
APCS_AGE_RANGE = (0, 120)
APCS_MODERATE_FROM = 2  # 0–1 average, 2–3 moderate, 4–7 high
APCS_HIGH_FROM = 4
APCS_MAX_POINTS = 7

# The questionnaire's symptoms and history items: two or more of these make a person high risk.
SYMPTOM_ITEMS = (
    "chronic_constipation",
    "chronic_diarrhoea",
    "mucus_or_bloody_stool",
    "adverse_life_event_20y",
    "chronic_appendicitis_or_appendectomy",
    "chronic_biliary_disease_or_cholecystectomy",
)
SYMPTOMS_FOR_HIGH_RISK = 2


@dataclass(frozen=True)
class ApcsScore:
    points: int
    category: str  # "average", "moderate" or "high"
    components: tuple[tuple[str, int], ...]  # (argument name, points)
    model: str = APCS_MODEL
    version: str = APCS_VERSION
    citation: str = APCS_CITATION


def apcs_category(points: int) -> str:
    if points >= APCS_HIGH_FROM:
        return "high"
    if points >= APCS_MODERATE_FROM:
        return "moderate"
    return "average"


def _apcs_age_points(age: int) -> int:
    if age >= 70:
        return 3
    if age >= 50:
        return 2
    return 0


def apcs_score(*, sex: str, age: int, first_degree_relative_crc: bool, ever_smoker: bool) -> ApcsScore:
    """APCS points (0–7) and category; ``ever_smoker`` is a current or past smoker."""
    sex = check_sex(sex)
    age = check_whole_age(age, *APCS_AGE_RANGE)
    fdr = check_bool("first_degree_relative_crc", first_degree_relative_crc)
    smoker = check_bool("ever_smoker", ever_smoker)
    components = (
        ("age", _apcs_age_points(age)),
        ("sex", 1 if sex == "M" else 0),
        ("first_degree_relative_crc", 2 if fdr else 0),
        ("ever_smoker", 1 if smoker else 0),
    )
    points = sum(p for _, p in components)
    return ApcsScore(points=points, category=apcs_category(points), components=components)


def crc_questionnaire_high_risk(
    *,
    first_degree_relative_crc: bool,
    own_cancer_history: bool,
    own_polyp_history: bool,
    chronic_constipation: bool,
    chronic_diarrhoea: bool,
    mucus_or_bloody_stool: bool,
    adverse_life_event_20y: bool,
    chronic_appendicitis_or_appendectomy: bool,
    chronic_biliary_disease_or_cholecystectomy: bool,
) -> bool:
    """High risk if any of the three history items, or two or more of the six symptom/history items."""
    answers = dict(locals())
    checked = {name: check_bool(name, value) for name, value in answers.items()}
    if checked["first_degree_relative_crc"] or checked["own_cancer_history"] or checked["own_polyp_history"]:
        return True
    return sum(checked[name] for name in SYMPTOM_ITEMS) >= SYMPTOMS_FOR_HIGH_RISK
