"""Membership facts: party members per subtree by age band, sex and education, as the people list counts them."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from dangjian.core.contributions import Period
from dangjian.people.facts import PeopleFacts
from dangjian.people.models import Membership
from dangjian.testing import login_with_second_factor, make_member, make_person, make_tree, make_user

pytestmark = pytest.mark.django_db


def test_members_by_age_sex_and_education_sum_up_the_tree_and_agree_with_the_people_list():
    t = make_tree()
    make_member(t.branch1, birth=date(1996, 1, 1), sex="F", education="master")  # 29 on 31 Dec 2025
    make_member(t.branch1, birth=date(1995, 12, 31), education="doctorate")  # 30 that day
    make_member(t.branch2, status="probationary", birth=date(1970, 6, 1), education="bachelor")
    make_member(t.office_branch, birth=date(1960, 1, 1))  # no education recorded
    make_person("群众")  # not a member
    gone = make_member(t.branch2, birth=date(1980, 1, 1))
    Membership.objects.filter(person=gone).update(ended_on=date(2025, 5, 1))  # transferred out
    orgs = [t.root, t.general, t.branch1, t.branch2, t.office_branch]
    v = {(x.key, x.organization_id): x for x in PeopleFacts().compute(orgs, Period.year(2025))}
    assert [v["people.members", o.pk].value for o in orgs] == [4, 3, 2, 1, 1]
    assert v["people.members", t.branch1.pk].breakdown == {"lt30": 1, "30s": 1, "40s": 0, "50s": 0, "60p": 0}
    assert v["people.members", t.root.pk].breakdown == {"lt30": 1, "30s": 1, "40s": 0, "50s": 1, "60p": 1}
    assert v["people.members.sex", t.general.pk].breakdown == {"M": 2, "F": 1}
    education = v["people.members.education", t.root.pk].breakdown
    assert education == {
        "doctorate": 1,
        "master": 1,
        "bachelor": 1,
        "college": 0,
        "secondary": 0,
        "other": 0,
        "unknown": 1,
    }
    assert sum(education.values()) == v["people.members.education", t.root.pk].value

    office = make_user("office", "office", t.root)
    client = Client()
    login_with_second_factor(client, office)
    now = {(x.key, x.organization_id): x for x in PeopleFacts().compute(orgs, Period.year(timezone.localdate().year))}
    for org in orgs:
        listed = client.get(now["people.members", org.pk].evidence_url).context["page"].paginator.count
        assert listed == now["people.members", org.pk].value
