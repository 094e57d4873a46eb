"""Shared world for the meeting page and check-in tests (a helper module: it holds no tests).

Branch 一支部 has four full members and one probationary member; 二支部 has one member.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.meetings import services
from dangjian.meetings.models import Meeting
from dangjian.orgs.models import Organization
from dangjian.people.models import Person
from dangjian.testing import Tree, make_member, make_tree, make_user


@dataclass
class World:
    t: Tree
    full: list[Person]
    prob: Person
    sec1: User
    sec2: User
    member: User  # role member, person full[1]
    outsider: Person  # member of 二支部


def make_world() -> World:
    t = make_tree()
    full = [make_member(t.branch1, f"正式{i}", group=t.group1 if i < 2 else None) for i in range(4)]
    prob = make_member(t.branch1, "预备甲", status="probationary")
    outsider = make_member(t.branch2, "乙二")
    sec1 = make_user("sec1", "secretary", t.branch1, person=full[0])
    sec2 = make_user("sec2", "secretary", t.branch2, person=outsider)
    member = make_user("member1", "member", person=full[1])
    return World(t, full, prob, sec1, sec2, member, outsider)


def plan(
    user: User,
    org: Organization,
    *,
    kind: str = "members_meeting",
    title: str = "学习会",
    start: datetime | None = None,
    hours: int = 2,
) -> Meeting:
    """A meeting that started an hour ago by default, so it can be marked held and checked into."""
    start = start or timezone.now().replace(microsecond=0) - timedelta(hours=1)
    return services.plan_meeting(
        user, org.pk, {"kind": kind, "title": title, "starts_at": start, "ends_at": start + timedelta(hours=hours)}
    )


def held_with_quorum(w: World, meeting: Meeting) -> None:
    """Mark the meeting held with everyone due present."""
    services.mark_held(w.sec1, meeting.pk)
    services.set_attendance(w.sec1, meeting.pk, {a.person_id: ("present", "") for a in meeting.attendances.all()})
