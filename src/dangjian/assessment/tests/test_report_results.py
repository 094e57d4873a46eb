"""The weighted result of a 述职评议 (assessment.report_results): the formula at its edges."""

from __future__ import annotations

from decimal import Decimal

from dangjian.assessment.report_results import weighted

W = {"committee": 30, "secretaries": 20, "members": 30, "staff": 20}


def c(good=0, fairly_good=0, average=0, poor=0):
    return {"good": good, "fairly_good": fairly_good, "average": average, "poor": poor}


def test_all_good_in_every_group_is_100_and_good():
    r = weighted({g: c(good=3) for g in W}, W)
    assert r.score == Decimal("100.00") and r.grade == "good" and r.shares["good"] == Decimal("100.00")


def test_groups_weigh_by_their_weight_not_by_their_size():
    # committee (30 %): 1 of 1 good; members (30 %): 0 of 9 good, all 一般; the others silent
    r = weighted({"committee": c(good=1), "members": c(average=9), "secretaries": c(), "staff": c()}, W)
    assert r.shares["good"] == Decimal("50.00") and r.shares["average"] == Decimal("50.00")
    assert r.score == Decimal("80.00") and r.grade == "fairly_good"
    assert r.groups_counted == ("committee", "members") and r.votes == 10


def test_a_group_with_no_votes_is_left_out_and_the_others_scaled_to_100():
    with_silence = weighted({"committee": c(fairly_good=2), "staff": c()}, W)
    alone = weighted({"committee": c(fairly_good=2)}, {"committee": 100})
    assert with_silence.score == alone.score == Decimal("80.00")
    assert with_silence.shares["fairly_good"] == Decimal("100.00")


def test_no_votes_at_all_gives_no_result():
    r = weighted({g: c() for g in W}, W)
    assert r.score is None and r.grade == "" and r.votes == 0


def test_a_group_weighted_zero_does_not_count_even_with_votes():
    r = weighted({"committee": c(good=1), "staff": c(poor=5)}, {"committee": 100, "staff": 0})
    assert r.score == Decimal("100.00") and r.groups_counted == ("committee",)


def test_bands_at_their_edges():
    assert weighted({"committee": c(good=1, fairly_good=1)}, W).grade == "good"  # 90
    assert weighted({"committee": c(good=1, fairly_good=1, average=1, poor=1)}, W).grade == "average"  # 60
    assert weighted({"committee": c(good=3, average=1)}, W).grade == "good"  # 90
    r = weighted({"committee": c(fairly_good=3, average=1)}, W)  # 75
    assert r.score == Decimal("75.00") and r.grade == "fairly_good"
    assert weighted({"committee": c(average=1, poor=1)}, W).grade == "poor"  # 30


def test_thirds_round_half_up_to_two_places():
    r = weighted({"committee": c(good=1, fairly_good=1, average=1)}, W)
    assert r.shares["good"] == Decimal("33.33") and r.score == Decimal("80.00")
