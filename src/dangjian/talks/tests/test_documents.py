"""The talks and study-hours parts of the yearly record: rendered into a .docx, re-opened, their rows read back; the
talks' gaps; their queries."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import docx
import pytest
from django.urls import reverse
from django.utils import timezone
from docx.oxml.ns import qn

from dangjian.core import paper
from dangjian.core.contributions import Period, contributions
from dangjian.meetings import services as meetings
from dangjian.orgs import services as org_services
from dangjian.talks import services
from dangjian.talks.documents import HOURS, PARTS, TALKS, build
from dangjian.testing import make_member, make_tree, make_user

from .study_days import add_study_days

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
YEAR = Period.year(2025)


@pytest.fixture
def world():
    t = make_tree()
    a, b = make_member(t.branch1, "甲"), make_member(t.branch1, "乙")
    c = make_member(t.branch2, "丙")
    sec = make_user("sec", "secretary", t.root, person=a)
    return t, a, b, c, sec


def _talk(sec, org, talker, talkee, day, topics="思想工作"):
    return services.record_talk(
        sec, {"organization": org, "talker": talker, "talkee": talkee, "held_on": day, "topics": topics}
    )


def _reopen(organization, period=YEAR):
    return docx.Document(BytesIO(build(organization, period)))


def _rows(table):
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_the_years_talks_coverage_and_hours_of_the_subtree(world):
    t, a, b, c, sec = world
    _talk(sec, t.branch1, a, b, date(2025, 3, 5), "工作与思想")
    _talk(sec, t.branch2, a, c, date(2025, 6, 1), "家庭困难")
    _talk(sec, t.branch1, b, a, date(2024, 12, 31), "去年的")
    _talk(sec, t.office_branch, a, b, date(2025, 7, 1), "别处的")  # outside the general branch's subtree
    when = datetime(2025, 4, 1, 9, tzinfo=TZ)
    m = meetings.plan_meeting(
        sec, t.branch1.pk, {"kind": "lecture", "title": "党课", "starts_at": when, "ends_at": when + timedelta(hours=2)}
    )
    meetings.mark_held(sec, m.pk)
    meetings.set_attendance(sec, m.pk, {a.pk: ("present", ""), b.pk: ("present", "")})
    add_study_days(sec, b, date(2025, 5, 1), 30, "网络学院")

    back = _reopen(t.general)
    texts = [p.text for p in back.paragraphs]
    assert texts[0] == "一总支2025年度谈心谈话与学习学时"
    assert "一、谈心谈话" in texts and "二、党员学习学时" in texts
    # by branch, then by quarter
    first, second, coverage, hours = back.tables
    assert _rows(first)[0] == ["日期", "谈话人", "谈话对象", "类型", "谈话内容", "后续跟进"]
    assert _rows(first)[1:] == [["3月5日", "甲", "乙", "党员之间", "工作与思想", "—"]]
    assert _rows(second)[1:] == [["6月1日", "甲", "丙", "党员之间", "家庭困难", "—"]]
    order = [texts.index(x) for x in ("一支部", "第一季度（1次）", "二支部", "第二季度（1次）")]
    assert order == sorted(order)
    assert "本年度共谈心谈话2次（党员之间2次）。" in texts
    assert _rows(coverage)[1:] == [["一支部", "2", "1", "1"], ["二支部", "1", "1", "0"]]
    assert _rows(hours)[0] == ["姓名", "党支部", "会议学时", "个人学习", "合计", "状态"]
    # fewest hours first: 甲 3 (the lecture), 丙 0 comes first, 乙 3 + 30
    assert [(r[0], r[1], r[4], r[5]) for r in _rows(hours)[1:]] == [
        ("丙", "二支部", "0.0", "不足"),
        ("甲", "一支部", "3.0", "不足"),
        ("乙", "一支部", "33.0", "达标"),
    ]
    assert any("在册党员3人，其中2人不足" in text for text in texts)


def test_the_page_is_a4_with_the_standards_margins_and_fonts(world):
    t, *_ = world
    back = _reopen(t.branch1)
    section = back.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin)] == [37, 35]
    assert [round(m.mm) for m in (section.left_margin, section.right_margin)] == [28, 26]

    def east_asian(run) -> str:
        return run._element.rPr.rFonts.get(qn("w:eastAsia"))

    title = back.paragraphs[0].runs[0]
    assert title.font.size.pt == 22 and east_asian(title) == paper.XIAOBIAOSONG
    part = next(p for p in back.paragraphs if p.text == "一、谈心谈话")
    assert part.style.name == "Heading 2" and east_asian(part.runs[0]) == paper.HEITI
    assert part.runs[0].font.size.pt == 16
    normal = back.styles["Normal"]
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == paper.FANGSONG and normal.font.size.pt == 16
    assert "PAGE" in "".join(section.footer._element.itertext())
    header = back.tables[-1].rows[0]  # the hours table: its header repeats on every page
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    # signed by the organisation that keeps it, dated the day it is printed
    closing, signer, dated = (p.text for p in back.paragraphs[-3:])
    assert signer == "中共一支部" and dated == paper.cn_date(timezone.localdate())
    assert closing == f"以上情况统计截至{paper.cn_date(min(timezone.localdate(), YEAR.end))}。"


def test_an_empty_year_says_so_and_the_parts_are_registered(world):
    t, *_ = world
    document = docx.Document()
    for part in PARTS:
        part.render(t.office_branch, Period.year(2025), document)
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "本年度无谈心谈话记录。"
    assert "党员学习学时" in texts and "本组织无在册党员。" in texts
    (talks,) = [c for c in contributions() if c.app == "talks"]
    assert talks.documents == PARTS == (TALKS, HOURS)
    assert [(p.section, p.key, str(p.title), p.order) for p in PARTS] == [
        ("talks", "talks.talks", "", 10),
        ("talks", "talks.hours", "党员学习学时", 20),
    ]


def test_the_kind_of_talk_follows_the_branchs_committee_and_the_follow_up_is_shown(world):
    t, a, b, c, sec = world
    d = make_member(t.branch1, "丁")
    office = make_user("office", "office", t.root)
    org_services.record_term(office, t.branch1.pk, date(2024, 3, 1), [(a.pk, "secretary"), (b.pk, "organizer")])
    _talk(sec, t.branch1, a, b, date(2025, 2, 1), "委员之间")
    _talk(sec, t.branch1, a, d, date(2025, 2, 2), "书记与党员")
    talk = _talk(sec, t.branch1, d, c, date(2025, 11, 3), "党员之间")
    talk.follow_up, talk.follow_up_due = "了解困难", date(2025, 12, 1)
    talk.save()

    document = docx.Document()
    TALKS.render(t.branch1, YEAR, document)
    texts = [p.text for p in document.paragraphs]
    assert "本年度共谈心谈话3次（支委之间1次，支委与党员1次，党员之间1次）。" in texts
    assert "一支部" not in texts  # one branch: no branch line
    q1, q4, _coverage = document.tables
    assert [r[3] for r in _rows(q1)[1:]] == ["支委之间", "支委与党员"]
    assert _rows(q4)[1][3:] == ["党员之间", "党员之间", "了解困难（12月1日前）"]


def test_gaps_name_the_members_not_talked_with_per_branch(world):
    t, a, b, c, sec = world
    _talk(sec, t.branch1, a, b, date(2025, 3, 5))
    gaps = list(TALKS.gaps(t.general, YEAR))
    assert [(g.section, g.text, g.link, g.due) for g in gaps] == [
        (
            "talks",
            "一支部：1名党员本年度谈心谈话不足1次（甲）",
            reverse("life:talk_create"),
            date(2025, 12, 31),
        ),
        ("talks", "二支部：1名党员本年度谈心谈话不足1次（丙）", reverse("life:talk_create"), date(2025, 12, 31)),
    ]
    _talk(sec, t.branch1, b, a, date(2025, 4, 5))
    _talk(sec, t.branch2, a, c, date(2025, 4, 6))
    assert list(TALKS.gaps(t.general, YEAR)) == []
    # before the rule (支部工作条例, 2018-10-28) there is nothing to find missing
    assert list(TALKS.gaps(t.general, Period.year(2017))) == []
    assert list(HOURS.gaps(t.general, YEAR)) == [] and list(TALKS.attachments(t.general, YEAR)) == []


def test_the_parts_read_a_constant_number_of_queries(world, django_assert_max_num_queries):
    t, a, b, c, sec = world

    def check() -> None:
        for part in PARTS:
            with django_assert_max_num_queries(4):
                part.render(t.root, YEAR, docx.Document())
        with django_assert_max_num_queries(2):
            list(TALKS.gaps(t.root, YEAR))

    check()
    for i in range(5):
        person = make_member(t.branch2, f"新{i}")
        _talk(sec, t.branch2, a, person, date(2025, 2 + i, 1))
        services.add_study(sec, {"person": person, "studied_on": date(2025, 8, 1), "title": "学", "hours": 2})
    check()
