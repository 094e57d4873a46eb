"""The publicity notice and the approval request (.docx), the members' meeting vote, and 留党察看 sponsors."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from docx import Document

from dangjian.audit.models import AuditEvent
from dangjian.core import context
from dangjian.development import documents, services
from dangjian.development.documents import BLANK, add_working_days
from dangjian.development.models import StepRecord
from dangjian.development.rules import vote_passes
from dangjian.development.timeline import BLOCKED, DUE, timeline
from dangjian.people.models import Membership
from dangjian.testing import make_member, make_person, make_tree, make_user

pytestmark = pytest.mark.django_db

VOTES = {"votes_due": 9, "votes_present": 8, "votes_yes": 7}
DAYS = {1: date(2022, 1, 10), 2: date(2022, 1, 20), 3: date(2022, 8, 1), 7: date(2023, 8, 1), 15: date(2023, 9, 5)}


@pytest.fixture
def world():
    t = make_tree()
    sec = make_user("sec1", "secretary", t.branch1, person=make_member(t.branch1, "书记甲"))
    sec2 = make_user("sec2", "secretary", t.branch2, person=make_member(t.branch2, "书记乙"))
    applicant = make_person(
        "李文静",
        department=t.dept1,
        sex="F",
        birth=date(1996, 4, 12),
        ethnicity="回族",
        education="master",
        post="助理研究员",
    )
    a, b = make_member(t.branch1, "张介绍"), make_member(t.branch1, "王介绍")
    with context.acting(sec):
        yield t, sec, sec2, applicant, a, b


def _through(world, last: int):
    t, sec, sec2, applicant, a, b = world
    dev = services.open_case(sec, applicant.pk, t.branch1.pk, DAYS[1])
    services.add_contact(sec, dev.pk, a.pk, "training_contact")
    services.add_contact(sec, dev.pk, a.pk, "sponsor")
    services.add_contact(sec, dev.pk, b.pk, "sponsor")
    day = DAYS[1]
    for number in range(1, last + 1):
        day = DAYS.get(number, day)
        services.record_step(sec, dev.pk, number, {"done_on": day, "training_days": 3, **VOTES})
        if number == 6:  # the half-yearly reviews before the candidate date (第11条)
            for reviewed_on in (date(2023, 1, 20), date(2023, 7, 15)):
                services.add_review(sec, dev.pk, reviewed_on, "表现良好")
    return dev


def _page(content: bytes) -> tuple[list[int], list[int]]:
    """The page size and the margins (top, bottom, left, right) in whole millimetres."""
    (section,) = Document(BytesIO(content)).sections
    size = [round(x.mm) for x in (section.page_width, section.page_height)]
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    return size, [round(x.mm) for x in margins]


A4_GB_T_9704 = ([210, 297], [37, 35, 28, 26])  # A4 and the type area of GB/T 9704 §5.2.2


def _text(content: bytes) -> str:
    doc = Document(BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append("｜".join(cell.text for cell in row.cells))
    return "\n".join(parts)


# --- documents --------------------------------------------------------------------------------------------------


def test_publicity_notice_is_filled_from_the_record_with_five_working_days(world, client):
    t, sec, sec2, applicant, a, b = world
    dev = _through(world, 12)
    client.force_login(sec)
    response = client.get(
        reverse("development:notice", args=[dev.pk]), {"start": "2023-08-25", "phone": "010-12345678"}
    )
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    text = _text(response.content)
    assert "关于李文静同志拟发展为中共预备党员的公示" in text
    for row in ("姓名｜李文静", "性别｜女", "出生日期｜1996年4月12日", "民族｜回族", "学历｜硕士研究生"):
        assert row in text
    assert "工作岗位｜助理研究员" in text and "所在党支部｜一支部" in text
    assert "递交入党申请书时间｜2022年1月10日" in text
    assert "确定为入党积极分子时间｜2022年8月1日" in text and "确定为发展对象时间｜2023年8月1日" in text
    # Friday 25 August 2023 + 5 working days → Thursday 31 August
    assert "公示时间：2023年8月25日至2023年8月31日（5个工作日）" in text
    assert "联系电话：010-12345678" in text and "中共测试所党委" in text
    assert _page(response.content) == A4_GB_T_9704


def test_publicity_notice_leaves_blanks_where_the_record_has_nothing(world, client):
    t, sec, sec2, applicant, a, b = world
    bare = make_person("赵空白", department=t.dept1, birth=date(1990, 1, 1))
    dev = services.open_case(sec, bare.pk, t.branch1.pk, date(2024, 1, 2))
    # a 发展对象 (the notice's stage) whose record holds only that step
    StepRecord.objects.create(
        development=dev, number=7, code="confirm_candidate", done_on=date(2024, 1, 2), recorded_by=sec
    )
    client.force_login(sec)
    text = _text(client.get(reverse("development:notice", args=[dev.pk])).content)
    assert f"工作岗位｜{BLANK}" in text and f"学历｜{BLANK}" in text
    assert f"确定为入党积极分子时间｜{BLANK}" in text and f"联系电话：{BLANK}" in text


def test_working_days_skip_weekends():
    assert add_working_days(date(2026, 11, 2), 5) == date(2026, 11, 6)  # Monday → Friday
    assert add_working_days(date(2026, 11, 6), 5) == date(2026, 11, 12)  # Friday → Thursday
    assert add_working_days(date(2026, 11, 7), 5) == date(2026, 11, 13)  # Saturday starts on Monday


def test_approval_request_carries_the_meeting_date_the_vote_and_the_sponsors(world, client):
    t, sec, sec2, applicant, a, b = world
    dev = _through(world, 16)
    client.force_login(sec)
    response = client.get(reverse("development:request", args=[dev.pk]))
    text = _text(response.content)
    assert "关于接收李文静同志为中共预备党员的请示" in text
    assert "中共测试所党委：" in text
    assert "2023年9月5日，一支部召开支部党员大会" in text
    assert "应到会有表决权的正式党员9名，实到8名，赞成7票，不赞成或弃权1票" in text
    assert "入党介绍人：张介绍、王介绍。" in text
    assert "2022年1月10日递交入党申请书" in text and "2023年8月1日被确定为发展对象" in text
    assert _page(response.content) == A4_GB_T_9704


def test_approval_request_takes_a_number_of_the_branch_and_year_once(world, client):
    """The 发文字号 (GB/T 9704 §7.2.4) is taken at the first print and kept: printing again gives the same number; the
    branch's next request that year takes the next one; the branch signs and the committee is addressed."""
    t, sec, sec2, applicant, a, b = world
    dev = _through(world, 16)
    client.force_login(sec)
    url = reverse("development:request", args=[dev.pk])
    year = timezone.localdate().year
    first = _text(client.get(url).content)
    assert first.startswith(f"一支部〔{year}〕1号\n关于接收李文静同志为中共预备党员的请示")
    assert "中共一支部" in first and "联系人" in first
    assert _text(client.get(url).content) == first
    dev.refresh_from_db()
    assert (dev.request_year, dev.request_seq) == (year, 1)
    other = services.open_case(sec, make_person("钱其二", department=t.dept1).pk, t.branch1.pk, date(2024, 1, 2))
    assert documents.request_number(other) == f"一支部〔{year}〕2号"
    events = AuditEvent.objects.filter(action="update", object_id=str(dev.pk))
    assert [e.detail["request_number"] for e in events if "request_number" in (e.detail or {})] == [f"〔{year}〕1号"]


