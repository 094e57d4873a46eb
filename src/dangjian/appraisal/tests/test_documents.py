"""The appraisal part of the yearly record: rendered into a .docx, re-opened, its tables read back."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import docx
import pytest

from dangjian.appraisal import services
from dangjian.appraisal.documents import RECORD
from dangjian.appraisal.models import Appraisal, MutualRating, Participant
from dangjian.core import context, paper
from dangjian.core.contributions import Period, contributions
from dangjian.meetings import services as meeting_services
from dangjian.testing import make_member, make_tree, make_user

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
SECRET_REVIEW = "我的自评：本年度按时参加组织生活"


def _render(org, year: int) -> docx.Document:
    document = paper.new_document()
    RECORD.render(org, Period.year(year), document)
    return docx.Document(BytesIO(paper.to_bytes(document)))


def _text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    parts += ["｜".join(c.text for c in row.cells) for t in document.tables for row in t.rows]
    return "\n".join(parts)


def _rows(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def _confirmed(t, sec, members):
    """一支部's appraisal of 2026, opened on 1 September and taken to the end: a self-review, mutual ratings, the
    vote, grades confirmed by the members' meeting of 20 October."""
    appraisal = services.open_appraisal(sec, t.branch1.pk, 2026)
    Appraisal.objects.filter(pk=appraisal.pk).update(created_at=datetime(2026, 9, 1, 9, tzinfo=TZ))
    entries = {e.person_id: e for e in appraisal.participants.all()}
    writer = make_user("writer", "member", person=members[1])
    services.save_self_review(writer, appraisal.pk, SECRET_REVIEW)
    with context.acting(writer):
        services.rate_others(writer, appraisal.pk, {entries[members[2].pk].pk: "unqualified"})
    services.start_vote(sec, appraisal.pk, confirm_missing=True)
    Appraisal.objects.filter(pk=appraisal.pk).update(review_closed_at=datetime(2026, 10, 1, 9, tzinfo=TZ))
    services.record_vote(
        sec,
        appraisal.pk,
        {entries[members[0].pk].pk: {"excellent": 3, "qualified": 1}, entries[members[2].pk].pk: {"basic": 4}},
    )
    graded = [p for p in members if entries[p.pk].graded]
    grades = {entries[p.pk].pk: "qualified" for p in graded} | {entries[members[0].pk].pk: "excellent"}
    services.propose_grades(sec, appraisal.pk, grades)
    start = datetime(2026, 10, 20, 14, tzinfo=TZ)
    meeting = meeting_services.plan_meeting(
        sec,
        t.branch1.pk,
        {"kind": "members_meeting", "title": "评议大会", "starts_at": start, "ends_at": start + timedelta(hours=2)},
    )
    meeting_services.mark_held(sec, meeting.pk)
    services.confirm(sec, appraisal.pk, meeting.pk)
    return appraisal


def test_the_registration_and_summary_forms_with_names_tallies_and_grades_but_no_review_text():
    t = make_tree()
    members = [make_member(t.branch1, n) for n in ("甲书记", "乙党员", "丙党员", "丁党员")]
    make_member(t.branch1, "戊预备", status="probationary")
    sec = make_user("sec", "secretary", t.branch1, person=members[0])
    _confirmed(t, sec, members)

    back = _render(t.branch1, 2026)

    text = _text(back)
    assert back.paragraphs[0].text == "民主评议党员"  # the part's title; the ledger prints the section heading
    assert "一支部于2026年9月1日开展2026年度民主评议党员，参评党员5人，当前阶段：党员大会已确认" in text
    assert "评定等次经2026年10月20日党员大会（评议大会）确认" in text
    register, summary = back.tables
    rows = {r[1]: r for r in _rows(register)[1:]}
    assert _rows(register)[0][:4] == ["序号", "姓名", "党员类别", "个人自评"]
    assert rows["乙党员"][3] == "已提交" and rows["甲书记"][3] == "未提交"
    # 丙 received one anonymous 不合格 in the mutual appraisal: a tally, never who gave it
    assert rows["丙党员"][4] == "0/0/0/1"
    assert rows["甲书记"][5:] == ["优秀", "优秀"]
    assert rows["戊预备"][2] == "预备党员" and rows["戊预备"][6] == "不评定等次"
    assert _rows(summary)[0] == ["序号", "姓名", "优秀票", "合格票", "基本合格票", "不合格票", "评定等次"]
    result = {r[1]: r for r in _rows(summary)[1:]}
    assert result["甲书记"][2:] == ["3", "1", "0", "0", "优秀"]
    assert result["丙党员"][2:] == ["0", "0", "4", "0", "合格"]
    assert result["戊预备"][2:] == ["—", "—", "—", "—", "不评定等次"]
    assert "评定结果：优秀1人，合格3人，基本合格0人，不合格0人；预备党员1人参加评议，不评定等次。" in text
    assert SECRET_REVIEW not in text
    assert MutualRating.objects.filter(grade="unqualified").count() == 1
    # a confirmed appraisal with everyone graded leaves no gap for the branch
    assert [g.text for g in RECORD.gaps(t.branch1, Period.year(2026))] == []


