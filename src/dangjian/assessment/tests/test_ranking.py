"""Ranking at the edges: ties share a rank, a veto keeps the rank but takes the lowest band, no units at all."""

from decimal import Decimal as D

from dangjian.assessment.ranking import LeafOccurrences, UnitInput, adjustments, changes, competition_ranks, rank

BANDS = [[90, "好"], [80, "较好"], [70, "一般"], [0, "差"]]


def test_ties_share_a_rank_and_the_next_rank_skips():
    assert competition_ranks({1: D(90), 2: D(85), 3: D(85), 4: D(70)}) == {1: 1, 2: 2, 3: 2, 4: 4}


def test_a_vetoed_unit_keeps_its_total_and_rank_but_takes_the_lowest_band():
    out = rank([UnitInput(1, "branch", D(95), veto=True), UnitInput(2, "branch", D(85))], BANDS, D(3))
    first = out[0]
    assert (first.unit, first.total, first.rank, first.band) == (1, D("95.00"), 1, "差")
    assert (out[1].rank, out[1].band) == (2, "较好")


def test_rank_in_kind_counts_only_units_of_the_same_kind():
    out = {
        r.unit: r
        for r in rank(
            [UnitInput(1, "branch", D(80)), UnitInput(2, "general_branch", D(90)), UnitInput(3, "branch", D(70))],
            BANDS,
            D(0),
        )
    }
    assert [out[pk].rank for pk in (1, 2, 3)] == [2, 1, 3]
    assert [out[pk].rank_in_kind for pk in (1, 2, 3)] == [1, 1, 2]


def test_bonus_is_capped_by_the_system_and_deductions_by_their_leaf():
    occurrences = (
        LeafOccurrences("bonus", "sum", D(3), (D(2), D(2))),  # 4 → leaf cap 3
        LeafOccurrences("bonus", "highest", D(2), (D(2), D(1))),  # 2
        LeafOccurrences("deduction", "sum", D(2), (D(1), D("1.5"))),  # 2.5 → −2
    )
    assert adjustments(occurrences, D(4)) == (D("-2.00"), D("4.00"))
    [result] = rank([UnitInput(1, "branch", D(80), occurrences)], BANDS, D(4))
    assert result.total == D("82.00")


def test_no_units_no_results_and_changes_only_for_units_in_both():
    assert rank([], BANDS, D(0)) == []
    now = rank([UnitInput(1, "branch", D(80)), UnitInput(2, "branch", D(70))], BANDS, D(0))
    before = rank([UnitInput(1, "branch", D(75))], BANDS, D(0))
    assert changes(now, before) == {1: D("5.00")}


def test_the_distribution_counts_each_band_against_its_quota_rounded_down():
    from dangjian.assessment.ranking import distribution

    bands = [[90, "好"], [80, "较好"], [70, "一般"], [0, "差"]]
    units = [UnitInput(i, "branch", D(95)) for i in range(4)] + [UnitInput(10 + i, "branch", D(85)) for i in range(6)]
    out = distribution(rank(units, bands, D(0)), bands, {"好": 0.3})
    assert [(b.band, b.count, b.allowed) for b in out] == [
        ("好", 4, 3),
        ("较好", 6, None),
        ("一般", 0, None),
        ("差", 0, None),
    ]
    assert [b.excess for b in out] == [1, 0, 0, 0]  # 30 % of 10 units is 3: one of the four must move down
    assert distribution([], bands, {"好": 0.3})[0].allowed == 0
