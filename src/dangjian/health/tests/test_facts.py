"""Health facts are the leaders' aggregates: groups under five (or giving one away) are withheld, never shown."""

from __future__ import annotations

from dangjian.core.contributions import Period
from dangjian.health.aggregates import aggregates
from dangjian.health.facts import HealthFacts
from dangjian.testing import make_member

from .results import make_result


def screen(world, branch, department, n, high=0):
    people = [make_member(branch, department=department) for _ in range(n)]
    for i, person in enumerate(people):
        make_result(person, by=world["ho_all"], year=2025, cvd=12 if i < high else 2)


def facts(world, orgs):
    return {(v.key, v.organization_id): v for v in HealthFacts().compute(orgs, Period.year(2025))}


def test_a_group_of_five_is_shown_and_a_group_of_four_withheld(world):
    t = world["t"]
    screen(world, t.branch1, t.dept1, 5, high=2)
    screen(world, t.branch2, t.dept2, 4, high=1)
    orgs = [t.root, t.general, t.branch1, t.group1, t.branch2, t.office_branch]
    v = facts(world, orgs)
    shown = {g.unit.pk: g for g in aggregates(world["office"], 2025).orgs}
    for org in orgs:
        for key in ("screened", "cvd_high"):
            value = v[f"health.{key}", org.pk]
            group = shown.get(org.pk)
            if group is not None and group.shown:
                assert value.value == group.counts[key]
                assert "withheld" not in value.inputs
            else:
                assert value.value is None and value.inputs["withheld"] is True
    assert v["health.screened", t.branch2.pk].value is None  # four people
    assert v["health.cvd_high", t.branch2.pk].value is None
    assert v["health.screened", t.group1.pk].value is None  # a party group is never a unit of the tables
    assert v["health.screened", t.office_branch.pk].value is None  # nobody screened: not even a zero
    assert v["health.screened", t.root.pk].value == 9
    assert v["health.cvd_high", t.root.pk].value == 3
    # the general branch (9) minus branch1 (5) would give branch2's four away: one of them is withheld
    assert None in (v["health.screened", t.general.pk].value, v["health.screened", t.branch1.pk].value)


def test_two_groups_of_five_are_both_shown_with_their_counts(world):
    t = world["t"]
    screen(world, t.branch1, t.dept1, 5, high=2)
    screen(world, t.branch2, t.dept2, 5, high=0)
    v = facts(world, [t.general, t.branch1, t.branch2])
    assert v["health.screened", t.branch1.pk].value == 5
    assert v["health.cvd_high", t.branch1.pk].value == 2
    assert v["health.cvd_high", t.branch2.pk].value == 0
    assert v["health.screened", t.general.pk].value == 10


def test_asking_for_one_organisation_withholds_what_the_whole_tree_withholds(world):
    t = world["t"]
    screen(world, t.branch1, t.dept1, 5)
    screen(world, t.branch2, t.dept2, 4)
    alone = facts(world, [t.branch2])
    assert alone["health.screened", t.branch2.pk].value is None
    together = facts(world, [t.general, t.branch1])
    assert (
        together["health.screened", t.branch1.pk].value
        == facts(world, [t.branch1])["health.screened", t.branch1.pk].value
    )
