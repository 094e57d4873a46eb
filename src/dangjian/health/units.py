"""Units and accepted ranges of the numeric checkup fields (HEALTH_MODELS.md). Pure: no Django import.

Each field is stored in one canonical unit, the one its name ends with (``fields.py``); a sheet column may be in
any unit listed for its field and is converted on import. Ranges are those the official China-PAR calculator
accepts (HEALTH_MODELS.md §1), checked in the unit the value was given in, both ends inclusive; a value outside
is refused, never clipped. The calculator gives cholesterol ranges per unit (TC 2–11 mmol/L or 80–400 mg/dL,
HDL-C 0.5–4 mmol/L or 20–130 mg/dL); each mg/dL range converts to inside the mmol/L one, so whatever the import
accepts the score accepts too. Gastrin-17 is accepted only in pmol/L (§2). HEALTH_MODELS.md gives no range for
the pepsinogens or gastrin-17: only a positive (gastrin-17: non-negative) finite number is required.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

# HEALTH_MODELS.md §1: mmol/L → mg/dL, divide by 0.0259 (so mg/dL → mmol/L, multiply by it).
CHOLESTEROL_MMOL_L_PER_MG_DL = 0.0259


def mmol_l_to_mg_dl(value_mmol_l: float) -> float:
    """Cholesterol (total or HDL) mmol/L → mg/dL."""
    return value_mmol_l / CHOLESTEROL_MMOL_L_PER_MG_DL


def mg_dl_to_mmol_l(value_mg_dl: float) -> float:
    """Cholesterol (total or HDL) mg/dL → mmol/L."""
    return value_mg_dl * CHOLESTEROL_MMOL_L_PER_MG_DL


@dataclass(frozen=True)
class Unit:
    code: str  # what a column mapping stores
    label: str  # what a page shows
    to_canonical: float  # canonical value = value × to_canonical
    low: float  # accepted range in this unit
    high: float | None  # None: HEALTH_MODELS.md gives no upper bound
    low_inclusive: bool = True

    def accepts(self, value: float) -> bool:
        above = value >= self.low if self.low_inclusive else value > self.low
        return above and (self.high is None or value <= self.high)

    def describe_range(self) -> str:
        if self.high is None:
            return f"{'≥' if self.low_inclusive else '>'} {_fmt(self.low)} {self.code}"
        return f"{_fmt(self.low)}–{_fmt(self.high)} {self.code}"


@dataclass(frozen=True)
class Spec:
    canonical: str  # code of the stored unit
    units: tuple[Unit, ...]  # the first is the default of a new column mapping

    def unit(self, code: str) -> Unit | None:
        return next((u for u in self.units if u.code == code), None)


_CHOL = CHOLESTEROL_MMOL_L_PER_MG_DL
SPECS: dict[str, Spec] = {
    "sbp_mmhg": Spec("mmHg", (Unit("mmHg", "mmHg", 1.0, 70, 200),)),
    # Not a model input; the calculator's range, for sheets that carry it.
    "dbp_mmhg": Spec("mmHg", (Unit("mmHg", "mmHg", 1.0, 40, 140),)),
    "total_cholesterol_mmol_l": Spec(
        "mmol/L", (Unit("mmol/L", "mmol/L", 1.0, 2, 11), Unit("mg/dL", "mg/dL", _CHOL, 80, 400))
    ),
    "hdl_cholesterol_mmol_l": Spec(
        "mmol/L", (Unit("mmol/L", "mmol/L", 1.0, 0.5, 4), Unit("mg/dL", "mg/dL", _CHOL, 20, 130))
    ),
    "waist_cm": Spec("cm", (Unit("cm", "cm", 1.0, 50, 130),)),
    # ng/mL and μg/L are the same number.
    "pg1_ng_ml": Spec("ng/mL", (Unit("ng/mL", "ng/mL（μg/L）", 1.0, 0, None, low_inclusive=False),)),
    "pg2_ng_ml": Spec("ng/mL", (Unit("ng/mL", "ng/mL（μg/L）", 1.0, 0, None, low_inclusive=False),)),
    "pg_ratio": Spec("ratio", (Unit("ratio", "比值", 1.0, 0, None, low_inclusive=False),)),
    "gastrin17_pmol_l": Spec("pmol/L", (Unit("pmol/L", "pmol/L", 1.0, 0, None),)),
}


class UnitError(ValueError):
    """A unit the field may not be in, or a value outside its range; the message is Chinese. ``field`` names it."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


def _fmt(x: float) -> str:
    return f"{x:.4f}".rstrip("0").rstrip(".")


def units_for(field: str) -> tuple[Unit, ...]:
    return SPECS[field].units


def default_unit(field: str) -> str:
    return SPECS[field].units[0].code


def to_canonical(field: str, value: float, unit: str) -> float:
    """``value`` given in ``unit`` → the field's stored unit, after checking the unit and the range."""
    spec = SPECS[field]
    u = spec.unit(unit)
    if u is None:
        allowed = "、".join(x.code for x in spec.units)
        raise UnitError(field, f"单位「{unit}」不可用，只接受 {allowed}")
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, Fraction)):
        raise UnitError(field, f"「{value}」不是数值")
    x = float(value)
    if not math.isfinite(x):
        raise UnitError(field, f"「{value}」不是有效数值")
    if not u.accepts(x):
        raise UnitError(field, f"数值 {_fmt(x)} 超出范围 {u.describe_range()}")
    return x * u.to_canonical
