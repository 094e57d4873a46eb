from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from dangjian.meetings.models import Attendance, Meeting
from dangjian.orgs.models import CommitteeTerm

TZ = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, hh: int = 14, mm: int = 0) -> datetime:
    """A local (Beijing) instant."""
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


def meeting(org, kind: str, when: datetime, status: str = "locked", **fields) -> Meeting:
    return Meeting.objects.create(
        organization=org,
        kind=kind,
        title=fields.pop("title", "测试会议"),
        starts_at=when,
        ends_at=when + timedelta(minutes=20),
        status=status,
        **fields,
    )


def roster(m: Meeting, people, present: int, *, voting: bool = True, status: str = "present") -> None:
    """``people`` due to attend with a vote, the first ``present`` of them present."""
    Attendance.objects.bulk_create(
        [
            Attendance(meeting=m, person=p, voting=voting, status=status if i < present else "absent")
            for i, p in enumerate(people)
        ]
    )


def committee(org, elected_on: date) -> CommitteeTerm:
    return CommitteeTerm.objects.create(
        organization=org, elected_on=elected_on, ends_on=elected_on.replace(year=elected_on.year + 3)
    )


@pytest.fixture
def tree_with_committee(tree):
    committee(tree.branch1, date(2020, 1, 1))
    return tree
