"""Units, conversions and accepted ranges of the checkup fields (HEALTH_MODELS.md §1–2)."""

import pytest

from dangjian.health import units
from dangjian.health.fields import NUMBER_FIELDS
from dangjian.health.scores import china_par
from dangjian.health.tests.test_scores_china_par import risk
from dangjian.health.units import UnitError, default_unit, mg_dl_to_mmol_l, mmol_l_to_mg_dl, to_canonical, units_for


def test_cholesterol_mmol_l_to_mg_dl_divides_by_0_0259():
    assert mmol_l_to_mg_dl(5.2) == pytest.approx(200.772, abs=1e-3)
    assert mmol_l_to_mg_dl(0.0259) == pytest.approx(1.0)
    assert mg_dl_to_mmol_l(200) == pytest.approx(5.18)
    assert mg_dl_to_mmol_l(mmol_l_to_mg_dl(1.3)) == pytest.approx(1.3)


def test_every_numeric_checkup_field_has_units_and_a_range():
    assert set(NUMBER_FIELDS) <= set(units.SPECS)
    for name in NUMBER_FIELDS:
        assert default_unit(name) == units.SPECS[name].canonical


@pytest.mark.parametrize(
    "field, unit, low, high, just_below, just_above",
    [
        ("sbp_mmhg", "mmHg", 70, 200, 69.9, 200.1),
        ("dbp_mmhg", "mmHg", 40, 140, 39.9, 140.1),
        ("waist_cm", "cm", 50, 130, 49.9, 130.1),
        ("total_cholesterol_mmol_l", "mmol/L", 2, 11, 1.99, 11.01),
        ("total_cholesterol_mmol_l", "mg/dL", 80, 400, 79.9, 400.1),
        ("hdl_cholesterol_mmol_l", "mmol/L", 0.5, 4, 0.49, 4.01),
        ("hdl_cholesterol_mmol_l", "mg/dL", 20, 130, 19.9, 130.1),
    ],
)
def test_ranges_are_inclusive_in_the_unit_given(field, unit, low, high, just_below, just_above):
    to_canonical(field, low, unit)
    to_canonical(field, high, unit)
    for bad in (just_below, just_above):
        with pytest.raises(UnitError, match=f"超出范围 {low}–{high} {unit}") as err:
            to_canonical(field, bad, unit)
        assert err.value.field == field


def test_mg_dl_cholesterol_is_converted_to_mmol_l():
    assert to_canonical("total_cholesterol_mmol_l", 200, "mg/dL") == pytest.approx(5.18)
    assert to_canonical("hdl_cholesterol_mmol_l", 50, "mg/dL") == pytest.approx(1.295)
    assert to_canonical("total_cholesterol_mmol_l", 5.2, "mmol/L") == 5.2


@pytest.mark.parametrize("field", ["total_cholesterol_mmol_l", "hdl_cholesterol_mmol_l"])
def test_every_accepted_mg_dl_value_converts_into_what_china_par_accepts(field):
    mg = units.SPECS[field].unit("mg/dL")
    for edge in (mg.low, mg.high):
        risk(**{field: to_canonical(field, edge, "mg/dL")})


@pytest.mark.parametrize(
    "field, score_range",
    [
        ("sbp_mmhg", china_par.SBP_RANGE),
        ("waist_cm", china_par.WAIST_RANGE_CM),
        ("total_cholesterol_mmol_l", china_par.TC_RANGE_MMOL_L),
        ("hdl_cholesterol_mmol_l", china_par.HDL_RANGE_MMOL_L),
    ],
)
def test_the_canonical_unit_ranges_are_the_ones_the_score_checks(field, score_range):
    canonical = units.SPECS[field].unit(units.SPECS[field].canonical)
    assert (canonical.low, canonical.high) == score_range


@pytest.mark.parametrize("unit", ["ng/L", "pg/mL", "mmol/L", ""])
def test_gastrin17_is_accepted_only_in_pmol_l(unit):
    assert [u.code for u in units_for("gastrin17_pmol_l")] == ["pmol/L"]
    with pytest.raises(UnitError, match="只接受 pmol/L"):
        to_canonical("gastrin17_pmol_l", 3.0, unit)


def test_lab_values_without_a_published_range_need_only_be_positive():
    assert to_canonical("gastrin17_pmol_l", 0, "pmol/L") == 0
    assert to_canonical("pg_ratio", 0.01, "ratio") == 0.01
    assert to_canonical("pg1_ng_ml", 250, "ng/mL") == 250
    with pytest.raises(UnitError, match=r"超出范围 ≥ 0 pmol/L"):
        to_canonical("gastrin17_pmol_l", -0.1, "pmol/L")
    for field, unit in (("pg_ratio", "ratio"), ("pg1_ng_ml", "ng/mL"), ("pg2_ng_ml", "ng/mL")):
        with pytest.raises(UnitError, match=r"> 0"):
            to_canonical(field, 0, unit)


def test_an_unknown_unit_is_refused_naming_the_accepted_ones():
    with pytest.raises(UnitError, match="单位「g/L」不可用，只接受 mmol/L、mg/dL"):
        to_canonical("total_cholesterol_mmol_l", 5, "g/L")


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), True, "5.2", None])
def test_non_numbers_are_refused(bad):
    with pytest.raises(UnitError):
        to_canonical("total_cholesterol_mmol_l", bad, "mmol/L")


def test_unit_error_is_a_value_error():
    assert issubclass(UnitError, ValueError)