def test_the_documents_are_offered_and_served_only_at_their_stage(world, client):
    """Issue 13 §3: both .docx were offered for a plain applicant. The notice announces a 发展对象 to be admitted
    (拟发展为中共预备党员: after 确定发展对象, 细则 第三章, until the upper committee approves the admission); the
    请示 reports the branch members' meeting's resolution (细则 第20、22条), so it follows step 15."""
    t, sec, sec2, applicant, a, b = world
    client.force_login(sec)

    def urls(dev):
        return (reverse(f"development:{n}", args=[dev.pk]) for n in ("detail", "notice", "request"))

    dev = _through(world, 2)  # an applicant
    detail, notice, request = urls(dev)
    page = client.get(detail).content.decode()
    assert 'id="notice-form"' not in page and 'id="request-link"' not in page
    assert "拟发展公示适用于确定为发展对象之后" in page and "第15步「支部大会讨论」尚未记录" in page
    for url, why in ((notice, "拟发展公示适用于"), (request, "接收预备党员的请示在支部党员大会通过接收决议后生成")):
        response = client.get(url, follow=True)
        assert "attachment" not in response.get("Content-Disposition", "") and why in response.content.decode()
    # a 发展对象: the notice, not yet the request
    for number in range(3, 8):
        services.record_step(sec, dev.pk, number, {"done_on": DAYS.get(number, DAYS[3])})
        if number == 6:
            for reviewed_on in (date(2023, 1, 20), date(2023, 7, 15)):
                services.add_review(sec, dev.pk, reviewed_on, "表现良好")
    page = client.get(detail).content.decode()
    assert 'id="notice-form"' in page and 'id="request-link"' not in page
    assert "attachment" in client.get(notice, {"start": "2023-08-25"})["Content-Disposition"]
    assert client.get(request).status_code == 302
    # after the branch meeting's resolution: the request; once admitted (step 17) the notice is over
    for number in range(8, 18):
        services.record_step(
            sec, dev.pk, number, {"done_on": DAYS.get(number, date(2023, 9, 5)), "training_days": 3, **VOTES}
        )
    page = client.get(detail).content.decode()
    assert 'id="request-link"' in page and 'id="notice-form"' not in page
    assert "attachment" in client.get(request)["Content-Disposition"]
    assert client.get(notice, {"start": "2023-09-06"}).status_code == 302


