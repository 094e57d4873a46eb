"""assessment.bands: the units of a subtree by the band of the year's published cycle (等次), summed up the tree."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dangjian.assessment import cycles, manual_scores
from dangjian.assessment.facts import BandFacts
from dangjian.core import context
from dangjian.core.contributions import Period
from dangjian.testing import make_tree, make_user

from .cycle_factories import open_cycle, published
from .test_lifecycle import leaf_of, lifecycle_system

pytestmark = pytest.mark.django_db


def bands(orgs, year=2026):
    return {v.organization_id: v for v in BandFacts().compute(orgs, Period.year(year))}


def test_units_are_counted_by_published_band_and_an_unused_band_is_zero():
    t = make_tree()
    office = make_user("office_root", "office", t.root)
    with context.acting(office):
        cycle = open_cycle(office, lifecycle_system(office), [t.branch1, t.branch2, t.office_branch])
        cycles.compute(cycle, office)
        # bands [[2, "好"], [1, "较好"], [0, "差"]]: 4 → 好, 1.5 → 较好, 0.5 → 差
        for unit, value in {t.branch1: 4, t.branch2: "1.5", t.office_branch: "0.5"}.items():
            manual_scores.enter(office, cycle, unit.pk, leaf_of(cycle), value, "评分")
    orgs = [t.root, t.general, t.branch1]
    before = bands(orgs)  # not yet published: no figure
    assert before[t.root.pk].value == 0 and set(before[t.root.pk].breakdown.values()) == {0}

    published(cycle)
    after = bands(orgs)
    root = after[t.root.pk]
    assert root.breakdown == {"好": 1, "较好": 1, "一般": 0, "差": 1} and root.value == 3
    assert after[t.general.pk].breakdown == {"好": 1, "较好": 1, "一般": 0, "差": 0}
    assert after[t.branch1.pk].breakdown["好"] == 1 and after[t.branch1.pk].value == 1
    assert root.evidence_url == reverse("assessment:cycle", args=[cycle.pk])
    assert bands(orgs, 2025)[t.root.pk].value == 0  # another year's cycle counts nothing
