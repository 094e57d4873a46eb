"""The manual score that counts: reviewers' average, a dispute above the threshold, the office's settlement, and
the results adding it to the unit's total."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dangjian.assessment import cycles, manual_scores, results, scoring
from dangjian.assessment.models import EntryKind, ManualScore, ReviewEntry
from dangjian.audit.models import AuditEvent
from dangjian.core import context
from dangjian.testing import make_tree, make_user

from .cycle_factories import open_cycle, published_system


def test_reviewed_waits_for_the_required_reviewers_and_flags_a_difference_above_the_threshold():
    assert scoring.reviewed([], 1, 2) == (None, False)
    assert scoring.reviewed([Decimal("3.5")], 1, 2) == (Decimal("3.50"), False)
    assert scoring.reviewed([Decimal(3)], 2, 2) == (None, False)
    assert scoring.reviewed([Decimal(3), Decimal(4)], 2, 2) == (Decimal("3.50"), False)
    assert scoring.reviewed([Decimal(1), Decimal(3)], 2, 2) == (Decimal("2.00"), False)  # 2 is not above 2
    assert scoring.reviewed([Decimal(1), Decimal("3.01")], 2, 2) == (Decimal("2.01"), True)
    with pytest.raises(ValueError):
        scoring.reviewed([Decimal(1)], 3, 2)


def test_manual_params_accept_one_or_two_reviewers_only():
    assert scoring.validate_method({"points": 4}, "manual") == []
    assert scoring.validate_method({"points": 4, "reviewers": 2}, "manual") == []
    assert scoring.validate_method({"points": 4, "reviewers": 3}, "manual")
    assert scoring.validate_method({"points": 4, "other": 1}, "manual")


@pytest.fixture
def setting(db):
    tree = make_tree()
    office = make_user("office_manual", "office", tree.root)
    reviewer_a = make_user("reviewer_a", "office", tree.root)
    reviewer_b = make_user("reviewer_b", "office", tree.root)
    with context.acting(office):
        cycle = open_cycle(office, published_system(office), [tree.branch1, tree.branch2])
        cycles.compute(cycle, office)
        yield tree, office, reviewer_a, reviewer_b, cycle


def test_two_reviewers_average_a_dispute_and_the_office_settles_it(setting):
    tree, office, a, b, cycle = setting
    leaf = cycle.system.indicators.get(name="理论学习")
    leaf.params = {"reviewers": 2}
    leaf.save()
    unit = tree.branch1.pk
    manual_scores.enter(a, cycle, unit, leaf, "4", "学习记录齐全")
    assert not ManualScore.objects.filter(cycle=cycle).exists()  # one of two reviewers: nothing counts yet
    manual_scores.enter(b, cycle, unit, leaf, "1", "记录缺三个月")
    row = ManualScore.objects.get(cycle=cycle, unit_id=unit, indicator=leaf)
    assert row.score == Decimal("2.50") and row.disputed
    assert manual_scores.progress(cycle) == {"items": 2, "scored": 1, "disputed": 1}
    manual_scores.enter(office, cycle, unit, leaf, "3", "核实后裁定", kind=EntryKind.SETTLEMENT)
    row.refresh_from_db()
    assert row.score == Decimal("3.00") and not row.disputed
    # a reviewer's later score does not undo the settlement; the entries are all kept
    manual_scores.enter(a, cycle, unit, leaf, "4", "再次评分")
    row.refresh_from_db()
    assert row.score == Decimal("3.00")
    assert ReviewEntry.objects.filter(cycle=cycle, unit_id=unit).count() == 4
    assert AuditEvent.objects.filter(action="create", object_repr="理论学习").count() == 4


def test_a_settled_manual_score_adds_to_the_total_and_its_section(setting):
    tree, office, a, _b, cycle = setting
    leaf = cycle.system.indicators.get(name="理论学习")
    before = results.results(cycle).row_of(tree.branch1.pk).result.total
    assert results.results(cycle).manual_pending
    manual_scores.enter(a, cycle, tree.branch1.pk, leaf, "3.5", "学习扎实")
    manual_scores.enter(a, cycle, tree.branch2.pk, leaf, "2", "学习一般")
    out = results.results(cycle)
    row = out.row_of(tree.branch1.pk)
    assert row.result.total == before + Decimal("3.5")
    section = cycle.system.indicators.get(name="思想建设")
    assert str(row.result.sections[section.pk]) == "3.50"  # as the table prints it, on SQLite too
    assert not out.manual_pending


def test_a_score_outside_the_points_or_without_a_reason_is_refused(setting):
    tree, _office, a, _b, cycle = setting
    leaf = cycle.system.indicators.get(name="理论学习")
    with pytest.raises(ValidationError):
        manual_scores.enter(a, cycle, tree.branch1.pk, leaf, "4.5", "太高")
    with pytest.raises(ValidationError):
        manual_scores.enter(a, cycle, tree.branch1.pk, leaf, "3", " ")
    auto = cycle.system.indicators.get(name="按期完成率")
    with pytest.raises(ValidationError):
        manual_scores.enter(a, cycle, tree.branch1.pk, auto, "3", "非人工项")
    assert not ReviewEntry.objects.exists()


def test_a_kept_ranking_is_read_again_until_a_write_changes_the_cycle(setting):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    tree, office, a, _b, cycle = setting
    leaf = cycle.system.indicators.get(name="理论学习")
    with CaptureQueriesContext(connection) as first:
        before = results.results(cycle, compare=False).row_of(tree.branch1.pk).result.total
    with CaptureQueriesContext(connection) as again:
        assert results.results(cycle, compare=False).row_of(tree.branch1.pk).result.total == before
    assert len(again.captured_queries) < len(first.captured_queries)
    # the same cycle object, stale in memory: the version is read from the database, so the write shows
    manual_scores.enter(a, cycle, tree.branch1.pk, leaf, Decimal(2), "学习一般")
    assert results.results(cycle, compare=False).row_of(tree.branch1.pk).result.total == before + 2
    bonus = cycle.system.indicators.get(name="上级表彰")
    cycles.record_occurrence(
        office, cycle.pk, unit_id=tree.branch1.pk, indicator_id=bonus.pk, magnitude=1, reason="表彰"
    )
    assert results.results(cycle, compare=False).row_of(tree.branch1.pk).result.total == before + 3
