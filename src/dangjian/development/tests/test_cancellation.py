"""取消预备党员资格 on a probationary member's case, next to conversion and extension.

《中国共产党发展党员工作细则》第三十四条: "预备党员不履行党员义务，不具备党员条件的，应当取消其预备党员资格。"
Like a conversion it is discussed by the branch members' meeting (支部大会讨论) and approved by the upper committee
(上级党委审批); the case ends and the probationary membership ends with the coded cause 取消预备党员资格, which the
statistics count among the year's 出党 (T5) and in 预备党员转正情况 (T7).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangjian.audit.models import AuditEvent
from dangjian.development import services
from dangjian.development.bulk import bulk_status, refresh_all
from dangjian.development.models import CaseStatus, Development, ProbationCancellation
from dangjian.development.timeline import DONE, VOID, summarize, timeline
from dangjian.people import services as people_services
from dangjian.people.models import EndCause, Membership

from . import test_probation as probation
from .test_probation import through

world = probation.world  # the probation tests' branch, secretaries and applicant

pytestmark = pytest.mark.django_db

DISCUSSED, APPROVED = date(2024, 9, 6), date(2024, 9, 20)
REASON = "预备期内多次无故不参加组织生活，经教育仍无转变"


def _cancel(world, dev, meeting_on=DISCUSSED, approved_on=APPROVED, reason=REASON):
    return services.cancel_probation(world[1], dev.pk, meeting_on, approved_on, reason)


def test_cancellation_ends_the_case_and_the_probationary_membership_with_the_coded_cause(world):
    """第三十四条: 预备党员不履行党员义务，不具备党员条件的，应当取消其预备党员资格 — after the branch meeting
    and the upper committee's approval; the membership ends on the approval day, coded 取消预备党员资格."""
    dev = through(world, 22)
    person = dev.person
    cancellation = _cancel(world, dev)

    dev.refresh_from_db()
    assert (dev.status, dev.next_step, dev.next_due_on) == (CaseStatus.CLOSED, None, None)
    membership = Membership.objects.get(person=person)
    assert (membership.ended_on, membership.end_cause) == (APPROVED, EndCause.CANCELLED)
    assert "2024-09-06" in membership.end_reason and REASON in membership.end_reason
    assert not Membership.objects.current().filter(person=person).exists()
    person.refresh_from_db()
    assert person.political_status == "masses"
    # the conversion steps are no longer due; the steps done stay done
    items = timeline(Development.objects.get(pk=dev.pk), date(2025, 1, 1))
    assert {i.status for i in items if i.step.number <= 22} == {DONE}
    assert {i.status for i in items if i.step.number > 22} == {VOID}
    assert summarize(items, date(2025, 1, 1)).status == DONE
    # audited: the cancellation, the membership ended, the person's status, the case closed
    assert AuditEvent.objects.filter(
        object_type="development.probationcancellation", object_id=str(cancellation.pk), action="create"
    ).exists()
    ended = AuditEvent.objects.filter(object_type="people.membership", object_id=str(membership.pk), action="update")
    assert any(e.after.get("end_cause") == EndCause.CANCELLED for e in ended)
    closed = AuditEvent.objects.filter(object_type="development.development", object_id=str(dev.pk), action="update")
    assert closed.filter(detail__cancellation_id=cancellation.pk).exists()


def test_the_bulk_status_and_the_repair_keep_a_cancelled_case_closed(world):
    dev = through(world, 22)
    _cancel(world, dev)
    today = date(2025, 1, 1)
    state = bulk_status(Development.objects.filter(pk=dev.pk), today)[dev.pk]
    fresh = Development.objects.get(pk=dev.pk)  # ``dev`` cached "no cancellation" when the case was opened
    assert state.summary.status == summarize(timeline(fresh, today), today).status == DONE
    Development.objects.filter(pk=dev.pk).update(status=CaseStatus.OPEN, next_step=23)
    refresh_all(Development.objects.filter(pk=dev.pk), today)
    dev.refresh_from_db()
    assert (dev.status, dev.next_step, dev.stage) == (CaseStatus.CLOSED, None, "probationary")


def test_cancellation_is_refused_for_a_case_that_is_not_probationary(world):
    dev = through(world, 16)  # the branch meeting admitted, the upper committee has not approved
    with pytest.raises(ValidationError, match="只有预备党员"):
        _cancel(world, dev)
    assert dev.steps.count() == 16
    assert not ProbationCancellation.objects.exists()


def test_cancellation_is_refused_after_the_conversion_was_approved_and_twice(world):
    sec = world[1]
    dev = through(world, 22)
    services.record_step(
        sec, dev.pk, 23, {"done_on": date(2024, 9, 5), "votes_due": 9, "votes_present": 8, "votes_yes": 7}
    )
    services.record_step(sec, dev.pk, 24, {"done_on": date(2024, 9, 20)})  # converted: a full member now
    with pytest.raises(ValidationError, match="只有预备党员"):
        _cancel(world, dev)
    assert Membership.objects.current().get(person=dev.person).status == "full"

    other = through_second(world)
    _cancel(world, other)
    with pytest.raises(ValidationError, match="只有预备党员"):
        _cancel(world, other)
    assert ProbationCancellation.objects.filter(development=other).count() == 1


