import re
from datetime import datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from dangjian.appraisal import services
from dangjian.appraisal.models import Appraisal, MutualRating
from dangjian.appraisal.rules import excellent_share_exceeded, tally
from dangjian.audit.models import AuditEvent
from dangjian.core import context
from dangjian.meetings import services as meeting_services
from dangjian.testing import make_member, make_tree, make_user

TZ = ZoneInfo("Asia/Shanghai")


def test_more_than_a_third_excellent_warns():
    third = Fraction(1, 3)
    assert not excellent_share_exceeded(["excellent", "qualified", "qualified"], third)
    assert excellent_share_exceeded(["excellent", "excellent", "qualified", "qualified", "qualified"], third)
    assert not excellent_share_exceeded([], third)
    with pytest.raises(ValueError):
        tally(["great"])


@pytest.fixture
def branch(db):
    t = make_tree()
    members = [make_member(t.branch1, f"员{i}") for i in range(4)]
    prob = make_member(t.branch1, "预备员", status="probationary")
    sec = make_user("sec", "secretary", t.branch1, person=members[0])
    users = [make_user(f"m{i}", "member", person=p) for i, p in enumerate(members[1:], start=1)]
    prob_user = make_user("mp", "member", person=prob)
    return t, members, prob, sec, users, prob_user


def opened_on(appraisal, when=datetime(2026, 9, 1, 9, tzinfo=TZ)):
    """The appraisal as opened at ``when`` (by default before the members' meetings of these tests)."""
    Appraisal.objects.filter(pk=appraisal.pk).update(created_at=when)
    appraisal.refresh_from_db()
    return appraisal


def closed_on(appraisal, when=datetime(2026, 10, 1, 9, tzinfo=TZ)):
    """Mutual review as closed at ``when`` (by default before the members' meetings of these tests)."""
    Appraisal.objects.filter(pk=appraisal.pk).update(review_closed_at=when)
    appraisal.refresh_from_db()
    return appraisal


def held_members_meeting(sec, branch_org, members, start=datetime(2026, 10, 20, 14, tzinfo=TZ)):
    m = meeting_services.plan_meeting(
        sec,
        branch_org.pk,
        {"kind": "members_meeting", "title": "评议大会", "starts_at": start, "ends_at": start + timedelta(hours=2)},
    )
    meeting_services.mark_held(sec, m.pk)
    meeting_services.set_attendance(sec, m.pk, {p.pk: ("present", "") for p in members})
    meeting_services.record_minutes(sec, m.pk, "<p>确认评议结果</p>", [])
    return m


@pytest.mark.django_db
def test_the_whole_workflow_keeps_ratings_anonymous_and_locks(client, branch):
    t, members, prob, sec, users, prob_user = branch
    appraisal = opened_on(services.open_appraisal(sec, t.branch1.pk, 2026))
    entries = {e.person_id: e for e in appraisal.participants.all()}
    assert len(entries) == 5 and entries[prob.pk].graded is False

    services.save_self_review(users[0], appraisal.pk, "本年度完成了……")
    target = entries[members[2].pk]
    with context.acting(users[0]):
        services.rate_others(users[0], appraisal.pk, {target.pk: "excellent"})
        services.rate_others(users[0], appraisal.pk, {target.pk: "qualified"})  # revised, not doubled
    services.rate_others(prob_user, appraisal.pk, {target.pk: "qualified"})
    with pytest.raises(ValidationError):
        services.rate_others(users[0], appraisal.pk, {entries[members[1].pk].pk: "excellent"})  # self
    with pytest.raises(ValidationError):
        services.rate_others(users[0], appraisal.pk, {entries[prob.pk].pk: "excellent"})  # probationary: no grade
    services.rate_others(sec, appraisal.pk, {target.pk: "qualified"})  # a third rater (tallies need 3)
    assert services.mutual_review(appraisal).tallies is None  # not while members are rating (issue 13 §3)
    assert MutualRating.objects.count() == 3
    # the audit log says who rated, never what they gave
    events = AuditEvent.objects.filter(object_type="appraisal.appraisal", actor=users[0])
    assert events.exists() and all(
        "excellent" not in str(e.detail) and "qualified" not in str(e.detail) for e in events
    )

    services.start_vote(sec, appraisal.pk, confirm_missing=True)
    closed_on(appraisal)
    assert services.mutual_review(appraisal).tallies[target.pk]["qualified"] == 3
    client.force_login(sec)
    html = client.get(reverse("appraisal:detail", args=[appraisal.pk])).content.decode()
    html = re.sub(r"[A-Za-z0-9]{32,}", "", html)  # a random CSRF token may hold "m1"
    assert "0/3/0/0" in html and "m1" not in html

    services.record_vote(sec, appraisal.pk, {target.pk: {"excellent": 3, "qualified": 2}})
    with pytest.raises(ValidationError, match="超过参加测评人数"):
        services.record_vote(sec, appraisal.pk, {target.pk: {"excellent": 6}})
    grades = {entries[p.pk].pk: "excellent" for p in members[:2]} | {entries[p.pk].pk: "qualified" for p in members[2:]}
    assert services.propose_grades(sec, appraisal.pk, grades) is True  # 2 of 4 excellent > 1/3: warning
    with pytest.raises(ValidationError, match="预备党员"):
        services.propose_grades(sec, appraisal.pk, grades | {entries[prob.pk].pk: "qualified"})
    meeting = held_members_meeting(sec, t.branch1, members)
    services.confirm(sec, appraisal.pk, meeting.pk)
    appraisal.refresh_from_db()
    assert appraisal.is_locked
    assert appraisal.participants.get(person=members[0]).final_grade == "excellent"
    with pytest.raises(ValidationError):
        services.propose_grades(sec, appraisal.pk, grades)