def test_documents_of_another_branch_answer_404(world, client):
    t, sec, sec2, applicant, a, b = world
    dev = _through(world, 2)
    client.force_login(sec2)
    assert client.get(reverse("development:notice", args=[dev.pk])).status_code == 404
    assert client.get(reverse("development:request", args=[dev.pk])).status_code == 404


# --- the members' meeting vote ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "due, present, yes, ok, reason",
    [
        (10, 6, 6, True, "通过"),
        (10, 5, 5, False, "未超过应到人数的半数"),  # 5 of 10 is not more than half
        (10, 10, 5, False, "赞成人数未超过"),  # half of those due, not of those present
        (10, 6, 5, False, "赞成人数未超过"),  # 5 of 6 present is a majority of the present, not of the due
        (9, 5, 5, True, "通过"),
        (0, 0, 0, False, "不能表决"),
        (None, 5, 5, False, "请填写"),
    ],
)
def test_admission_vote_more_than_half_of_those_due(due, present, yes, ok, reason):
    check = vote_passes(due, present, yes, on=date(2024, 1, 1))
    assert check.ok is ok and reason in check.reason and "第20、21条" in check.citation


def test_vote_counts_out_of_order_are_refused():
    with pytest.raises(ValueError, match="不能多于应到人数"):
        vote_passes(5, 6, 3, on=date(2024, 1, 1))
    with pytest.raises(ValueError, match="不能多于实到人数"):
        vote_passes(10, 6, 7, on=date(2024, 1, 1))


