"""The appraisal part of the yearly record: rendered into a .docx, re-opened, its tables read back."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import docx
import pytest

from dangjian.appraisal import services
from dangjian.appraisal.documents import RECORD
from dangjian.appraisal.models import Appraisal, MutualRating
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


def test_the_years_appraisals_with_their_tallies_and_the_confirmed_results_without_any_review_text():
    t = make_tree()
    members = [make_member(t.branch1, n) for n in ("甲书记", "乙党员", "丙党员", "丁党员")]
    make_member(t.branch1, "戊预备", status="probationary")
    sec = make_user("sec", "secretary", t.branch1, person=members[0])
    _confirmed(t, sec, members)
    make_member(t.branch2, "二支部党员")
    sec2 = make_user("sec2", "secretary", t.branch2)
    services.open_appraisal(sec2, t.branch2.pk, 2026)  # opened, not yet confirmed
    services.open_appraisal(sec2, t.branch2.pk, 2025)  # another year

    back = _render(t.general, 2026)

    text = _text(back)
    assert "民主评议党员情况（2026年）" in text
    summary, results = back.tables
    rows = _rows(summary)
    assert rows[0] == ["党支部", "阶段", "开展日期", "确认日期", "参评", "自评", "优秀", "合格", "基本合格", "不合格"]
    assert [r[0] for r in rows[1:]] == ["一支部", "二支部"]
    # the figures of the appraisal page: 5 taking part, 1 self-review; grades 1 优秀, 3 合格 (the probationary
    # member takes part without a grade)
    assert rows[1][1:] == ["党员大会已确认", "2026-09-01", "2026-10-20", "5", "1", "1", "3", "0", "0"]
    assert rows[2][1] == "自评与互评中" and rows[2][3:] == ["—", "1", "0", "—", "—", "—", "—"]
    assert "本年度2个党支部开展民主评议党员，参评党员6人；其中1个党支部的评议结果已经党员大会确认。" in text
    result = {r[1]: r for r in _rows(results)[1:]}
    assert _rows(results)[0] == ["序号", "姓名", "优秀票", "合格票", "基本合格票", "不合格票", "评定等次"]
    assert result["甲书记"][2:] == ["3", "1", "0", "0", "优秀"]
    assert result["丙党员"][2:] == ["0", "0", "4", "0", "合格"]
    assert result["戊预备"][2:] == ["—", "—", "—", "—", "预备党员，不评定等次"]
    assert "二支部民主评议党员结果" in text and "评议尚在进行中（当前阶段：自评与互评中）" in text
    # never the self-review's text, never the anonymous mutual ratings (丙's one "不合格" from a colleague)
    assert SECRET_REVIEW not in text
    assert MutualRating.objects.filter(grade="unqualified").count() == 1
    assert "不合格票｜评定等次" in text and "0｜0｜4｜0｜合格" in text


def test_queries_stay_the_same_as_branches_and_members_grow(django_assert_num_queries):
    t = make_tree()
    members = [make_member(t.branch1, f"员{i}") for i in range(4)]
    sec = make_user("sec", "secretary", t.branch1, person=members[0])
    _confirmed(t, sec, members)
    with django_assert_num_queries(2):
        RECORD.render(t.root, Period.year(2026), paper.new_document())
    office = make_user("office", "office", t.root)
    for branch in (t.branch2, t.office_branch):
        for i in range(6):
            make_member(branch, f"{branch.name}{i}")
        services.open_appraisal(office, branch.pk, 2026)
    with django_assert_num_queries(2):
        RECORD.render(t.root, Period.year(2026), paper.new_document())


def test_a_year_without_appraisal_says_so_and_the_provider_is_registered():
    t = make_tree()
    assert "本年度未开展民主评议党员。" in _text(_render(t.branch1, 2026))
    (appraisal,) = [c for c in contributions() if c.app == "appraisal"]
    assert appraisal.documents == (RECORD,)
