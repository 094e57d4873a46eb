from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from dangjian.audit.models import AuditEvent
from dangjian.meetings import services
from dangjian.meetings.models import Attendance, Meeting, MeetingStatus
from dangjian.orgs.services import record_term
from dangjian.testing import make_member, make_tree, make_user

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def branch():
    t = make_tree()
    full = [make_member(t.branch1, f"正{i}", group=t.group1 if i < 2 else None) for i in range(4)]
    prob = make_member(t.branch1, "预备", status="probationary")
    sec = make_user("sec", "secretary", t.branch1, person=full[0])
    return t, full, prob, sec


def plan(sec, org, kind="members_meeting", start=None):
    start = start or datetime(2026, 3, 10, 14, tzinfo=TZ)
    return services.plan_meeting(
        sec, org.pk, {"kind": kind, "title": "测试会议", "starts_at": start, "ends_at": start + timedelta(hours=2)}
    )


def test_the_roster_on_the_meeting_date_gives_attendees_and_votes(branch):
    t, full, prob, sec = branch
    m = plan(sec, t.branch1)
    rows = {a.person_id: a.voting for a in m.attendances.all()}
    assert set(rows) == {p.pk for p in full} | {prob.pk}
    assert rows[prob.pk] is False and all(rows[p.pk] for p in full)
    group = plan(sec, t.group1, kind="group_meeting")
    assert {a.person_id for a in group.attendances.all()} == {full[0].pk, full[1].pk}


def test_a_committee_meeting_expects_the_committee_in_office(branch):
    t, full, prob, sec = branch
    office = make_user("office", "office", t.root)
    record_term(office, t.branch1.pk, date(2025, 1, 1), [(full[0].pk, "secretary"), (full[1].pk, "organizer")])
    m = plan(sec, t.branch1, kind="committee_meeting")
    assert {a.person_id for a in m.attendances.all()} == {full[0].pk, full[1].pk}


def test_a_resolution_is_refused_without_a_quorum_and_accepted_with_one(branch):
    """支部工作条例 art. 11: 表决必须有半数以上有表决权的党员到会方可进行 (1 of 4 is below half; 3 of 4 is not)."""
    t, full, prob, sec = branch
    m = plan(sec, t.branch1)
    services.mark_held(sec, m.pk)
    services.set_attendance(sec, m.pk, {full[0].pk: ("present", ""), prob.pk: ("present", "")})
    with pytest.raises(ValidationError, match="到会不足半数，不能表决"):
        services.record_minutes(sec, m.pk, "<p>记录</p>", [{"title": "事项", "yes": 1, "no": 0, "abstain": 0}])
    services.set_attendance(sec, m.pk, {full[1].pk: ("present", ""), full[2].pk: ("present", "")})
    services.record_minutes(
        sec,
        m.pk,
        "<p>记录</p><script>alert(1)</script>",
        [
            {"title": "同意甲同志转正", "yes": 3, "no": 0, "abstain": 0},
            {"title": "另一事项", "yes": 2, "no": 1, "abstain": 0},
        ],
    )
    m.refresh_from_db()
    assert m.status == MeetingStatus.MINUTES_RECORDED and "script" not in m.minutes
    passed = dict(m.resolutions.values_list("title", "passed"))
    assert passed == {"同意甲同志转正": True, "另一事项": False}  # 4 due: 3 yes passes, 2 yes does not


def test_excused_needs_a_reason(branch):
    t, full, prob, sec = branch
    m = plan(sec, t.branch1)
    with pytest.raises(ValidationError, match="事由"):
        services.set_attendance(sec, m.pk, {full[1].pk: ("excused", " ")})


def test_locked_minutes_change_only_by_amendment(branch):
    t, full, prob, sec = branch
    m = plan(sec, t.branch1)
    services.mark_held(sec, m.pk)
    services.set_attendance(sec, m.pk, {p.pk: ("present", "") for p in full})
    services.record_minutes(sec, m.pk, "<p>原记录</p>", [])
    services.lock(sec, m.pk)
    with pytest.raises(ValidationError, match="归档"):
        services.update_meeting(sec, m.pk, {"title": "改标题"})
    with pytest.raises(ValidationError, match="原因"):
        services.amend(sec, m.pk, "<p>新记录</p>", "")
    amendment = services.amend(sec, m.pk, "<p>新记录</p>", "笔误")
    m.refresh_from_db()
    assert m.minutes == "<p>新记录</p>" and amendment.before == "<p>原记录</p>"
    assert AuditEvent.objects.filter(object_id=str(m.pk), detail__amendment="笔误").exists()


def test_check_in_is_once_only_and_only_in_the_window(branch):
    t, full, prob, sec = branch
    m = plan(sec, t.branch1)
    member = make_user("m1", "member", person=full[1])
    early = m.starts_at - timedelta(minutes=31)
    with pytest.raises(ValidationError, match="签到时间"):
        services.check_in(member, m.checkin_token, now=early)
    first = services.check_in(member, m.checkin_token, now=m.starts_at)
    again = services.check_in(member, m.checkin_token, now=m.starts_at + timedelta(minutes=5))
    assert first.checked_in_at == again.checked_in_at == m.starts_at
    assert Attendance.objects.get(pk=first.pk).status == "present"
    outsider = make_user("out", "member", person=make_member(t.branch2, "外人"))
    with pytest.raises(ValidationError, match="应到名单"):
        services.check_in(outsider, m.checkin_token, now=m.starts_at)


def test_a_secretary_cannot_plan_for_another_branch(branch):
    t, full, prob, sec = branch
    with pytest.raises(Http404):
        plan(sec, t.branch2)
    assert not Meeting.objects.exists()