def test_a_failed_admission_vote_blocks_the_step(world):
    t, sec, sec2, applicant, a, b = world
    dev = _through(world, 14)
    with pytest.raises(ValidationError, match="赞成人数未超过"):
        services.record_step(
            sec, dev.pk, 15, {"done_on": DAYS[15], "votes_due": 10, "votes_present": 9, "votes_yes": 5}
        )
    with pytest.raises(ValidationError, match="不能多于实到人数"):
        services.record_step(
            sec, dev.pk, 15, {"done_on": DAYS[15], "votes_due": 10, "votes_present": 6, "votes_yes": 7}
        )
    rec = services.record_step(
        sec, dev.pk, 15, {"done_on": DAYS[15], "votes_due": 10, "votes_present": 9, "votes_yes": 6}
    )
    assert (rec.votes_due, rec.votes_present, rec.votes_yes) == (10, 9, 6)


def test_written_opinions_count_as_votes_but_not_as_attendance():
    """发展党员工作细则 第21条: 因故不能到会的有表决权的正式党员，在支部大会召开前正式向党支部提出书面意见的，应当统计在
    票数内; 第20条: 有表决权的到会人数必须超过应到会有表决权人数的半数 (strict, and the writers are not present)."""
    on = date(2024, 1, 1)
    assert vote_passes(12, 7, 6, written_yes=1, on=on).ok  # 6 + 1 written = 7 yes of 12 due: more than half
    assert "含书面意见 1 票" in vote_passes(12, 7, 6, written_yes=1, on=on).reason
    assert not vote_passes(12, 7, 6, on=on).ok  # without the written opinion 6 of 12 is only half
    short = vote_passes(12, 6, 6, written_yes=1, on=on)  # 6 present of 12 is not more than half: no vote
    assert not short.ok and "不能表决" in short.reason
    with pytest.raises(ValueError, match="书面意见赞成票数"):
        vote_passes(12, 11, 6, written_yes=2, on=on)  # those who wrote were not present


def test_a_written_opinion_is_recorded_with_the_admission_vote(world):
    t, sec, sec2, applicant, a, b = world
    dev = _through(world, 14)
    votes = {"done_on": DAYS[15], "votes_due": 12, "votes_present": 7, "votes_yes": 6}
    with pytest.raises(ValidationError, match="赞成人数未超过"):
        services.record_step(sec, dev.pk, 15, votes)
    rec = services.record_step(sec, dev.pk, 15, dict(votes, votes_written_yes=1))
    assert (rec.votes_present, rec.votes_yes, rec.votes_written_yes) == (7, 6, 1)


# --- 留党察看 -----------------------------------------------------------------------------------------------------


def test_a_sponsor_under_party_probation_blocks_until_rights_are_restored(world):
    t, sec, sec2, applicant, a, b = world
    dev = _through(world, 8)
    Membership.objects.filter(person=b).update(
        discipline_probation_from=date(2023, 1, 1), discipline_probation_until=date(2024, 1, 1)
    )
    item = next(i for i in timeline(dev, date(2023, 12, 31)) if i.step.number == 9)
    assert item.status == BLOCKED and "留党察看" in item.check.reason and "王介绍" in item.check.reason
    assert "第14条" in item.check.citation
    with pytest.raises(ValidationError, match="留党察看"):
        services.record_step(sec, dev.pk, 9, {"done_on": date(2023, 12, 31)})
    # on the day rights are restored the member may sponsor again
    assert next(i for i in timeline(dev, date(2024, 1, 1)) if i.step.number == 9).status == DUE
    services.record_step(sec, dev.pk, 9, {"done_on": date(2024, 1, 1)})


def test_party_probation_without_an_end_date_lasts(world):
    t, sec, sec2, applicant, a, b = world
    dev = _through(world, 8)
    Membership.objects.filter(person=a).update(discipline_probation_from=date(2023, 8, 10))
    assert next(i for i in timeline(dev, date(2023, 8, 9)) if i.step.number == 9).status == DUE
    assert next(i for i in timeline(dev, date(2030, 1, 1)) if i.step.number == 9).status == BLOCKED
    m = Membership.objects.get(person=a)
    assert m.under_discipline_probation(date(2023, 8, 10)) and not m.under_discipline_probation(date(2023, 8, 9))
