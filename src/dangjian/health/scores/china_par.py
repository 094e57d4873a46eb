"""China-PAR 10-year ASCVD risk (Yang X et al., Circulation 2016;134:1430–40), HEALTH_MODELS.md §1.

risk% = 100 × (1 − S10 ^ exp(ΣβX − mean)). Age, SBP (mmHg), total cholesterol and HDL-C (mg/dL) and waist (cm)
enter as natural logs; the other variables are 0/1. The coefficients are the 3-decimal ones of the T/JPMA
024—2024 appendix, which reproduce the official calculator (cvdrisk.com.cn); the paper's printed 2-decimal
coefficients run about 6% high for men and are deliberately not used.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..units import mmol_l_to_mg_dl
from ._inputs import check_bool, check_range, check_sex

MODEL = "China-PAR 10-year ASCVD risk"
VERSION = "T/JPMA 024—2024 coefficients"
CITATION = "Yang X, et al. Circulation 2016;134:1430–40；系数取自 T/JPMA 024—2024 附录"


# Ranges accepted by the official calculator (HEALTH_MODELS.md §1); both ends inclusive.
AGE_RANGE = (20, 85)
DERIVATION_AGE_RANGE = (35, 74)  # results outside are given but flagged
SBP_RANGE = (70, 200)
TC_RANGE_MMOL_L = (2, 11)
HDL_RANGE_MMOL_L = (0.5, 4)
WAIST_RANGE_CM = (50, 130)

# Category edges, in percent: <5 low, 5–<10 medium, ≥10 high.
MEDIUM_FROM = 5.0
HIGH_FROM = 10.0


@dataclass(frozen=True)
class Coefficients:
    ln_age: float
    ln_sbp_treated: float
    ln_sbp_untreated: float
    ln_tc: float
    ln_hdl: float
    ln_waist: float
    smoker: float
    diabetes: float
    north: float
    urban: float
    family_history: float
    ln_age_ln_sbp_treated: float
    ln_age_ln_sbp_untreated: float
    ln_age_smoker: float
    ln_age_family_history: float
    mean: float
    s10: float


# HEALTH_MODELS.md §1 table, verbatim. "—" (no term for women) is 0.0.
COEFFICIENTS: dict[str, Coefficients] = {
    "M": Coefficients(
        ln_age=31.967,
        ln_sbp_treated=27.388,
        ln_sbp_untreated=26.148,
        ln_tc=0.621,
        ln_hdl=-0.695,
        ln_waist=-0.712,
        smoker=3.955,
        diabetes=0.357,
        north=0.475,
        urban=-0.164,
        family_history=6.221,
        ln_age_ln_sbp_treated=-6.018,
        ln_age_ln_sbp_untreated=-5.731,
        ln_age_smoker=-0.939,
        ln_age_family_history=-1.534,
        mean=140.68,
        s10=0.9707,
    ),
    "F": Coefficients(
        ln_age=24.874,
        ln_sbp_treated=20.709,
        ln_sbp_untreated=19.982,
        ln_tc=0.058,
        ln_hdl=-0.217,
        ln_waist=1.475,
        smoker=0.495,
        diabetes=0.567,
        north=0.544,
        urban=0.0,
        family_history=0.0,
        ln_age_ln_sbp_treated=-4.528,
        ln_age_ln_sbp_untreated=-4.360,
        ln_age_smoker=0.0,
        ln_age_family_history=0.0,
        mean=117.26,
        s10=0.9851,
    ),
}


@dataclass(frozen=True)
class ChinaParResult:
    percent: float  # 10-year ASCVD risk in percent, not rounded
    category: str  # "low", "medium" or "high"
    outside_derivation_age: bool  # age outside 35–74: the model was not derived there
    sum_beta_x: float
    model: str = MODEL
    version: str = VERSION
    citation: str = CITATION


def china_par_category(percent: float) -> str:
    """<5% low, 5–9.9% medium, ≥10% high (HEALTH_MODELS.md §1), on the unrounded figure."""
    if percent >= HIGH_FROM:
        return "high"
    if percent >= MEDIUM_FROM:
        return "medium"
    return "low"


def china_par_10y_risk(
    *,
    sex: str,
    age: float,
    sbp_mmhg: float,
    on_bp_treatment: bool,
    total_cholesterol_mmol_l: float,
    hdl_cholesterol_mmol_l: float,
    waist_cm: float,
    current_smoker: bool,
    diabetes: bool,
    north: bool,
    urban: bool,
    family_history_ascvd: bool,
) -> ChinaParResult:
    """The 10-year risk of ASCVD (fatal or non-fatal MI, CHD death, stroke) in percent."""
    c = COEFFICIENTS[check_sex(sex)]
    age = check_range("age", age, *AGE_RANGE, " 岁")
    sbp = check_range("sbp_mmhg", sbp_mmhg, *SBP_RANGE, " mmHg")
    treated = check_bool("on_bp_treatment", on_bp_treatment)
    tc = check_range("total_cholesterol_mmol_l", total_cholesterol_mmol_l, *TC_RANGE_MMOL_L, " mmol/L")
    hdl = check_range("hdl_cholesterol_mmol_l", hdl_cholesterol_mmol_l, *HDL_RANGE_MMOL_L, " mmol/L")
    waist = check_range("waist_cm", waist_cm, *WAIST_RANGE_CM, " cm")
    smoker = float(check_bool("current_smoker", current_smoker))
    dm = float(check_bool("diabetes", diabetes))
    nth = float(check_bool("north", north))
    urb = float(check_bool("urban", urban))
    fh = float(check_bool("family_history_ascvd", family_history_ascvd))

    ln_age, ln_sbp = math.log(age), math.log(sbp)
    # One SBP term and one age×SBP term: the treated pair if on antihypertensive drugs, else the untreated pair.
    b_sbp = c.ln_sbp_treated if treated else c.ln_sbp_untreated
    b_age_sbp = c.ln_age_ln_sbp_treated if treated else c.ln_age_ln_sbp_untreated
    total = (
        c.ln_age * ln_age
        + b_sbp * ln_sbp
        + c.ln_tc * math.log(mmol_l_to_mg_dl(tc))
        + c.ln_hdl * math.log(mmol_l_to_mg_dl(hdl))
        + c.ln_waist * math.log(waist)
        + c.smoker * smoker
        + c.diabetes * dm
        + c.north * nth
        + c.urban * urb
        + c.family_history * fh
        + b_age_sbp * ln_age * ln_sbp
        + c.ln_age_smoker * ln_age * smoker
        + c.ln_age_family_history * ln_age * fh
    )
    percent = 100.0 * (1.0 - c.s10 ** math.exp(total - c.mean))
    low, high = DERIVATION_AGE_RANGE
    return ChinaParResult(
        percent=percent,
        category=china_par_category(percent),
        outside_derivation_age=not low <= age <= high,
        sum_beta_x=total,
    )