def through_second(world):
    from dangjian.testing import make_person

    t = world[0]
    person = make_person("吴取消", department=t.dept1, birth=date(1996, 3, 1))
    return through((t, world[1], world[2], world[3], person, world[5], world[6]), 22)


@pytest.mark.parametrize(
    ("meeting_on", "approved_on", "field"),
    [
        (date(2023, 9, 4), APPROVED, "讨论日期"),  # before the meeting that admitted
        (DISCUSSED, date(2024, 9, 5), "审批日期"),  # approved before it was discussed
        (DISCUSSED, date(2099, 1, 1), "审批日期"),  # in the future
    ],
)
def test_cancellation_dates_are_checked(world, meeting_on, approved_on, field):
    dev = through(world, 22)
    with pytest.raises(ValidationError, match=field):
        _cancel(world, dev, meeting_on, approved_on)
    with pytest.raises(ValidationError, match="理由"):
        _cancel(world, dev, reason="  ")
    assert Membership.objects.current().filter(person=dev.person).exists()


def test_cancellation_form_asks_for_confirmation_and_is_out_of_scope_404(world, client):
    t, sec, sec2, *_ = world
    dev = through(world, 22)
    client.force_login(sec)
    page = client.get(reverse("development:detail", args=[dev.pk])).content.decode()
    assert 'id="cancellation-form"' in page and "确定记录吗" in page
    url = reverse("development:cancellation", args=[dev.pk])
    data = {"meeting_on": "2024-09-06", "approved_on": "2024-09-20", "reason": REASON}
    # not confirmed on the server: nothing happens
    response = client.post(url, data)
    assert response.status_code == 200 and not ProbationCancellation.objects.exists()
    client.force_login(sec2)
    assert client.post(url, {**data, "confirm": "on"}).status_code == 404
    assert not ProbationCancellation.objects.exists()
    client.force_login(sec)
    response = client.post(url, {**data, "confirm": "on"})
    assert response.status_code == 302
    page = client.get(reverse("development:detail", args=[dev.pk])).content.decode()
    assert 'id="cancellation"' in page and REASON in page and "已取消预备党员资格" in page
    assert 'id="cancellation-form"' not in page and 'id="step-form"' not in page
    assert "不再办理" in page


def test_the_case_api_shows_the_cancellation_read_only(world, client):
    from dangjian.accounts.models import ApiToken

    dev = through(world, 22)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(world[1])}"}
    url = f"/api/v1/development/cases/{dev.pk}"
    assert client.get(url, **headers).json()["cancellation"] is None
    cancellation = _cancel(world, dev)
    body = client.get(url, **headers).json()
    assert body["status"] == "closed" and body["cancellation"] == {
        "id": cancellation.pk,
        "meeting_on": "2024-09-06",
        "approved_on": "2024-09-20",
        "reason": REASON,
    }


def test_the_conversions_register_prints_the_meeting_and_approval_of_a_recorded_cancellation(world):
    """The 预备党员转正名册 lists the year's cancellation with the branch meeting's and the committee's days and the
    reason recorded on the case, not the day the membership ended in both columns."""
    from dangjian.core.contributions import Period
    from dangjian.development.year_record import ConversionsRegister

    dev = through(world, 22)
    _cancel(world, dev)
    lines = ConversionsRegister().records(dev.branch, Period.year(2024))
    (line,) = [d for d in lines if d.name == dev.person.name and d.action == str(EndCause.CANCELLED.label)]
    assert (line.decided, line.approved, line.note) == (DISCUSSED, APPROVED, REASON)


def test_nothing_more_is_recorded_on_a_cancelled_case(world):
    """After the cancellation the case is finished: no extension of probation (第32条 applies to a probationary
    member), no override of a step and no new contact, whichever endpoint is called."""
    t, sec, _sec2, office, _applicant, _a, b = world
    dev = through(world, 22)
    _cancel(world, dev)
    with pytest.raises(ValidationError, match="已取消预备党员资格"):
        services.extend_probation(sec, dev.pk, 6, date(2024, 10, 8), "再考察")
    with pytest.raises(ValidationError, match="已取消预备党员资格"):
        services.override(office, dev.pk, "conversion_meeting", "例外")
    with pytest.raises(ValidationError, match="已取消预备党员资格"):
        services.add_contact(sec, dev.pk, b.pk, "training_contact")
    dev.refresh_from_db()
    assert (dev.status, dev.probation_extensions.count(), dev.overrides.count()) == (CaseStatus.CLOSED, 0, 0)


def test_a_probationary_membership_ended_another_way_offers_no_cancellation(world, client):
    t, sec, *_ = world
    dev = through(world, 22)
    people_services.end_membership(dev.person, on=date(2024, 9, 1), reason="病故", cause=EndCause.DIED)
    client.force_login(sec)
    page = client.get(reverse("development:detail", args=[dev.pk])).content.decode()
    assert 'id="cancellation-form"' not in page
    with pytest.raises(ValidationError, match="没有预备党员的组织关系"):
        _cancel(world, dev)
    assert not ProbationCancellation.objects.exists()
