"""星级党支部 and the two ends, pure: thresholds, quotas (rounded down, cascading), ties at a quota's cut, veto,
the movement against last year; the top and bottom units by count, share and threshold, ties included."""

from decimal import Decimal as D

import pytest

from dangjian.assessment import ends, stars

LEVELS = [
    stars.Level(5, D(95), D("0.1")),
    stars.Level(4, D(90)),
    stars.Level(3, D(80)),
    stars.Level(2, D(70)),
]


def _totals(*values):
    return {i: D(str(v)) for i, v in enumerate(values)}


def test_thresholds_are_inclusive_and_below_every_minimum_is_one_star():
    totals = _totals(95, 94.99, 90, 80, 70, 69.99, 0)
    got = stars.assign(totals, [stars.Level(s.stars, s.minimum) for s in LEVELS])
    assert [got[i] for i in range(7)] == [5, 4, 4, 3, 2, 1, 1]


def test_the_quota_moves_the_lowest_qualifying_totals_down_one_level():
    # 20 units: 10 % is 2 places for five stars; four qualify, the two lowest of them take four stars
    totals = _totals(99, 98, 97, 96, *[50] * 16)
    got = stars.assign(totals, LEVELS)
    assert [got[i] for i in range(4)] == [5, 5, 4, 4]


def test_a_quota_is_rounded_down_so_a_fraction_of_a_unit_is_no_place():
    # 19 units: 10 % is 1.9, one place
    totals = _totals(99, 98, *[50] * 17)
    got = stars.assign(totals, LEVELS)
    assert (got[0], got[1]) == (5, 4)
    # fewer than 10 units: no five-star place at all
    assert stars.assign(_totals(99, 50, 50), LEVELS)[0] == 4


def test_units_tied_at_the_cut_all_move_down_and_the_level_may_hold_fewer_than_its_quota():
    # 20 units, 2 places: 99 keeps five stars, the three tied at 97 would exceed the ceiling, so all three move
    totals = _totals(99, 97, 97, 97, *[50] * 16)
    got = stars.assign(totals, LEVELS)
    assert [got[i] for i in range(4)] == [5, 4, 4, 4]
    # every qualifying unit tied: none keeps five stars
    all_tied = stars.assign(_totals(97, 97, 97, *[50] * 17), LEVELS)
    assert [all_tied[i] for i in range(3)] == [4, 4, 4]


def test_ties_within_the_quota_stay():
    totals = _totals(99, 99, 50, *[50] * 17)
    got = stars.assign(totals, LEVELS)
    assert (got[0], got[1]) == (5, 5)


def test_units_moved_down_count_towards_the_next_levels_quota():
    levels = [stars.Level(5, D(95), D("0.1")), stars.Level(4, D(90), D("0.1")), stars.Level(3, D(80))]
    totals = _totals(99, 98, 97, 96, *[10] * 16)  # 2 places on each level
    got = stars.assign(totals, levels)
    assert [got[i] for i in range(4)] == [5, 5, 4, 4]
    totals = _totals(99, 98, 97, 96, 91, *[10] * 15)
    got = stars.assign(totals, levels)
    # 97 and 96 come down to four stars where 91 already is: 91, the lowest, moves on to three
    assert [got[i] for i in range(5)] == [5, 5, 4, 4, 3]


def test_a_zero_quota_admits_nobody_and_a_vetoed_unit_takes_one_star():
    got = stars.assign(_totals(99, 50), [stars.Level(5, D(95), D(0)), stars.Level(2, D(40))])
    assert got == {0: 2, 1: 2}
    assert stars.assign(_totals(99, 50), LEVELS, vetoed={0})[0] == 1


def test_no_units_and_a_negative_quota():
    assert stars.assign({}, LEVELS) == {}
    with pytest.raises(ValueError):
        stars.assign(_totals(99), [stars.Level(5, D(95), D(-1))])


def test_movement_against_last_year():
    assert stars.movement(4, 3) == "↑"
    assert stars.movement(2, 3) == "↓"
    assert stars.movement(3, 3) == ""
    assert stars.movement(3, None) == ""


def _rows(*values, veto=()):
    return [ends.Ranked(i, D(str(v)), i in veto) for i, v in enumerate(values)]


def test_top_by_count_includes_ties_with_the_last_and_never_a_vetoed_unit():
    rows = _rows(90, 85, 85, 70, 99, veto={4})
    assert [r.unit for r in ends.top(rows, count=2)] == [0, 1, 2]
    assert ends.top(rows, count=0) == []


def test_top_by_share_rounds_up():
    rows = _rows(*range(50, 70))  # 20 units
    assert len(ends.top(rows, share=D("0.05"))) == 1
    assert len(ends.top(rows, share=D("0.06"))) == 2  # 1.2 → 2
    with pytest.raises(ValueError):
        ends.top(rows, share=D("1.5"))
    with pytest.raises(ValueError):
        ends.top(rows, count=1, share=D("0.1"))


def test_bottom_below_a_threshold_is_strict_and_always_takes_vetoed_units():
    rows = _rows(70, 69.99, 90, 95, veto={3})
    assert [r.unit for r in ends.bottom(rows, below=D(70))] == [3, 1]


def test_bottom_by_share_counts_vetoed_units_first_and_includes_ties():
    rows = _rows(60, 61, 61, 80, 90, 99, 98, 97, 96, 95, veto={9})
    # 10 % of 10 units: one place, taken by the vetoed unit
    assert [r.unit for r in ends.bottom(rows, share=D("0.1"))] == [9]
    # 20 %: the vetoed unit and the lowest (60)
    assert [r.unit for r in ends.bottom(rows, share=D("0.2"))] == [9, 0]
    # 30 %: the two tied at 61 come together
    assert [r.unit for r in ends.bottom(rows, share=D("0.3"))] == [9, 0, 1, 2]
