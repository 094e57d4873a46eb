"""The meetings parts of the yearly record (台账): rendered into a .docx, re-opened and read back; their gaps and
attachments; their queries."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import docx
import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.urls import reverse

from dangjian.core import paper
from dangjian.core.contributions import LEDGER_SECTIONS, Period, contributions
from dangjian.meetings.documents import (
    COMMITTEE_MEETING,
    GROUP_MEETING,
    LECTURE,
    LIFE_MEETING,
    MEMBERS_MEETING,
    PARTS,
    THEME_DAY,
)
from dangjian.meetings.models import Attachment, Attendance, Meeting, Resolution
from dangjian.testing import make_member, make_tree

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
YEAR = Period.year(2025)


def _meeting(org, kind, when, status="locked", title="学习党章", **fields):
    return Meeting.objects.create(
        organization=org,
        kind=kind,
        title=title,
        starts_at=when,
        ends_at=when + timedelta(hours=2),
        status=status,
        **fields,
    )


def _rendered(part, org, period=YEAR):
    document = paper.new_document()
    part.render(org, period, document)
    buffer = BytesIO()
    document.save(buffer)
    return docx.Document(BytesIO(buffer.getvalue()))


def _texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def _rows(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def _particulars(table) -> dict[str, str]:
    return {row[0]: row[1] for row in _rows(table)}


@pytest.fixture
def world():
    t = make_tree()
    people = [make_member(t.branch1, name) for name in ("甲", "乙", "丙", "丁")]
    return t, people


def test_a_members_meeting_with_its_particulars_minutes_resolutions_and_sign_in_sheet(world):
    t, (a, b, c, d) = world
    m = _meeting(
        t.branch1,
        "members_meeting",
        datetime(2025, 3, 5, 14, 30, tzinfo=TZ),
        title="三月党员大会",
        place="三楼会议室",
        host=a,
        recorder=b,
        agenda="一、学习党章；二、讨论发展对象",
        minutes="<p>学习了党章第一章。</p><p>讨论了<strong>发展对象</strong>。<br>同意列为发展对象。</p>",
    )
    Attendance.objects.create(
        meeting=m, person=a, status="present", checked_in_at=datetime(2025, 3, 5, 14, 20, tzinfo=TZ), via_qr=True
    )
    Attendance.objects.create(meeting=m, person=b, status="present")
    Attendance.objects.create(meeting=m, person=c, status="excused", reason="出差")
    Attendance.objects.create(meeting=m, person=d, status="absent")
    Resolution.objects.create(meeting=m, title="接收预备党员", due_voting=4, yes=3, no=0, abstain=0, passed=True)

    back = _rendered(MEMBERS_MEETING, t.branch1)
    texts = _texts(back)
    assert "本年度共召开党员大会1次（第一季度1次）。" in texts
    assert "（一）3月5日\u3000三月党员大会" in texts
    particulars, sign_in = back.tables
    p = _particulars(particulars)
    assert p["时间"] == "2025年3月5日 14:30—16:30"
    assert (p["地点"], p["主持人"], p["记录人"]) == ("三楼会议室", "甲", "乙")
    assert p["会议议题"] == "一、学习党章；二、讨论发展对象"
    assert p["出席情况"] == "应到4人，实到2人，缺席2人"
    assert p["缺席人员及原因"] == "丙（请假：出差）；丁（缺席）"
    assert "党组织" not in p and "授课人" not in p  # the branch's own meeting; not a lecture
    assert "学习了党章第一章。" in texts and "讨论了发展对象。 同意列为发展对象。" in texts
    assert "1. 接收预备党员：应到有表决权4人，赞成3票，反对0票，弃权0票，通过。" in texts
    assert "签到表（应到4人）" in texts
    rows = _rows(sign_in)
    assert rows[0] == ["序号", "姓名", "签到", "签名"] * 2
    # in the roster's order (by pinyin: 丙 丁 甲 乙), two people a line, down the first half then down the second; the
    # 签名 cells blank
    assert rows[1:] == [
        ["1", "丙", "请假", "", "3", "甲", "14:20 扫码", ""],
        ["2", "丁", "缺席", "", "4", "乙", "出席", ""],
    ]


def test_each_part_takes_its_kind_of_the_subtree_held_in_the_local_year(world):
    t, (a, *_rest) = world
    _meeting(t.group1, "group_meeting", datetime(2025, 4, 2, 9, tzinfo=TZ), title="小组学习")
    _meeting(t.branch1, "lecture", datetime(2025, 5, 8, 9, tzinfo=TZ), title="专题党课", lecturer=a)
    _meeting(t.branch1, "theme_day", datetime(2025, 5, 1, 9, tzinfo=TZ), status="cancelled", title="取消的")
    _meeting(t.branch1, "theme_day", datetime(2025, 6, 1, 9, tzinfo=TZ), status="planned", title="计划的")
    _meeting(t.branch1, "theme_day", datetime(2024, 12, 31, 23, tzinfo=TZ), title="去年的")
    _meeting(t.branch2, "theme_day", datetime(2025, 5, 1, 9, tzinfo=TZ), title="二支部的")
    # New Year's Day 00:30 in Beijing is still 2025 in UTC: the year is the local one.
    _meeting(t.branch1, "theme_day", datetime(2026, 1, 1, 0, 30, tzinfo=TZ), title="新年的")
    _meeting(t.branch1, "theme_day", datetime(2025, 12, 31, 23, 30, tzinfo=TZ), title="岁末的", status="held")
    _meeting(t.branch1, "life_meeting", datetime(2025, 12, 20, 9, tzinfo=TZ), title="专题组织生活会")

    group = _rendered(GROUP_MEETING, t.branch1)
    assert _particulars(group.tables[0])["党组织"] == "一支部第一党小组"
    assert "（一）4月2日\u3000小组学习" in _texts(group)
    lecture = _rendered(LECTURE, t.branch1)
    assert _particulars(lecture.tables[0])["授课人"] == "甲"
    theme = _texts(_rendered(THEME_DAY, t.branch1))
    assert [x for x in theme if x.startswith("（") and "日" in x] == ["（一）12月31日\u3000岁末的"]
    assert "（未录入会议记录。）" in theme and "未登记应到人员。" in theme
    life = _rendered(LIFE_MEETING, t.branch1)
    assert _texts(life)[0] == "组织生活会" and "1．12月20日\u3000专题组织生活会" in _texts(life)
    assert _texts(_rendered(COMMITTEE_MEETING, t.branch1))[-1] == "本年度无支委会记录。"
    assert _texts(_rendered(MEMBERS_MEETING, t.office_branch)) == ["本年度无党员大会记录。"]


def test_the_parts_are_registered_one_per_section():
    (meetings,) = [c for c in contributions() if c.app == "meetings"]
    assert meetings.documents == PARTS
    assert {p.section: p.key for p in PARTS} == {
        "members_meeting": "meetings.members_meeting",
        "committee_meeting": "meetings.committee_meeting",
        "group_meeting": "meetings.group_meeting",
        "lecture": "meetings.lecture",
        "theme_day": "meetings.theme_day",
        "appraisal": "meetings.life_meeting",
    }
    assert all(p.section in LEDGER_SECTIONS for p in PARTS)
    assert [str(p.title) for p in PARTS] == ["", "", "", "", "", "组织生活会"]


def test_gaps_a_meeting_without_minutes_a_planned_meeting_past_its_date_and_a_quarter_without_a_lecture(world):
    t, _people = world
    for month in (2, 5, 8):  # no lecture in the fourth quarter
        _meeting(t.branch1, "lecture", datetime(2025, month, 10, 9, tzinfo=TZ), minutes="<p>讲了</p>")
    held = _meeting(t.branch1, "lecture", datetime(2025, 3, 12, 9, tzinfo=TZ), status="held", title="无记录")
    planned = _meeting(t.branch1, "lecture", datetime(2025, 11, 3, 9, tzinfo=TZ), status="planned", title="没开")

    gaps = list(LECTURE.gaps(t.branch1, YEAR))
    assert [(g.section, g.text, g.link) for g in gaps] == [
        ("lecture", "2025年3月12日党课“无记录”未录入会议记录", reverse("meetings:detail", args=[held.pk])),
        (
            "lecture",
            "2025年11月3日党课“没开”已过会议时间，未登记召开情况",
            reverse("meetings:detail", args=[planned.pk]),
        ),
        ("lecture", "2025年第四季度未召开党课（党课每季度1次）", f"{reverse('meetings:create')}?org={t.branch1.pk}"),
    ]
    assert gaps[0].due == date(2025, 3, 19)  # the compliance setting: minutes within 7 days
    assert gaps[2].due == date(2025, 12, 31)

    _meeting(t.branch1, "lecture", datetime(2025, 11, 10, 9, tzinfo=TZ), minutes="<p>讲了</p>")
    Meeting.objects.filter(pk=held.pk).update(status="minutes_recorded", minutes="<p>补记</p>")
    Meeting.objects.filter(pk=planned.pk).update(status="cancelled")
    assert list(LECTURE.gaps(t.branch1, YEAR)) == []


def test_gaps_follow_the_rule_store_month_by_month_and_name_the_group(world):
    t, _people = world
    for month in range(1, 13):
        if month != 3:
            _meeting(t.branch1, "theme_day", datetime(2025, month, 5, 9, tzinfo=TZ), minutes="<p>记</p>")
        if month != 7:
            _meeting(t.group1, "group_meeting", datetime(2025, month, 6, 9, tzinfo=TZ), minutes="<p>记</p>")
    assert [g.text for g in THEME_DAY.gaps(t.branch1, YEAR)] == ["2025年3月未召开主题党日（主题党日每月1次）"]
    assert [g.text for g in GROUP_MEETING.gaps(t.branch1, YEAR)] == [
        "一支部第一党小组：2025年7月未召开党小组会（党小组会每月召开）"
    ]
    # no committee elected: the branch owes no 支委会, and no gap is listed for it
    assert list(COMMITTEE_MEETING.gaps(t.branch1, YEAR)) == []


def test_attachments_of_the_years_meetings_with_their_labels(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    t, _people = world
    user = get_user_model().objects.create_user("uploader", password="x")
    m = _meeting(t.branch1, "committee_meeting", datetime(2025, 3, 12, 9, tzinfo=TZ))
    other = _meeting(t.branch1, "committee_meeting", datetime(2025, 3, 12, 15, tzinfo=TZ))
    old = _meeting(t.branch1, "committee_meeting", datetime(2024, 3, 12, 9, tzinfo=TZ))

    def attach(meeting, name, content, **fields):
        a = Attachment(meeting=meeting, name=name, size=len(content), content_type="image/jpeg", uploaded_by=user)
        a.file.save(name, ContentFile(content), save=False)
        for key, value in fields.items():
            setattr(a, key, value)
        a.save()

    attach(m, "签到表.jpg", b"one")
    attach(other, "签到表.jpg", b"two")
    attach(m, "撤下的.jpg", b"gone", removed_at=datetime(2025, 3, 13, tzinfo=TZ))
    attach(old, "去年的.jpg", b"old")

    found = list(COMMITTEE_MEETING.attachments(t.branch1, YEAR))
    assert [(f.section, f.name, f.label, f.size) for f in found] == [
        ("committee_meeting", "2025-03-12 支委会/签到表.jpg", "2025-03-12 支委会：签到表.jpg", 3),
        ("committee_meeting", "2025-03-12 支委会/签到表（2）.jpg", "2025-03-12 支委会：签到表.jpg", 3),
    ]
    with found[1].open() as f:
        assert f.read() == b"two"
    assert list(MEMBERS_MEETING.attachments(t.branch1, YEAR)) == []
    # the particulars name the files
    back = _rendered(COMMITTEE_MEETING, t.branch1)
    assert _particulars(back.tables[0])["附件"] == "签到表.jpg"


def test_render_gaps_and_attachments_read_a_constant_number_of_queries(world, django_assert_max_num_queries):
    t, people = world

    def add(n: int) -> None:
        for i in range(n):
            for kind in ("members_meeting", "committee_meeting", "group_meeting", "lecture", "theme_day"):
                org = t.group1 if kind == "group_meeting" else t.branch1
                status = "held" if i % 2 else "locked"
                m = _meeting(org, kind, datetime(2025, 1 + i, 3, 9, tzinfo=TZ), status=status, minutes="<p>记</p>")
                Attendance.objects.bulk_create(Attendance(meeting=m, person=p, status="present") for p in people)
                Resolution.objects.create(meeting=m, title="事项", due_voting=4, yes=4, no=0, abstain=0, passed=True)
            _meeting(t.branch1, "theme_day", datetime(2025, 1 + i, 20, 9, tzinfo=TZ), status="planned")

    add(1)
    for part in PARTS:
        with django_assert_max_num_queries(4):
            part.render(t.branch1, YEAR, docx.Document())
        with django_assert_max_num_queries(4):
            list(part.gaps(t.branch1, YEAR))
        with django_assert_max_num_queries(1):
            list(part.attachments(t.branch1, YEAR))
    add(6)
    for part in PARTS:
        with django_assert_max_num_queries(4):
            part.render(t.general, YEAR, docx.Document())
        with django_assert_max_num_queries(4):
            list(part.gaps(t.general, YEAR))
        with django_assert_max_num_queries(1):
            list(part.attachments(t.general, YEAR))
    # over a general branch, the gaps name the branch they concern
    assert "二支部：2025年1月未召开主题党日（主题党日每月1次）" in [g.text for g in THEME_DAY.gaps(t.general, YEAR)]
