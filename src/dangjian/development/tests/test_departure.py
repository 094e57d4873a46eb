"""细则 第19条 预审: "发展对象未来3个月内将离开工作、学习单位的，一般不办理接收预备党员的手续" (RULES.md §2,
"pre-review | if the person leaves the unit within 3 months, generally not admitted | art. 19 | Q").

The expected departure is recorded on the case (page, API; audited); 预审, the branch meeting and the approval
are blocked when it falls within 3 months of the step's day (the day 3 months later included), and 一般
(generally) is the office's override."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from dangjian.accounts.models import ApiToken
from dangjian.audit.models import AuditEvent
from dangjian.core import context
from dangjian.development import services
from dangjian.development.bulk import bulk_status
from dangjian.development.models import Development
from dangjian.development.timeline import BLOCKED, DUE, summarize, timeline
from dangjian.testing import make_member, make_person, make_tree, make_user

pytestmark = pytest.mark.django_db

VOTES = {"votes_due": 9, "votes_present": 8, "votes_yes": 7}
PRE_REVIEW = date(2023, 9, 1)  # 预审 (step 13): 3 months later is 2023-12-01
MEETING = date(2023, 9, 20)  # the branch meeting (step 15): 3 months later is 2023-12-20
DAYS = {1: date(2022, 1, 10), 2: date(2022, 1, 20), 3: date(2022, 8, 1), 7: date(2023, 8, 1), 13: PRE_REVIEW}
DAYS[15] = MEETING
REVIEWS = (date(2023, 1, 20), date(2023, 7, 15))
REFUSED = "一般不办理接收预备党员的手续"


@pytest.fixture
def world():
    t = make_tree()
    sec = make_user("sec1", "secretary", t.branch1, person=make_member(t.branch1, "书记甲"))
    sec2 = make_user("sec2", "secretary", t.branch2, person=make_member(t.branch2, "书记乙"))
    office = make_user("office", "office", t.root)
    applicant = make_person("吴将调", department=t.dept1, birth=date(1995, 2, 1))
    a, b = make_member(t.branch1, "张介绍"), make_member(t.branch1, "王介绍")
    with context.acting(sec):
        yield t, sec, sec2, office, applicant, a, b


def through(world, last: int) -> Development:
    t, sec, sec2, office, applicant, a, b = world
    dev = services.open_case(sec, applicant.pk, t.branch1.pk, DAYS[1])
    services.add_contact(sec, dev.pk, a.pk, "training_contact")
    services.add_contact(sec, dev.pk, a.pk, "sponsor")
    services.add_contact(sec, dev.pk, b.pk, "sponsor")
    day = DAYS[1]
    for number in range(1, last + 1):
        day = DAYS.get(number, day)
        services.record_step(sec, dev.pk, number, {"done_on": day, "training_days": 3, **VOTES})
        if number == 6:
            for reviewed_on in REVIEWS:
                services.add_review(sec, dev.pk, reviewed_on, "表现良好")
    return dev


def _item(dev, today, number):
    return next(i for i in timeline(dev, today) if i.step.number == number)


@pytest.mark.parametrize(
    "leaves_on, blocked",
    [
        (date(2023, 11, 30), True),  # 3 months minus a day
        (date(2023, 12, 1), True),  # the day 3 months later: still 3个月内
        (date(2023, 12, 2), False),  # 3 months plus a day
    ],
)
def test_pre_review_is_blocked_when_the_target_leaves_within_3_months(world, leaves_on, blocked):
    """第19条 at 预审 (step 13), counted from the 预审 day 2023-09-01."""
    t, sec, *_ = world
    dev = through(world, 12)
    services.set_expected_departure(sec, dev.pk, leaves_on)
    item = _item(Development.objects.get(pk=dev.pk), PRE_REVIEW, 13)
    assert (item.status == BLOCKED) is blocked
    if blocked:
        assert REFUSED in item.check.reason and "第19条" in item.check.citation
        with pytest.raises(ValidationError, match=REFUSED):
            services.record_step(sec, dev.pk, 13, {"done_on": PRE_REVIEW})
        assert not dev.steps.filter(number=13).exists()
    else:
        assert item.status == DUE
        services.record_step(sec, dev.pk, 13, {"done_on": PRE_REVIEW})


def test_no_departure_recorded_blocks_nothing(world):
    dev = through(world, 12)
    item = _item(dev, PRE_REVIEW, 13)
    assert item.status == DUE and item.check.ok and "未登记" in item.check.reason


def test_the_office_overrides_and_the_branch_meeting_is_judged_again_from_its_own_day(world):
    """一般不办理: the office may let 预审 through; the branch meeting (2023-09-20) is judged from its own day, so a
    departure on 2023-12-20 (3 months later) blocks it again and the day after does not."""
    t, sec, sec2, office, *_ = world
    dev = through(world, 12)
    services.set_expected_departure(sec, dev.pk, date(2023, 11, 20))
    services.override(office, dev.pk, "upper_pre_review", "调动前完成接收，经党委研究同意")
    rec = services.record_step(sec, dev.pk, 13, {"done_on": PRE_REVIEW})
    event = AuditEvent.objects.get(object_type="development.steprecord", object_id=str(rec.pk))
    assert event.detail["override_id"] and REFUSED in event.detail["blocked_reason"]
    services.record_step(sec, dev.pk, 14, {"done_on": MEETING})
    with pytest.raises(ValidationError, match=REFUSED):  # the override of 预审 does not carry to the meeting
        services.record_step(sec, dev.pk, 15, {"done_on": MEETING, **VOTES})
    services.set_expected_departure(sec, dev.pk, date(2023, 12, 20))
    with pytest.raises(ValidationError, match=REFUSED):
        services.record_step(sec, dev.pk, 15, {"done_on": MEETING, **VOTES})
    services.set_expected_departure(sec, dev.pk, date(2023, 12, 21))
    services.record_step(sec, dev.pk, 15, {"done_on": MEETING, **VOTES})


def test_a_failed_vote_is_still_refused_before_the_departure(world):
    t, sec, *_ = world
    dev = through(world, 14)
    services.set_expected_departure(sec, dev.pk, date(2023, 10, 1))
    with pytest.raises(ValidationError, match="未通过"):
        services.record_step(sec, dev.pk, 15, {"done_on": MEETING, "votes_due": 9, "votes_present": 8, "votes_yes": 4})


def test_the_list_status_agrees_with_the_case_page(world):
    t, sec, *_ = world
    dev = through(world, 12)
    services.set_expected_departure(sec, dev.pk, date(2023, 10, 1))
    page = summarize(timeline(Development.objects.get(pk=dev.pk), PRE_REVIEW), PRE_REVIEW)
    listed = bulk_status(Development.objects.filter(pk=dev.pk), PRE_REVIEW)[dev.pk].summary
    assert page.status == listed.status == BLOCKED and REFUSED in listed.reason


def test_the_departure_is_recorded_audited_and_checked(world):
    t, sec, sec2, *_ = world
    dev = through(world, 7)
    services.set_expected_departure(sec, dev.pk, date(2024, 3, 1))
    event = AuditEvent.objects.filter(object_type="development.development", object_id=str(dev.pk)).latest("id")
    assert (
        event.action == "update"
        and event.before["leaves_unit_on"] is None
        and event.after["leaves_unit_on"] == "2024-03-01"
    )
    with pytest.raises(ValidationError, match="不能早于递交入党申请书日期"):
        services.set_expected_departure(sec, dev.pk, date(2021, 12, 31))
    with pytest.raises(Http404):
        services.set_expected_departure(sec2, dev.pk, date(2024, 6, 1))
    services.set_expected_departure(sec, dev.pk, None)  # cleared: no departure planned
    assert Development.objects.get(pk=dev.pk).leaves_unit_on is None


def test_the_case_page_records_it_and_shows_the_warning(client, world):
    t, sec, sec2, *_ = world
    dev = through(world, 12)
    client.force_login(sec)
    url = reverse("development:departure", args=[dev.pk])
    assert client.post(url, {"leaves_unit_on": "2023-10-01"}).status_code == 302
    assert Development.objects.get(pk=dev.pk).leaves_unit_on == date(2023, 10, 1)
    html = client.get(reverse("development:detail", args=[dev.pk])).content.decode()
    assert 'id="departure-form"' in html and 'value="2023-10-01"' in html
    # step 13 is judged today: a departure already past blocks it, with the article
    assert "预计 2023-10-01 离开工作、学习单位" in html and REFUSED in html
    client.force_login(sec2)
    assert client.post(url, {"leaves_unit_on": "2023-11-01"}).status_code == 404
    assert Development.objects.get(pk=dev.pk).leaves_unit_on == date(2023, 10, 1)


def test_the_api_sets_the_departure(client, world):
    t, sec, sec2, *_ = world
    dev = through(world, 12)
    url = f"/api/v1/development/cases/{dev.pk}/departure"

    def put(user, body):
        token = ApiToken.issue(user)
        return client.put(url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")

    r = put(sec, {"leaves_unit_on": "2023-11-15"})
    assert r.status_code == 200, r.content
    assert r.json()["leaves_unit_on"] == "2023-11-15"
    event = AuditEvent.objects.filter(object_type="development.development", object_id=str(dev.pk)).latest("id")
    assert event.channel == "api" and event.after["leaves_unit_on"] == "2023-11-15"
    assert put(sec2, {"leaves_unit_on": "2023-11-16"}).status_code == 404
    bad = put(sec, {"leaves_unit_on": "2020-01-01"})
    assert bad.status_code == 422 and "不能早于递交入党申请书日期" in bad.json()["detail"][0]["message"]
