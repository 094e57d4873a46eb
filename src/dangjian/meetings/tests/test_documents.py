"""The meetings part of the yearly record: rendered into a .docx, re-opened, its rows read back."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import docx
import pytest

from dangjian.core.contributions import Period, contributions
from dangjian.meetings.documents import RECORD
from dangjian.meetings.models import Attendance, Meeting
from dangjian.testing import make_member, make_tree

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def _meeting(org, kind, when, status="locked", title="学习党章"):
    return Meeting.objects.create(
        organization=org, kind=kind, title=title, starts_at=when, ends_at=when + timedelta(hours=1), status=status
    )


def test_the_years_meetings_of_the_branch_and_its_groups_with_attendance():
    t = make_tree()
    people = [make_member(t.branch1, f"员{i}") for i in range(4)]
    held = _meeting(t.branch1, "members_meeting", datetime(2025, 3, 5, 14, tzinfo=TZ), title="三月党员大会")
    Attendance.objects.bulk_create(
        Attendance(meeting=held, person=p, status="present" if i < 3 else "excused") for i, p in enumerate(people)
    )
    _meeting(t.group1, "group_meeting", datetime(2025, 4, 2, 9, tzinfo=TZ), title="小组学习")
    _meeting(t.branch1, "theme_day", datetime(2025, 5, 1, 9, tzinfo=TZ), status="cancelled", title="取消的")
    _meeting(t.branch1, "theme_day", datetime(2024, 12, 31, 23, tzinfo=TZ), title="去年的")
    _meeting(t.branch2, "theme_day", datetime(2025, 5, 1, 9, tzinfo=TZ), title="二支部的")
    # New Year's Day 00:30 in Beijing is still 2025 in UTC: the year is the local one.
    _meeting(t.branch1, "theme_day", datetime(2026, 1, 1, 0, 30, tzinfo=TZ), title="新年的")

    document = docx.Document()
    RECORD.render(t.branch1, Period.year(2025), document)
    buffer = BytesIO()
    document.save(buffer)
    back = docx.Document(BytesIO(buffer.getvalue()))

    (table,) = back.tables
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["日期", "党组织", "类型", "主题", "应到", "实到", "状态"]
    assert [r[3] for r in rows[1:]] == ["三月党员大会", "小组学习"]
    assert rows[1][0] == "2025-03-05" and rows[1][4:6] == ["4", "3"]
    assert rows[2][1] == "一支部第一党小组"
    assert "共2次。" in [p.text for p in back.paragraphs]


def test_an_empty_year_says_so_and_the_provider_is_registered():
    t = make_tree()
    document = docx.Document()
    RECORD.render(t.branch2, Period.year(2025), document)
    assert "本期间无已召开的会议。" in [p.text for p in document.paragraphs]
    (meetings,) = [c for c in contributions() if c.app == "meetings"]
    assert meetings.documents == (RECORD,)
