"""Talks and study-hours facts: hand-counted records, subtree sums, agreement with the pages."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from dangjian.core.contributions import Period
from dangjian.people.models import Membership
from dangjian.talks import services as talk_services
from dangjian.talks.facts import TalksFacts
from dangjian.talks.figures import talk_coverage
from dangjian.testing import held_meeting, login_with_second_factor, make_member, make_tree, make_user

from .study_days import add_study_days

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
YEAR = Period.year(2025)


@pytest.fixture
def world():
    t = make_tree()
    a = make_member(t.branch1, "甲", group=t.group1)
    b = make_member(t.branch1, "乙")
    c = make_member(t.branch2, "丙")
    d = make_member(t.office_branch, "丁")
    sec = make_user("sec", "secretary", t.root, person=a)
    office = make_user("office", "office", t.root)
    return t, a, b, c, d, sec, office


def values(provider, orgs, period=YEAR):
    return {(v.key, v.organization_id): v for v in provider.compute(orgs, period)}


def test_members_under_the_minimum_hours_agree_with_the_hours_page(client, world):
    t, a, b, c, d, sec, office = world
    held_meeting(sec, t.branch1, "lecture", datetime(2025, 3, 1, 9, tzinfo=TZ), {a: "present", b: "present"})
    add_study_days(sec, b, date(2025, 6, 1), 30, "网络学院")
    add_study_days(sec, c, date(2025, 6, 1), 32, "网络学院")
    add_study_days(sec, d, date(2024, 6, 1), 40, "去年")
    v = values(TalksFacts(), [t.root, t.general, t.branch1, t.branch2, t.office_branch])
    short = "hours.members_under_32"
    # a: 3 hours; b: 3 + 30 = 33; c: 32 (not under); d: last year's hours do not count
    assert v[short, t.branch1.pk].inputs == {"members": 2, "under": 1, "minimum_hours": 32}
    assert [v[short, o.pk].value for o in (t.root, t.general, t.branch1, t.branch2, t.office_branch)] == [
        2,
        1,
        1,
        0,
        1,
    ]
    # the share meeting the minimum: the complement of the same count, over the same members, summed up the tree
    met = "hours.met_rate"
    assert v[met, t.branch1.pk].inputs == {"members": 2, "reached": 1, "minimum_hours": 32}
    assert [v[met, o.pk].value for o in (t.root, t.general, t.branch1, t.branch2, t.office_branch)] == [
        50.0,
        66.7,
        50.0,
        100.0,
        0.0,
    ]
    assert v[met, t.root.pk].inputs["members"] == 4
    assert v[met, t.branch1.pk].evidence_url == v[short, t.branch1.pk].evidence_url
    login_with_second_factor(client, office)
    for org in (t.root, t.branch1, t.office_branch):
        page = client.get(reverse("life:hours"), {"year": 2025, "short": 1, "org": org.pk})
        assert page.context["page"].paginator.count == v[short, org.pk].value
    assert client.get(v[short, t.branch1.pk].evidence_url).context["page"].paginator.count == 1


def test_talk_coverage_agrees_with_the_talks_page_and_sums_up_the_tree(world):
    t, a, b, c, d, sec, office = world
    talk_services.record_talk(
        sec, {"organization": t.branch1, "talker": a, "talkee": b, "held_on": date(2025, 5, 1), "topics": "谈心"}
    )
    talk_services.record_talk(
        sec, {"organization": t.branch2, "talker": a, "talkee": c, "held_on": date(2024, 5, 1), "topics": "去年"}
    )
    v = values(TalksFacts(), [t.root, t.general, t.branch1, t.branch2])
    coverage = "talks.coverage"
    assert v[coverage, t.branch1.pk].value == 50.0
    assert v[coverage, t.branch2.pk].value == 0.0
    assert v[coverage, t.root.pk].inputs == {"members": 4, "covered": 1, "minimum_talks": 1}
    rows = {r["organization_id"]: r for r in talk_coverage(Membership.objects.current(), 2025)}
    assert rows[t.branch1.pk]["covered"] == v[coverage, t.branch1.pk].inputs["covered"]
    assert rows[t.branch1.pk]["members"] == v[coverage, t.branch1.pk].inputs["members"]
    assert v[coverage, t.general.pk].inputs == {"members": 3, "covered": 1, "minimum_talks": 1}


def test_a_member_who_joined_the_branch_after_the_year_is_not_counted_in_that_years_coverage(world):
    t, a, b, c, d, sec, office = world
    newcomer = make_member(t.branch2, "戊")
    Membership.objects.filter(person=newcomer).update(started_on=date(2026, 2, 1))
    talk_services.record_talk(
        sec, {"organization": t.branch2, "talker": newcomer, "talkee": c, "held_on": date(2025, 5, 1), "topics": "谈心"}
    )
    last = values(TalksFacts(), [t.branch2])["talks.coverage", t.branch2.pk]
    assert last.value == 100.0 and last.inputs == {"members": 1, "covered": 1, "minimum_talks": 1}
    this = values(TalksFacts(), [t.branch2], Period.year(2026))["talks.coverage", t.branch2.pk]
    assert this.inputs["members"] == 2  # a member of the branch this year, not yet talked with
    page = {r["organization_id"]: r for r in talk_coverage(Membership.objects.current(), 2025)}
    assert page[t.branch2.pk]["members"] == 1  # the talks page counts the same way


def test_hours_follow_the_rates_the_office_sets(world):
    t, a, b, c, d, sec, office = world
    held_meeting(sec, t.branch1, "lecture", datetime(2025, 3, 1, 9, tzinfo=TZ), {a: "present"})
    add_study_days(sec, a, date(2025, 6, 1), 28, "学习")
    assert values(TalksFacts(), [t.branch1])["hours.members_under_32", t.branch1.pk].value == 2  # 28 + 3 < 32
    talk_services.set_hour_rates(office, {"lecture": Decimal("4.0")})
    assert values(TalksFacts(), [t.branch1])["hours.members_under_32", t.branch1.pk].value == 1  # 28 + 4 ≥ 32 for a
