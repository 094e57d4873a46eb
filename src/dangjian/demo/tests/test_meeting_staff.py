"""The demo's meetings name their host (主持人) and recorder (记录人), so the ledger prints names, not "—": the
branch secretary hosts when on the roster that day, another committee member (else a full member) records."""

from __future__ import annotations

import pytest

from dangjian.meetings.models import Attendance, Meeting
from dangjian.orgs.models import CommitteePost, Post

pytestmark = pytest.mark.django_db


def test_every_demo_meeting_has_a_host_and_a_recorder_from_its_roster(demo_counts):
    meetings = Meeting.objects.all()
    assert meetings.count() == demo_counts["meetings"] > 0
    assert not meetings.filter(host__isnull=True).exists()
    assert not meetings.filter(recorder__isnull=True).exists()
    # host and recorder are on the meeting's roster, and two people wherever the roster has two full members
    sample = list(meetings.order_by("pk")[:: max(1, demo_counts["meetings"] // 300)])
    roster = {}
    for meeting_id, person_id in Attendance.objects.filter(meeting__in=sample).values_list("meeting_id", "person_id"):
        roster.setdefault(meeting_id, set()).add(person_id)
    for m in sample:
        assert {m.host_id, m.recorder_id} <= roster[m.pk]
    assert sum(m.host_id != m.recorder_id for m in sample) > 0.9 * len(sample)
    lectures = meetings.filter(kind="lecture")
    assert lectures.exists() and not lectures.filter(lecturer__isnull=True).exists()


def test_the_secretary_hosts_the_branch_meetings_of_the_latest_year(demo_counts):
    secretaries = dict(
        CommitteePost.objects.filter(post=Post.SECRETARY, term__organization__kind="branch")
        .order_by("term__elected_on", "pk")  # the latest term's secretary wins
        .values_list("term__organization_id", "person_id")
    )
    latest = Meeting.objects.filter(kind="committee_meeting").order_by("-starts_at")[:200]
    hosted = [m.host_id == secretaries[m.organization_id] for m in latest if m.organization_id in secretaries]
    assert hosted and sum(hosted) > 0.9 * len(hosted)
