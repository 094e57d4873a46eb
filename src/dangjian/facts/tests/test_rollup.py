"""The subtree sums every provider uses: a value covers the organisation and everything beneath it."""

from __future__ import annotations

import dataclasses
import gc

import pytest
from django.db.models import Count, F, Q

from dangjian.core.contributions import FactValue
from dangjian.facts.rollup import (
    counted,
    counted_by_org,
    fact,
    percent,
    pks,
    rollup,
    set_wise,
    top_paths,
    under,
    within,
)
from dangjian.orgs.models import Organization
from dangjian.people.models import Membership
from dangjian.testing import make_member, make_tree

pytestmark = pytest.mark.django_db


def test_a_row_counts_for_its_organisation_and_every_requested_one_above_it():
    t = make_tree()
    orgs = [t.root, t.general, t.branch1, t.branch2, t.office_branch]
    sums = rollup(orgs, [(t.group1.path, {"n": 2}), (t.branch1.path, {"n": 1}), (t.office_branch.path, {"n": 5})])
    assert sums[t.branch1.pk] == {"n": 3}  # its party group's rows are the branch's
    assert sums[t.general.pk] == {"n": 3}
    assert sums[t.root.pk] == {"n": 8}
    assert sums[t.branch2.pk] == {}  # requested, nothing beneath: present and empty
    assert sums[t.office_branch.pk] == {"n": 5}


def test_a_row_with_two_paths_counts_once_where_both_lie():
    t = make_tree()
    orgs = [t.root, t.general, t.branch1, t.branch2]
    sums = rollup(orgs, [((t.branch1.path, t.branch2.path), {"n": 1})])
    assert sums[t.general.pk] == {"n": 1} and sums[t.root.pk] == {"n": 1}
    assert sums[t.branch1.pk] == {"n": 1} and sums[t.branch2.pk] == {"n": 1}


def test_the_filter_keeps_the_requested_subtrees_only():
    t = make_tree()
    assert top_paths([t.general, t.branch1, t.branch2]) == [t.general.path]
    inside = set(Organization.objects.filter(under([t.branch1, t.office_branch], "path")).values_list("pk", flat=True))
    assert inside == {t.branch1.pk, t.group1.pk, t.office_branch.pk}
    assert not Organization.objects.filter(under([], "path")).exists()


def test_percent_has_one_decimal_and_no_value_without_a_denominator():
    assert percent(2, 3) == 66.7
    assert percent(0, 0) is None


def test_fact_builds_the_same_value_as_the_constructor():
    made = fact("k", 3, 1.5, {"a": 1}, {"n": 2}, "/x/?org=3")
    assert type(made) is FactValue
    assert made == FactValue(
        key="k", organization_id=3, value=1.5, breakdown={"a": 1}, inputs={"n": 2}, evidence_url="/x/?org=3"
    )
    assert fact("k", 3) == FactValue(key="k", organization_id=3) and fact("k", 3).inputs == {}
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.value = 2  # still frozen


def test_rollup_leaves_rows_and_empty_organisations_independent():
    t = make_tree()
    row = {"n": 1}
    sums = rollup([t.root, t.branch1, t.branch2], [(t.branch1.path, row)])
    sums[t.branch1.pk]["n"] = 9
    assert row == {"n": 1} and sums[t.root.pk] == {"n": 1}  # the caller's row and the ancestors are unchanged
    assert sums[t.branch2.pk] == {} and sums[t.branch2.pk] is not rollup([t.branch2], [])[t.branch2.pk]
    assert pks([t.root, t.branch1]) == [t.root.pk, t.branch1.pk]


def test_counted_reads_grouped_counts_by_path_as_plain_integers():
    t = make_tree()
    query = (
        Organization.objects.filter(pk__in=[t.general.pk, t.branch1.pk])
        .order_by("path")
        .values("path")
        .annotate(n=Count("id"), branches=Count("id", filter=Q(kind="branch")))
    )
    assert counted(query) == [(t.general.path, {"n": 1, "branches": 0}), (t.branch1.path, {"n": 1, "branches": 1})]
    assert all(type(n) is int for _path, counts in counted(query) for n in counts.values())
    with pytest.raises(ValueError):
        counted(Organization.objects.order_by().values("kind").annotate(n=Count("id")))


def test_counted_by_org_groups_by_id_and_keeps_the_requested_subtrees_paths():
    t = make_tree()
    for branch, n in ((t.branch1, 2), (t.branch2, 1), (t.office_branch, 3)):
        for i in range(n):
            make_member(branch, f"{branch.name}{i}")
    members = Membership.objects.current().order_by().values(org=F("organization")).annotate(n=Count("id"))

    def rows(orgs):
        return sorted(counted_by_org(members.filter(within(orgs)), orgs))

    whole = rows([t.root])  # a whole tree: no filter before the grouping
    assert whole == sorted([(t.branch1.path, {"n": 2}), (t.branch2.path, {"n": 1}), (t.office_branch.path, {"n": 3})])
    assert all(type(c["n"]) is int for _p, c in whole)
    # subtrees: only the branches inside them (the filter by id, and the join on the paths)
    assert rows([t.branch1, t.office_branch]) == sorted([(t.branch1.path, {"n": 2}), (t.office_branch.path, {"n": 3})])
    assert rows([]) == []
    with pytest.raises(ValueError):
        counted_by_org(Organization.objects.order_by().values("kind").annotate(n=Count("id")), [t.root])


def test_set_wise_runs_the_provider_with_the_collector_paused_and_puts_it_back():
    seen = []

    @set_wise
    def compute():
        seen.append(gc.isenabled())
        yield fact(key="k", organization_id=1, value=1)
        seen.append(gc.isenabled())

    assert gc.isenabled()
    values = compute()
    assert isinstance(values, list) and [v.value for v in values] == [1]
    assert seen == [False, False] and gc.isenabled()

    gc.disable()  # a caller that paused it itself keeps it paused
    try:
        compute()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_set_wise_puts_the_collector_back_when_the_provider_fails():
    @set_wise
    def compute():
        yield fact(key="k", organization_id=1)
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        compute()
    assert gc.isenabled()


def test_every_registered_provider_runs_with_the_collector_paused():
    """A provider built without ``set_wise`` let the collector walk its values again and again (2-4x its time)."""
    from dangjian.core.contributions import fact_providers

    unwrapped = [app for app, provider in fact_providers() if not hasattr(type(provider).compute, "__wrapped__")]
    assert fact_providers() and unwrapped == []
