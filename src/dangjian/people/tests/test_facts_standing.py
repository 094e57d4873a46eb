"""党龄: party members per subtree by full years since admission, as of the period's last day."""

from __future__ import annotations

from datetime import date

import pytest

from dangjian.core.contributions import Period, fact_definitions
from dangjian.people.facts import PeopleFacts
from dangjian.people.models import Membership
from dangjian.testing import make_member, make_tree

pytestmark = pytest.mark.django_db


def _admit(person, day):
    Membership.objects.filter(person=person).update(admitted_on=day)


def test_members_by_party_standing_at_the_band_edges_sum_up_the_tree():
    t = make_tree()
    _admit(make_member(t.branch1), date(2021, 1, 1))  # 4 full years on 31 Dec 2025
    _admit(make_member(t.branch1), date(2020, 12, 31))  # 5 that day
    _admit(make_member(t.branch2), date(1995, 12, 31))  # 30
    _admit(make_member(t.branch2), date(1996, 1, 1))  # 29
    _admit(make_member(t.office_branch, status="probationary"), None)  # not recorded
    orgs = [t.root, t.general, t.branch1]
    v = {(x.key, x.organization_id): x for x in PeopleFacts().compute(orgs, Period.year(2025))}
    root = v["people.members.standing", t.root.pk]
    assert root.breakdown == {"lt5": 1, "5to10": 1, "10to20": 0, "20to30": 1, "30p": 1, "unknown": 1}
    assert root.value == sum(root.breakdown.values()) == v["people.members", t.root.pk].value
    assert v["people.members.standing", t.branch1.pk].breakdown["lt5"] == 1
    assert v["people.members.standing", t.general.pk].value == 4
    definition = fact_definitions()["people.members.standing"]
    assert definition.dimension == "party_standing"
    assert list(definition.breakdown_labels) == ["lt5", "5to10", "10to20", "20to30", "30p", "unknown"]
