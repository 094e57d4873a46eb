"""Local rules do not block by default (issue 12 §4; RULES.md: "L a local or company rule (make it configurable,
default off or as noted)").

* The wait before an applicant can become an activist (RULES.md §2 "wait before becoming an activist | ≥6 months
  after application | local rules | L"): no national rule — 细则 第7条 (the talk) and 第8条 (the
  recommendation) set no time from the application.
* The branch meeting within 1 month of 预审 (RULES.md §2 "admission meeting after pre-review | generally within 1
  month | local | S / L").

Off: no earliest day, no deadline, nothing blocked. The office turns one on for its subtree through the rule store
(``rules.services.add_version`` with an organisation), and chooses whether it blocks or only warns.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dangjian.audit.models import AuditEvent
from dangjian.core import context
from dangjian.development import services
from dangjian.development.bulk import bulk_status
from dangjian.development.models import Development
from dangjian.development.periods import add_months
from dangjian.development.timeline import BLOCKED, DUE, OVERDUE, summarize, timeline
from dangjian.rules import services as store
from dangjian.testing import make_member, make_person, make_tree, make_user

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)
WAIT_ON = "activist.wait_after_application_enabled"
WAIT_BLOCKS = "activist.wait_after_application_blocks"
MEETING_ON = "admission.meeting_after_pre_review_enabled"
MEETING_BLOCKS = "admission.meeting_after_pre_review_blocks"


@pytest.fixture
def world():
    t = make_tree()
    sec = make_user("sec1", "secretary", t.branch1, person=make_member(t.branch1, "书记甲"))
    sec2 = make_user("sec2", "secretary", t.branch2, person=make_member(t.branch2, "书记乙"))
    office = make_user("office", "office", t.root)
    with context.acting(sec):
        yield t, sec, sec2, office


def _turn_on(office, key, value, org):
    """What the office does on /rules/: a version from today for one organisation's subtree."""
    return store.add_version(
        office, key, value, timezone.localdate(), organization=org, citation="本单位设置", confidence="L"
    )


def _six_months_ago(today: date) -> date:
    """The latest application day that has 满6个月 on ``today`` (the day after it has not)."""
    day = today - timedelta(days=200)
    while add_months(day + DAY, 6) <= today:
        day += DAY
    return day


def _applicant_case(user, branch, dept, applied_on: date, name: str) -> Development:
    person = make_person(name, department=dept, birth=date(1998, 5, 1))
    dev = services.open_case(user, person.pk, branch.pk, applied_on)
    services.record_step(user, dev.pk, 1, {"done_on": applied_on})
    services.record_step(user, dev.pk, 2, {"done_on": applied_on + DAY})
    return Development.objects.get(pk=dev.pk)


def _step(dev, today, number):
    return next(i for i in timeline(dev, today) if i.step.number == number)


# --- the activist wait ----------------------------------------------------------------------------------------


def test_by_default_an_applicant_becomes_an_activist_without_waiting(world):
    t, sec, *_ = world
    today = timezone.localdate()
    dev = _applicant_case(sec, t.branch1, t.dept1, today - timedelta(days=10), "钱申请")
    item = _step(dev, today, 3)
    assert item.status == DUE and item.earliest is None and not item.check.warning
    services.record_step(sec, dev.pk, 3, {"done_on": today})  # 10 days after the application: not blocked
    assert Development.objects.get(pk=dev.pk).stage == "activist"


def test_the_office_turns_the_wait_on_for_a_branch_and_it_blocks_the_day_before_6_months(world):
    t, sec, sec2, office = world
    today = timezone.localdate()
    edge = _six_months_ago(today)
    _turn_on(office, WAIT_ON, True, t.branch1)
    on_the_day = _applicant_case(sec, t.branch1, t.dept1, edge, "孙满期")
    one_short = _applicant_case(sec, t.branch1, t.dept1, edge + DAY, "李差一天")
    elsewhere = _applicant_case(sec2, t.branch2, t.dept2, edge + DAY, "周别支部")

    short = _step(one_short, today, 3)
    assert short.status == BLOCKED and short.earliest == add_months(edge + DAY, 6) == today + DAY
    assert "未满6个月" in short.check.reason and short.check.citation == "本单位设置"
    with pytest.raises(ValidationError, match="未满6个月"):
        services.record_step(sec, one_short.pk, 3, {"done_on": today})
    assert _step(on_the_day, today, 3).status == DUE
    services.record_step(sec, on_the_day.pk, 3, {"done_on": today})
    # branch2 is outside the subtree the office turned it on for
    assert _step(elsewhere, today, 3).earliest is None
    services.record_step(sec2, elsewhere.pk, 3, {"done_on": today})


