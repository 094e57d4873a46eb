"""Cycles: opened over published systems only; auto scores stored as snapshots that later records do not change."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dangjian.assessment import cycles, results
from dangjian.assessment.models import AutoScore, Occurrence, Snapshot
from dangjian.audit.models import AuditEvent
from dangjian.core import context
from dangjian.testing import make_tree, make_user

from .cycle_factories import open_cycle, published_system, theme_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return make_tree()


@pytest.fixture
def office(tree):
    user = make_user("office_root", "office", tree.root)
    with context.acting(user):
        yield user


def test_only_a_published_system_opens_a_cycle_and_groups_are_not_units(office, tree):

    system = published_system(office)
    with pytest.raises(ValidationError):
        open_cycle(office, system, [tree.group1])
    cycle = open_cycle(office, system, [tree.branch1, tree.branch2, tree.general])
    assert sorted(cycle.cycle_units.values_list("kind", flat=True)) == ["branch", "branch", "general_branch"]
    assert AuditEvent.objects.filter(action="create", object_repr=str(cycle)).exists()


def test_a_cycles_results_do_not_change_when_a_meeting_is_later_added(office, tree):
    system = published_system(office)
    theme_day(tree.branch1, date(2026, 3, 10))
    cycle = open_cycle(office, system, [tree.branch1, tree.branch2])
    first = cycles.compute(cycle, office)
    before = results.results(cycle)
    row = before.row_of(tree.branch1.pk)
    assert row.result.total == Decimal("0.50")  # 1 of 12 theme days: 6 × 1/12
    assert before.row_of(tree.branch2.pk).result.total == Decimal("0.00")
    [score] = results.unit_scores(first, tree.branch1.pk).values()
    assert "主题党日" in score.explanation and "第十六条" in score.explanation
    assert "得 0.50 分（满分 6.00 分）" in score.explanation
    assert score.evidence_url and score.inputs == {"held": 1}

    theme_day(tree.branch1, date(2026, 4, 10))
    again = results.results(cycle)
    assert again.row_of(tree.branch1.pk).result.total == Decimal("0.50")

    second = cycles.compute(cycle, office)
    first.refresh_from_db()
    assert (first.current, second.current, second.number) == (False, True, 2)
    assert results.results(cycle).row_of(tree.branch1.pk).result.total == Decimal("1.00")
    assert results.results(cycle, first).row_of(tree.branch1.pk).result.total == Decimal("0.50")
    assert AutoScore.objects.filter(snapshot=first).count() == 2


def test_recompute_runs_as_a_job_and_refuses_a_second_while_running(office, tree):
    system = published_system(office)
    cycle = open_cycle(office, system, [tree.branch1])
    cycle = cycles.start_recompute(office, cycle.pk)
    assert cycle.job.status == "done"
    assert Snapshot.objects.filter(cycle=cycle, current=True).count() == 1


def test_occurrences_count_and_a_withdrawn_one_stops_counting_but_stays(office, tree):
    system = published_system(office)
    cycle = open_cycle(office, system, [tree.branch1, tree.branch2])
    cycles.compute(cycle, office)
    leaves = {i.name: i for i in system.indicators.all()}
    cycles.record_occurrence(
        office,
        cycle.pk,
        unit_id=tree.branch1.pk,
        indicator_id=leaves["上级表彰"].pk,
        magnitude=Decimal(2),
        reason="表彰",
    )
    veto = cycles.record_occurrence(
        office,
        cycle.pk,
        unit_id=tree.branch2.pk,
        indicator_id=leaves["严重违纪"].pk,
        magnitude=Decimal(0),
        reason="违纪",
    )
    out = results.results(cycle)
    assert out.row_of(tree.branch1.pk).result.total == Decimal("2.00")
    assert out.row_of(tree.branch2.pk).result.band == "差" and out.row_of(tree.branch2.pk).result.veto
    with pytest.raises(ValidationError):
        cycles.record_occurrence(
            office,
            cycle.pk,
            unit_id=tree.branch1.pk,
            indicator_id=leaves["通报批评"].pk,
            magnitude=Decimal(5),
            reason="x",
        )
    cycles.withdraw_occurrence(office, veto.pk, "录入错误")
    assert not results.results(cycle).row_of(tree.branch2.pk).result.veto
    assert Occurrence.objects.filter(cycle=cycle).count() == 2


def test_year_over_year_change_reads_the_previous_cycle_of_the_same_system_name(office, tree):
    system = published_system(office)
    theme_day(tree.branch1, date(2025, 3, 10))
    theme_day(tree.branch1, date(2025, 4, 10))
    theme_day(tree.branch1, date(2026, 3, 10))
    cycles.compute(open_cycle(office, system, [tree.branch1], year=2025), office)
    cycle = open_cycle(office, system, [tree.branch1], year=2026)
    cycles.compute(cycle, office)
    assert results.results(cycle).row_of(tree.branch1.pk).change == Decimal("-0.50")


def test_only_the_office_over_the_whole_tree_opens_cycles(office, tree):
    from django.http import Http404

    system = published_system(office)
    secretary = make_user("sec", "secretary", tree.branch1)
    with pytest.raises(Http404):
        open_cycle(secretary, system, [tree.branch1])


def test_compute_reads_the_facts_set_wise_whatever_the_number_of_units(office, tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dangjian.assessment.models import CycleUnit
    from dangjian.orgs.models import Organization

    system = published_system(office)
    cycle = open_cycle(office, system, [tree.branch1])
    cycles.compute(cycle, office)  # warm: first-time settings reads
    with CaptureQueriesContext(connection) as one:
        cycles.compute(cycle, office)
    for i in range(5):
        org = Organization.objects.add_child(
            tree.general, dict(kind="branch", code=f"T08{i}", name=f"增支部{i}", founded_on=date(2000, 1, 1))
        )
        CycleUnit.objects.create(cycle=cycle, organization=org, kind="branch")
        theme_day(org, date(2026, 6, 1))
    with CaptureQueriesContext(connection) as six:
        snapshot = cycles.compute(cycle, office)
    assert len(six) == len(one)
    assert AutoScore.objects.filter(snapshot=snapshot).count() == 6


def test_a_unit_with_nothing_due_earns_full_points_where_the_leaf_says_so(office, tree):
    """No transfer fell due in branch 2's year: the on-time rate has no value, and the leaf says "if_none": "full"."""
    from dangjian.assessment import services

    from .cycle_factories import meeting_tree
    from .factories import small_data

    nodes = meeting_tree()
    auto = nodes[0].children[0].children[0]
    auto.fact_key = "transfers.on_time_rate"
    auto.params = {"kind": "linear", "from": 50, "to": 100, "if_none": "full"}
    system = services.publish(office, services.create_system(office, small_data("转接体系"), nodes).pk)
    cycle = open_cycle(office, system, [tree.branch2])
    snapshot = cycles.compute(cycle, office)
    [score] = results.unit_scores(snapshot, tree.branch2.pk).values()
    assert score.score == Decimal("6.00")
    assert "无数据（无应办事项，按本项规则计满分）" in score.explanation
