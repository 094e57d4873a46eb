"""Input checks shared by the screening models. Pure Python: no Django import, so no gettext here either.

Messages are Chinese and name the field (its Chinese label and its argument name) and the accepted range, so a
page or an import report can show them as they are. Booleans must be real ``bool`` (an int 0/1 from a sheet is a
bug upstream, not an answer); numbers must be finite and must not be bools.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

SEXES = ("M", "F")

# Chinese labels of every argument, for the error messages.
LABELS: dict[str, str] = {
    "sex": "性别",
    "age": "年龄",
    "sbp_mmhg": "收缩压",
    "on_bp_treatment": "服用降压药",
    "total_cholesterol_mmol_l": "总胆固醇",
    "hdl_cholesterol_mmol_l": "高密度脂蛋白胆固醇",
    "waist_cm": "腰围",
    "current_smoker": "目前吸烟",
    "diabetes": "糖尿病",
    "north": "居住在北方",
    "urban": "居住在城市",
    "family_history_ascvd": "心脑血管病家族史",
    "h_pylori_positive": "幽门螺杆菌抗体阳性",
    "pg_ratio": "胃蛋白酶原比值（PG I / PG II）",
    "gastrin17_pmol_l": "胃泌素-17",
    "first_degree_relative_crc": "一级亲属患结直肠癌",
    "ever_smoker": "吸烟史（现在或过去）",
    "own_cancer_history": "本人有癌症史",
    "own_polyp_history": "本人有肠息肉史",
    "chronic_constipation": "慢性便秘",
    "chronic_diarrhoea": "慢性腹泻",
    "mucus_or_bloody_stool": "黏液血便",
    "adverse_life_event_20y": "近20年不良生活事件",
    "chronic_appendicitis_or_appendectomy": "慢性阑尾炎或阑尾切除史",
    "chronic_biliary_disease_or_cholecystectomy": "慢性胆道疾病或胆囊切除史",
}


class ScoreInputError(ValueError):
    """A missing, mistyped or out-of-range model input. ``field`` is the argument name."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(f"{LABELS.get(field, field)}（{field}）：{message}")


def fmt(x: float) -> str:
    """A bound as people write it: 2, 0.5, 3.89 (no trailing zeros)."""
    return f"{x:.4f}".rstrip("0").rstrip(".")


def check_sex(value: object) -> str:
    if not isinstance(value, str) or value not in SEXES:
        raise ScoreInputError("sex", f'应为 "M"（男）或 "F"（女），收到 {value!r}')
    return value


def check_bool(field: str, value: object) -> bool:
    if value is None:
        raise ScoreInputError(field, "缺少数据，不作推测")
    if not isinstance(value, bool):
        raise ScoreInputError(field, f"应为是/否（True 或 False），收到 {value!r}")
    return value


def check_number(field: str, value: object) -> float:
    if type(value) is float or type(value) is int:  # the common case first: a screening run checks ~1.5 M numbers
        if math.isfinite(value):
            return float(value)
        raise ScoreInputError(field, f"应为有限数值，收到 {value!r}")
    if value is None:
        raise ScoreInputError(field, "缺少数据，不作推测")
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, Fraction)):
        raise ScoreInputError(field, f"应为数值，收到 {value!r}")
    x = float(value)
    if not math.isfinite(x):
        raise ScoreInputError(field, f"应为有限数值，收到 {value!r}")
    return x


def check_range(field: str, value: object, low: float, high: float, unit: str = "") -> float:
    """A finite number in [low, high] (both inclusive), as float."""
    x = check_number(field, value)
    if not low <= x <= high:
        raise ScoreInputError(field, f"应在 {fmt(low)}–{fmt(high)}{unit} 之间，收到 {fmt(x)}")
    return x


def check_positive(field: str, value: object, unit: str = "", *, allow_zero: bool = False) -> float:
    """A finite number > 0 (or ≥ 0): for lab values HEALTH_MODELS.md gives no range for."""
    x = check_number(field, value)
    if x < 0 or (x == 0 and not allow_zero):
        bound = "≥ 0" if allow_zero else "> 0"
        raise ScoreInputError(field, f"应 {bound}{unit}，收到 {fmt(x)}")
    return x


def check_whole_age(value: object, low: int, high: int) -> int:
    """Age in completed years (the point scores band whole years: 49 is 40–49, 50 is 50–59)."""
    x = check_range("age", value, low, high, " 岁")
    if x != int(x):
        raise ScoreInputError("age", f"应为整数周岁（{low}–{high} 岁），收到 {fmt(x)}")
    return int(x)
