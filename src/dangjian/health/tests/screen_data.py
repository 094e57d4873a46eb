"""Checkups with consent for the run, aggregate and trend tests: complete inputs, one knob per risk level."""

from __future__ import annotations

from datetime import date

from dangjian.health.models import Checkup, Consent
from dangjian.health.screening import CRC_QUESTIONNAIRE_FIELDS

# HEALTH_MODELS.md §1 worked example (a man of 40: 4.7 %, low) plus every other model's inputs, all negative.
LOW = {
    "sbp_mmhg": 145.0,
    "on_bp_treatment": False,
    "total_cholesterol_mmol_l": 5.2,
    "hdl_cholesterol_mmol_l": 1.3,
    "waist_cm": 80.0,
    "current_smoker": False,
    "diabetes": False,
    "north": True,
    "urban": True,
    "family_history_ascvd": True,
    "h_pylori_positive": False,
    "pg_ratio": 5.0,
    "gastrin17_pmol_l": 1.0,
    "ever_smoker": False,
    "fit_result": "negative",
    **dict.fromkeys(CRC_QUESTIONNAIRE_FIELDS, False),
}
MEDIUM = {**LOW, "sbp_mmhg": 160.0}  # 7.6 %
HIGH = {**LOW, "sbp_mmhg": 180.0}  # 13.3 %
GASTRIC_MEDIUM = {"h_pylori_positive": True, "pg_ratio": 3.0, "gastrin17_pmol_l": 6.0}  # man of 40: 4+1+3+5 = 13
APCS_HIGH = {"first_degree_relative_crc": True, "ever_smoker": True}  # man of 40: 1+2+1 = 4; also a referral


def screen(person, year: int, values: dict, recorder) -> Checkup:
    """Consent (active) and a checkup of ``year`` for ``person``."""
    Consent.objects.get_or_create(
        person=person, year=year, defaults={"given_on": date(year, 1, 10), "given_recorded_by": recorder}
    )
    checkup = Checkup(person=person, year=year, checked_on=date(year, 5, 1), source="manual")
    checkup.set_values(values)
    checkup.save()
    return checkup
