"""Meeting facts: hand-counted records, subtree sums, agreement with the pages and the compliance engine."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.compliance import engine
from dangjian.core.contributions import Period
from dangjian.meetings import services
from dangjian.meetings.facts import MeetingFacts
from dangjian.meetings.models import Meeting
from dangjian.orgs.models import Organization
from dangjian.testing import held_meeting, make_member, make_tree, make_user

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


def test_held_meetings_are_counted_per_kind_on_their_local_date_and_summed_up_the_tree(world):
    t, a, b, c, d, sec, office = world
    held_meeting(sec, t.branch1, "members_meeting", datetime(2025, 3, 1, 9, tzinfo=TZ))
    held_meeting(sec, t.branch1, "members_meeting", datetime(2025, 12, 31, 23, 30, tzinfo=TZ))  # still 2025 in Beijing
    held_meeting(sec, t.branch1, "members_meeting", datetime(2024, 12, 31, 23, 30, tzinfo=TZ))  # 2024
    held_meeting(sec, t.group1, "group_meeting", datetime(2025, 5, 1, 9, tzinfo=TZ))
    held_meeting(sec, t.branch2, "lecture", datetime(2025, 6, 1, 9, tzinfo=TZ))
    planned = services.plan_meeting(
        sec,
        t.branch1.pk,
        {"kind": "members_meeting", "title": "计划", "starts_at": datetime(2025, 7, 1, 9, tzinfo=TZ)}
        | {"ends_at": datetime(2025, 7, 1, 11, tzinfo=TZ)},
    )
    gone = held_meeting(sec, t.branch2, "lecture", datetime(2025, 8, 1, 9, tzinfo=TZ))
    Meeting.all_objects.filter(pk=gone.pk).update(deleted_at=timezone.now())
    assert Meeting.objects.filter(pk=planned.pk, status="planned").exists()

    orgs = [t.root, t.general, t.branch1, t.group1, t.branch2, t.office_branch]
    v = values(MeetingFacts(), orgs)
    members = "meetings.members_meeting.held"
    assert [v[members, o.pk].value for o in orgs] == [2, 2, 2, 0, 0, 0]
    assert v["meetings.group_meeting.held", t.branch1.pk].value == 1  # the branch's party group's meeting
    assert v["meetings.group_meeting.held", t.group1.pk].value == 1
    assert v["meetings.lecture.held", t.general.pk].value == 1  # the deleted one does not count
    assert v["meetings.lecture.held", t.root.pk].value == 1
    assert v[members, t.branch1.pk].evidence_url.startswith(reverse("meetings:list") + "?")
    assert f"org={t.branch1.pk}" in v[members, t.branch1.pk].evidence_url


def test_the_count_agrees_with_the_compliance_engine(world):
    t, a, b, c, d, sec, office = world
    for month in (1, 4, 5, 11):
        held_meeting(sec, t.branch1, "members_meeting", datetime(2025, month, 10, 9, tzinfo=TZ))
    matrix = engine.compute(Organization.objects.filter(pk=t.branch1.pk), [2025], date(2026, 3, 1))
    kinds = {r.pk: r.meeting_kind for r in matrix.rules.values()}
    by_engine = sum(i.held for i in matrix.items if kinds[i.rule_id] == "members_meeting")
    assert by_engine == 4
    assert values(MeetingFacts(), [t.branch1])["meetings.members_meeting.held", t.branch1.pk].value == by_engine


def test_attendance_rate_is_present_of_expected_in_held_meetings(world):
    t, a, b, c, d, sec, office = world
    # the roster is branch1's two members; a is present, b absent
    held_meeting(sec, t.branch1, "members_meeting", datetime(2025, 3, 1, 9, tzinfo=TZ), {a: "present", b: "absent"})
    # b attends elsewhere: counts as present
    held_meeting(sec, t.branch1, "members_meeting", datetime(2025, 6, 1, 9, tzinfo=TZ), {a: "excused", b: "elsewhere"})
    held_meeting(sec, t.branch2, "members_meeting", datetime(2025, 6, 1, 9, tzinfo=TZ), {c: "present"})
    v = values(MeetingFacts(), [t.root, t.branch1, t.branch2, t.office_branch])
    rate = "meetings.attendance_rate"
    assert v[rate, t.branch1.pk].inputs == {"expected": 4, "present": 2}
    assert v[rate, t.branch1.pk].value == 50.0
    assert v[rate, t.branch2.pk].value == 100.0
    assert v[rate, t.root.pk].inputs == {"expected": 5, "present": 3}
    assert v[rate, t.root.pk].value == 60.0
    assert v[rate, t.office_branch.pk].value is None  # no meeting: nothing to measure, not 0 %


def test_held_by_month_breaks_the_year_down_by_local_month_in_the_same_query(world, django_assert_num_queries):
    """meetings.<kind>.held_by_month: the months of the year (a month without a meeting is 0), a meeting at 23:30 on
    31 January Beijing time in January, the subtree summed, the total the kind's held count; no query added."""
    t, a, b, c, d, sec, office = world
    held_meeting(sec, t.branch1, "committee_meeting", datetime(2025, 1, 31, 23, 30, tzinfo=TZ))  # 15:30 UTC
    held_meeting(sec, t.branch1, "committee_meeting", datetime(2025, 1, 10, 9, tzinfo=TZ))
    held_meeting(sec, t.branch2, "committee_meeting", datetime(2025, 3, 5, 9, tzinfo=TZ))
    held_meeting(sec, t.branch2, "committee_meeting", datetime(2025, 12, 31, 23, 30, tzinfo=TZ))
    held_meeting(sec, t.branch1, "lecture", datetime(2025, 2, 1, 0, 30, tzinfo=TZ))  # 1 February in Beijing
    orgs = [t.root, t.general, t.branch1, t.branch2]
    with django_assert_num_queries(2):  # the held meetings, the attendance: as before the months were added
        v = values(MeetingFacts(), orgs)
    key = "meetings.committee_meeting.held_by_month"
    root = v[key, t.root.pk]
    assert root.breakdown == {str(m): {1: 2, 3: 1, 12: 1}.get(m, 0) for m in range(1, 13)}
    assert root.value == v["meetings.committee_meeting.held", t.root.pk].value == 4
    assert v[key, t.branch1.pk].breakdown["1"] == 2 and v[key, t.branch1.pk].breakdown["3"] == 0
    assert v["meetings.lecture.held_by_month", t.root.pk].breakdown["2"] == 1
    assert v["meetings.lecture.held_by_month", t.root.pk].breakdown["1"] == 0
    # a quarter: its three months only
    q1 = values(MeetingFacts(), [t.root], Period(date(2025, 1, 1), date(2025, 3, 31)))
    assert q1[key, t.root.pk].breakdown == {"1": 2, "2": 0, "3": 1} and q1[key, t.root.pk].value == 3
