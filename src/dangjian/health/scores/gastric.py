"""Gastric cancer: the 2017 Chinese consensus screening score (新型胃癌筛查评分系统), HEALTH_MODELS.md §2.

For people aged 40 and over. Total 0–23 points: 0–11 low, 12–16 medium, 17–23 high. Gastrin-17 only in pmol/L;
a missing pepsinogen ratio or gastrin-17 is refused, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._inputs import ScoreInputError, check_bool, check_number, check_positive, check_sex, check_whole_age, fmt

MODEL = "新型胃癌筛查评分系统"
VERSION = "2017"
CITATION = "中国早期胃癌筛查流程专家共识意见（草案，2017年，上海）"

MIN_AGE = 40
MAX_AGE = 120  # not part of the model: a plausibility bound against typing errors
PGR_CUTOFF = 3.89  # ≥3.89 → 0 points, <3.89 → 3
G17_LOW = 1.50  # pmol/L: <1.50 → 0; 1.50–5.70 inclusive → 3; >5.70 → 5
G17_HIGH = 5.70
MEDIUM_FROM = 12  # 0–11 low, 12–16 medium, 17–23 high
HIGH_FROM = 17
MAX_POINTS = 23


@dataclass(frozen=True)
class GastricCancerScore:
    points: int
    category: str  # "low", "medium" or "high"
    components: tuple[tuple[str, int], ...]  # (argument name, points), in the order of the table
    model: str = MODEL
    version: str = VERSION
    citation: str = CITATION


def gastric_category(points: int) -> str:
    if points >= HIGH_FROM:
        return "high"
    if points >= MEDIUM_FROM:
        return "medium"
    return "low"


def _age_points(age: int) -> int:
    if age >= 70:
        return 10
    if age >= 60:
        return 6
    if age >= 50:
        return 5
    return 0  # 40–49


def _g17_points(g17: float) -> int:
    if g17 > G17_HIGH:
        return 5
    if g17 >= G17_LOW:
        return 3
    return 0


def gastric_cancer_score(
    *, sex: str, age: int, h_pylori_positive: bool, pg_ratio: float, gastrin17_pmol_l: float
) -> GastricCancerScore:
    """Points and category. ``pg_ratio`` is PG I / PG II; ``gastrin17_pmol_l`` must be in pmol/L."""
    sex = check_sex(sex)
    if check_number("age", age) < MIN_AGE:
        raise ScoreInputError("age", f"本评分只适用于 {MIN_AGE} 岁及以上（{MIN_AGE}–{MAX_AGE} 岁），收到 {fmt(age)}")
    age = check_whole_age(age, MIN_AGE, MAX_AGE)
    hp = check_bool("h_pylori_positive", h_pylori_positive)
    pgr = check_positive("pg_ratio", pg_ratio)
    g17 = check_positive("gastrin17_pmol_l", gastrin17_pmol_l, " pmol/L", allow_zero=True)
    components = (
        ("age", _age_points(age)),
        ("sex", 4 if sex == "M" else 0),
        ("h_pylori_positive", 1 if hp else 0),
        ("pg_ratio", 0 if pgr >= PGR_CUTOFF else 3),
        ("gastrin17_pmol_l", _g17_points(g17)),
    )
    points = sum(p for _, p in components)
    return GastricCancerScore(points=points, category=gastric_category(points), components=components)