def test_the_rules_page_turns_the_wait_on_for_a_subtree(client, world):
    """The switch is a yes/no the /rules/ edit page offers (是/否), for one organisation's subtree."""
    t, sec, sec2, office = world
    today = timezone.localdate()
    dev = _applicant_case(sec, t.branch1, t.dept1, _six_months_ago(today) + DAY, "陈页面")
    assert _step(dev, today, 3).status == DUE
    client.force_login(office)
    data = {"value": "是", "effective_from": today.isoformat(), "org_code": t.branch1.code, "reason": "本单位规定"}
    assert client.post(reverse("rules:edit", args=[WAIT_ON]), data).status_code == 302
    assert _step(dev, today, 3).status == BLOCKED


def test_the_wait_set_to_warn_records_the_step_with_the_warning_in_the_audit(world):
    t, sec, sec2, office = world
    today = timezone.localdate()
    _turn_on(office, WAIT_ON, True, t.branch1)
    _turn_on(office, WAIT_BLOCKS, False, t.branch1)
    dev = _applicant_case(sec, t.branch1, t.dept1, _six_months_ago(today) + DAY, "郑提示")
    item = _step(dev, today, 3)
    assert item.status == DUE and item.check.ok and item.check.warning and "仅提示" in item.check.reason
    rec = services.record_step(sec, dev.pk, 3, {"done_on": today})
    event = AuditEvent.objects.get(object_type="development.steprecord", object_id=str(rec.pk))
    assert "未满6个月" in event.detail["warning"] and event.detail["citation"] == "本单位设置"


# --- the branch meeting within 1 month of 预审 ----------------------------------------------------------------

VOTES = {"votes_due": 9, "votes_present": 8, "votes_yes": 7}
DAYS = {1: date(2022, 1, 10), 2: date(2022, 1, 20), 3: date(2022, 8, 1), 7: date(2023, 8, 1)}


def _pre_reviewed_today(world) -> Development:
    """A case whose 预审 (step 13) is today, 志愿书 filled in (step 14), the branch meeting next: its deadline, if
    on, is judged by the rule version of the 预审 day."""
    t, sec, *_ = world
    a, b = make_member(t.branch1, "张介绍"), make_member(t.branch1, "王介绍")
    person = make_person("冯预审", department=t.dept1, birth=date(1995, 2, 1))
    dev = services.open_case(sec, person.pk, t.branch1.pk, DAYS[1])
    services.add_contact(sec, dev.pk, a.pk, "training_contact")
    services.add_contact(sec, dev.pk, a.pk, "sponsor")
    services.add_contact(sec, dev.pk, b.pk, "sponsor")
    day = DAYS[1]
    for number in range(1, 15):
        day = timezone.localdate() if number >= 13 else DAYS.get(number, day)
        services.record_step(sec, dev.pk, number, {"done_on": day, "training_days": 3})
        if number == 6:
            for reviewed_on in (date(2023, 1, 20), date(2023, 7, 15)):
                services.add_review(sec, dev.pk, reviewed_on, "表现良好")
    return Development.objects.get(pk=dev.pk)


def test_by_default_the_branch_meeting_has_no_deadline_after_pre_review(world):
    t, sec, *_ = world
    dev = _pre_reviewed_today(world)
    later = add_months(timezone.localdate(), 2)
    item = _step(dev, later, 15)
    assert item.deadline is None and item.status == DUE  # two months later: neither overdue nor blocked
    assert dev.next_due_on is None  # nor is a deadline denormalised for the due lists


def test_the_office_turns_the_meeting_deadline_on_warn_then_block(world):
    t, sec, sec2, office = world
    today = timezone.localdate()
    _turn_on(office, MEETING_ON, True, t.branch1)
    dev = _pre_reviewed_today(world)
    deadline = add_months(today, 1)
    on_time = _step(dev, deadline, 15)
    assert on_time.deadline == deadline and on_time.status == DUE  # the last day is still in time
    late = _step(dev, deadline + DAY, 15)
    assert late.status == OVERDUE and late.check.warning and "实际" in late.check.reason  # warns by default

    _turn_on(office, MEETING_BLOCKS, True, t.branch1)
    blocked = _step(dev, deadline + DAY, 15)
    assert blocked.status == BLOCKED and "预审后1个月内未召开支部大会" in blocked.check.reason
    assert _step(dev, deadline, 15).status == DUE
    page = summarize(timeline(dev, deadline + DAY), deadline + DAY)
    listed = bulk_status(Development.objects.filter(pk=dev.pk), deadline + DAY)[dev.pk].summary
    assert (page.status, page.deadline) == (listed.status, listed.deadline) == (OVERDUE, deadline)