@pytest.mark.django_db
def test_a_members_meeting_held_before_the_appraisal_was_opened_cannot_confirm_it(client, branch):
    t, members, prob, sec, users, prob_user = branch
    # opened at 01:00 Beijing time on 20 October, which is still 19 October in UTC
    appraisal = opened_on(services.open_appraisal(sec, t.branch1.pk, 2026), datetime(2026, 10, 20, 1, tzinfo=TZ))
    services.start_vote(sec, appraisal.pk, confirm_missing=True)
    # recorded before the close was kept: the opening day is the bound (a later close is tested in test_stage_guards)
    Appraisal.objects.filter(pk=appraisal.pk).update(review_closed_at=None)
    services.propose_grades(sec, appraisal.pk, {e.pk: "qualified" for e in appraisal.participants.filter(graded=True)})
    # the evening before, in Beijing: the same UTC day as the opening, but the day before it
    day_before = held_members_meeting(sec, t.branch1, members, datetime(2026, 10, 19, 23, tzinfo=TZ))
    message = "该党员大会召开于2026-10-19，早于本次民主评议的开展日期2026-10-20，不能用于确认评议结果"
    with pytest.raises(ValidationError) as refused:
        services.confirm(sec, appraisal.pk, day_before.pk)
    assert refused.value.message_dict == {"meeting": [message]}

    client.force_login(sec)
    page = client.post(reverse("appraisal:confirm", args=[appraisal.pk]), {"meeting": day_before.pk})
    assert page.status_code == 200 and message in page.content.decode()  # on the form, nothing confirmed
    appraisal.refresh_from_db()
    assert appraisal.status == "proposed" and appraisal.confirmed_meeting is None

    # held on the opening day, even at an earlier hour than the opening: accepted
    same_day = held_members_meeting(sec, t.branch1, members, datetime(2026, 10, 20, 0, 30, tzinfo=TZ))
    response = client.post(reverse("appraisal:confirm", args=[appraisal.pk]), {"meeting": same_day.pk})
    assert response.status_code == 302
    appraisal.refresh_from_db()
    assert appraisal.is_locked and appraisal.confirmed_meeting == same_day


@pytest.mark.django_db
def test_scope_and_member_pages(client, branch):
    t, members, prob, sec, users, prob_user = branch
    appraisal = services.open_appraisal(sec, t.branch1.pk, 2026)
    other_sec = make_user("sec2", "secretary", t.branch2)
    with pytest.raises(Http404):
        services.open_appraisal(other_sec, t.branch1.pk, 2025)
    client.force_login(other_sec)
    assert client.get(reverse("appraisal:detail", args=[appraisal.pk])).status_code == 404
    client.force_login(users[0])
    page = client.get(reverse("appraisal:mine", args=[appraisal.pk]))
    assert page.status_code == 200 and "员2" in page.content.decode()
    response = client.post(reverse("appraisal:mine", args=[appraisal.pk]), {"self_review": "自评内容"})
    assert response.status_code == 302
    detail = client.get(reverse("appraisal:detail", args=[appraisal.pk])).content.decode()
    assert "0/" not in detail  # a member does not see the tallies
    assert Appraisal.objects.visible_to(users[0]).count() == 1
    outsider = make_user("out", "member", person=make_member(t.branch2, "外"))
    client.force_login(outsider)
    assert client.get(reverse("appraisal:mine", args=[appraisal.pk])).status_code == 404
    with pytest.raises(ValidationError, match="已有"):
        services.open_appraisal(sec, t.branch1.pk, 2026)
