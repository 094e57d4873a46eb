"""不计入应到会人数 (issue 12 §2): exemptions from 应到会 approved by the upper organisation.

Practice, not a central article (参考做法 S): provincial organisation departments' guides on 三会一课 say
"因病长期请假、出国出境半年以上...经上级党组织批准，可不计算在应到会人数内".
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangjian.audit.models import AuditEvent
from dangjian.meetings import exemptions, services
from dangjian.meetings.models import Attendance, AttendanceExemption
from dangjian.testing import make_member, make_tree, make_user

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def world():
    t = make_tree()
    full = [make_member(t.branch1, f"正{i}") for i in range(4)]
    sec = make_user("sec", "secretary", t.branch1, person=full[0])
    return t, full, sec


def plan(sec, org, day: date):
    start = datetime(day.year, day.month, day.day, 14, tzinfo=TZ)
    times = {"starts_at": start, "ends_at": start + timedelta(hours=2)}
    return services.plan_meeting(sec, org.pk, {"kind": "members_meeting", "title": "党员大会", **times})


def data(t, person, **extra):
    return {
        "person_id": person.pk,
        "reason": "abroad",
        "starts_on": date(2026, 3, 1),
        "ends_on": None,
        "approved_by_id": t.general.pk,
        "approved_on": date(2026, 2, 20),
        "document_number": "一总支〔2026〕3号",
        **extra,
    }


def row(meeting, person) -> Attendance:
    return meeting.attendances.get(person=person)


def test_an_exempted_member_is_listed_outside_the_count_and_may_still_check_in(world, settings):
    """参考做法 S: 经上级党组织批准，可不计算在应到会人数内 — 4 members, one abroad: 3 due with a vote, so 2 present
    make the quorum (半数以上, 支部工作条例 第十一条), and the exempted member may still sign in."""
    t, full, sec = world
    exemptions.record_exemption(sec, t.branch1.pk, data(t, full[3]))
    before = plan(sec, t.branch1, date(2026, 2, 28))
    assert row(before, full[3]).expected is True  # the day before the period: still due
    m = plan(sec, t.branch1, date(2026, 3, 1))
    r = row(m, full[3])
    assert (r.expected, r.exemption_id is not None) == (False, True)
    services.mark_held(sec, m.pk)
    services.set_attendance(sec, m.pk, {full[0].pk: ("present", ""), full[1].pk: ("present", "")})
    assert services.quorum(m) == (3, 2, True)
    user = make_user("abroad", "member", t.branch1, person=full[3])
    settings.CHECKIN_WINDOW_MINUTES = 10**7
    assert services.check_in(user, m.checkin_token).status == "present"
    assert services.quorum(m) == (3, 2, True)  # present, but outside the count


def test_an_exemption_for_one_meeting_takes_the_member_out_of_its_open_list_and_withdrawal_puts_them_back(world):
    t, full, sec = world
    m = plan(sec, t.branch1, date(2026, 3, 5))
    other = plan(sec, t.branch1, date(2026, 3, 6))
    e = exemptions.record_exemption(
        sec, t.branch1.pk, data(t, full[2], meeting_id=m.pk, starts_on=None, reason="long_illness")
    )
    assert row(m, full[2]).exemption_id == e.pk and row(m, full[2]).expected is False
    assert row(other, full[2]).expected is True
    assert AuditEvent.objects.filter(object_type="meetings.attendanceexemption", action="create").exists()
    with pytest.raises(ValidationError):
        exemptions.withdraw_exemption(sec, e.pk, " ")
    exemptions.withdraw_exemption(sec, e.pk, "误登记")
    assert row(m, full[2]).expected is True and row(m, full[2]).exemption_id is None
    e = AttendanceExemption.all_objects.get(pk=e.pk)
    assert e.deleted_at is not None and e.withdrawn_reason == "误登记"
    assert not AttendanceExemption.objects.filter(pk=e.pk).exists()


def test_a_list_whose_minutes_are_recorded_keeps_its_count(world):
    t, full, sec = world
    m = plan(sec, t.branch1, date(2026, 3, 5))
    services.mark_held(sec, m.pk)
    services.set_attendance(sec, m.pk, {p.pk: ("present", "") for p in full[:3]})
    services.record_minutes(sec, m.pk, "<p>记录</p>", [])
    exemptions.record_exemption(sec, t.branch1.pk, data(t, full[3], starts_on=date(2026, 3, 1)))
    assert row(m, full[3]).expected is True


@pytest.mark.parametrize(
    ("approver", "message"),
    [("branch1", "上级党组织"), ("branch2", "上级党组织"), ("group1", "上级党组织")],
)
def test_the_approver_must_be_an_organisation_above_the_branch(world, approver, message):
    """上级党组织批准: the branch itself, a sibling branch or its own party group cannot approve."""
    t, full, sec = world
    with pytest.raises(ValidationError, match=message):
        exemptions.record_exemption(sec, t.branch1.pk, data(t, full[3], approved_by_id=getattr(t, approver).pk))
    assert exemptions.record_exemption(sec, t.branch1.pk, data(t, full[3], approved_by_id=t.root.pk)).pk


def test_the_period_ends_on_or_after_its_start_and_the_person_is_a_member_of_the_branch(world):
    t, full, sec = world
    with pytest.raises(ValidationError, match="截止日期不能早于起始日期"):
        exemptions.record_exemption(sec, t.branch1.pk, data(t, full[3], ends_on=date(2026, 2, 28)))
    assert exemptions.record_exemption(sec, t.branch1.pk, data(t, full[3], ends_on=date(2026, 3, 1))).pk
    outsider = make_member(t.branch2, "乙")
    with pytest.raises(ValidationError, match="不是本支部党员"):
        exemptions.record_exemption(sec, t.branch1.pk, data(t, outsider))
    with pytest.raises(ValidationError, match="不是本支部党员"):  # the membership starts after the period
        exemptions.record_exemption(sec, t.branch1.pk, data(t, full[2], starts_on=date(2014, 1, 1)))


def test_another_branch_secretary_cannot_record_or_withdraw(world):
    from django.http import Http404

    t, full, sec = world
    sec2 = make_user("sec2", "secretary", t.branch2)
    with pytest.raises(Http404):
        exemptions.record_exemption(sec2, t.branch1.pk, data(t, full[3]))
    e = exemptions.record_exemption(sec, t.branch1.pk, data(t, full[3]))
    with pytest.raises(Http404):
        exemptions.withdraw_exemption(sec2, e.pk, "x")


def test_the_pages_list_record_and_withdraw(client, world):
    t, full, sec = world
    client.force_login(sec)
    url = reverse("meetings:exemption_create") + f"?org={t.branch1.pk}"
    form = {
        "person": full[3].pk,
        "reason": "detained",
        "starts_on": "2026-03-01",
        "approved_by": t.general.pk,
        "approved_on": "2026-02-20",
        "document_number": "一总支〔2026〕5号",
    }
    response = client.post(url, {**form, "approved_by": t.branch1.pk})
    assert response.status_code == 200  # the branch itself is not among the approvers offered
    assert not AttendanceExemption.objects.exists()
    assert client.post(url, form).status_code == 302
    e = AttendanceExemption.objects.get()
    page = client.get(reverse("meetings:exemptions"), {"org": t.branch1.pk, "q": "正3"}).content.decode()
    assert f'data-exemption="{e.pk}"' in page and "被羁押" in page
    assert f'data-exemption="{e.pk}"' not in client.get(reverse("meetings:exemptions"), {"q": "正1"}).content.decode()
    ended = client.get(reverse("meetings:exemptions"), {"state": "ended"}).content.decode()
    assert f'data-exemption="{e.pk}"' not in ended
    withdraw = reverse("meetings:exemption_withdraw", args=[e.pk])
    assert client.get(withdraw).status_code == 200
    assert client.post(withdraw, {"reason": "已回国"}).status_code == 302
    assert not AttendanceExemption.objects.exists()


def test_the_meeting_page_marks_the_exempted_member(client, world):
    t, full, sec = world
    exemptions.record_exemption(sec, t.branch1.pk, data(t, full[3]))
    m = plan(sec, t.branch1, date(2026, 3, 2))
    client.force_login(sec)
    html = client.get(reverse("meetings:detail", args=[m.pk])).content.decode()
    line = next(part for part in html.split("<tr") if f'data-person="{full[3].pk}"' in part)
    assert "不计入应到会" in line


def test_the_api_lists_and_records_exemptions_in_scope(client, personas):
    """The same service as the page: an approver that is the branch itself is refused (422, 上级党组织批准)."""
    t = personas.tree
    sec, other = personas.auth(personas.secretary), personas.auth(personas.other_secretary)
    member = personas.member.person
    body = {
        "organization_id": t.branch1.pk,
        "person_id": member.pk,
        "reason": "working_away",
        "starts_on": "2026-01-01",
        "approved_by_id": t.branch1.pk,
        "approved_on": "2026-01-01",
        "document_number": "一总支〔2026〕7号",
    }
    url = "/api/v1/attendance-exemptions"
    refused = client.post(url, body, content_type="application/json", **sec)
    assert refused.status_code == 422 and "上级党组织" in refused.json()["detail"][0]["message"]
    body["approved_by_id"] = t.general.pk
    assert client.post(url, body, content_type="application/json", **other).status_code == 404
    made = client.post(url, body, content_type="application/json", **sec)
    assert made.status_code == 201 and made.json()["name"] == "甲二"
    assert [e["person_id"] for e in client.get(url, **sec).json()["items"]] == [member.pk]
    assert client.get(f"{url}?state=ended", **sec).json()["count"] == 0
    assert client.get(url, **other).json()["count"] == 0
    assert client.get(f"{url}?organization={t.branch1.pk}", **other).status_code == 404


def test_the_list_page_query_count_does_not_grow_with_its_rows(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    t, full, sec = world
    client.force_login(sec)
    exemptions.record_exemption(sec, t.branch1.pk, data(t, full[1]))

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("meetings:exemptions"), {"state": "all"}).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for p in full[2:]:
        exemptions.record_exemption(sec, t.branch1.pk, data(t, p, reason="long_illness"))
    assert count() == before