def test_an_appraisal_under_way_shows_no_grade_yet_and_is_a_gap():
    t = make_tree()
    make_member(t.branch2, "二支部党员")
    sec2 = make_user("sec2", "secretary", t.branch2)
    services.open_appraisal(sec2, t.branch2.pk, 2026)

    back = _render(t.branch2, 2026)

    text = _text(back)
    assert "互评进行中" in text and "待确认" in text
    assert "评议尚未经党员大会确认，评定等次待确认后填入。" in text
    (gap,) = RECORD.gaps(t.branch2, Period.year(2026))
    assert gap.section == "appraisal"
    assert gap.text == "二支部2026年度民主评议尚未经党员大会确认（当前阶段：自评与互评中）"
    assert gap.link.startswith("/appraisal/")


def test_gaps_list_branches_without_appraisal_and_members_without_a_result():
    t = make_tree()
    members = [make_member(t.branch1, n) for n in ("甲书记", "乙党员", "丙党员", "丁党员")]
    sec = make_user("sec", "secretary", t.branch1, person=members[0])
    appraisal = _confirmed(t, sec, members)
    # a grade lost afterwards (a correction of the record), and a full member left off the appraisal
    Participant.objects.filter(appraisal=appraisal, person=members[3]).update(final_grade="")
    Participant.objects.filter(appraisal=appraisal, person=members[1]).delete()

    texts = [g.text for g in RECORD.gaps(t.general, Period.year(2026))]

    assert "二支部2026年度未开展民主评议党员" in texts
    assert "一支部民主评议未评定等次：丁党员" in texts
    assert "一支部党员未参加民主评议：乙党员" in texts
    assert not any("机关支部" in text for text in texts)  # outside 总支


def test_queries_stay_the_same_as_branches_and_members_grow(django_assert_max_num_queries):
    t = make_tree()
    members = [make_member(t.branch1, f"员{i}") for i in range(4)]
    sec = make_user("sec", "secretary", t.branch1, person=members[0])
    _confirmed(t, sec, members)
    with django_assert_max_num_queries(3):
        RECORD.render(t.root, Period.year(2026), paper.new_document())
    with django_assert_max_num_queries(4):
        RECORD.gaps(t.root, Period.year(2026))
    office = make_user("office", "office", t.root)
    for branch in (t.branch2, t.office_branch):
        for i in range(6):
            make_member(branch, f"{branch.name}{i}")
        services.open_appraisal(office, branch.pk, 2026)
    with django_assert_max_num_queries(3):
        RECORD.render(t.root, Period.year(2026), paper.new_document())
    with django_assert_max_num_queries(4):
        RECORD.gaps(t.root, Period.year(2026))


def test_a_year_without_appraisal_says_so_and_the_provider_is_registered():
    t = make_tree()
    assert "本年度无民主评议党员记录。" in _text(_render(t.branch1, 2026))
    assert RECORD.section == "appraisal" and RECORD.order == 10 and not RECORD.landscape
    (appraisal,) = [c for c in contributions() if c.app == "appraisal"]
    assert appraisal.documents == (RECORD,)
