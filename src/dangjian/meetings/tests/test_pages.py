from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.audit.models import AuditEvent
from dangjian.meetings import services
from dangjian.meetings.models import Attendance, Meeting, MeetingStatus
from dangjian.testing import make_user

from .test_pages_world import held_with_quorum, make_world, plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def titles(response) -> list[str]:
    return [m.title for m in response.context["page"].object_list]


# --- list -------------------------------------------------------------------------------------------------------


def test_the_list_shows_meetings_in_scope_newest_first(client, world):
    w = world
    now = timezone.now()
    plan(w.sec1, w.t.branch1, title="旧会", start=now - timedelta(days=30))
    plan(w.sec1, w.t.branch1, title="新会", start=now - timedelta(days=1))
    plan(w.sec2, w.t.branch2, title="别的支部")
    client.force_login(w.sec1)
    response = client.get(reverse("meetings:list"))
    assert titles(response) == ["新会", "旧会"]
    html = response.content.decode()
    assert "安排会议" in html and "别的支部" not in html


def test_the_list_filters_by_subtree_kind_status_dates_and_title(client, world):
    w = world
    office = make_user("office", "office", w.t.root)
    now = timezone.now()
    a = plan(w.sec1, w.t.branch1, title="一支部党员大会", start=now - timedelta(days=40))
    plan(w.sec1, w.t.group1, kind="group_meeting", title="小组学习", start=now - timedelta(days=20))
    plan(w.sec2, w.t.branch2, kind="lecture", title="二支部党课", start=now - timedelta(days=10))
    client.force_login(office)
    url = reverse("meetings:list")
    assert set(titles(client.get(url, {"org": w.t.branch1.pk}))) == {"一支部党员大会", "小组学习"}
    assert set(titles(client.get(url, {"org": w.t.general.pk}))) == {"一支部党员大会", "小组学习", "二支部党课"}
    assert titles(client.get(url, {"kind": "lecture"})) == ["二支部党课"]
    assert titles(client.get(url, {"q": "学习"})) == ["小组学习"]
    start = (now - timedelta(days=25)).date().isoformat()
    end = (now - timedelta(days=15)).date().isoformat()
    assert titles(client.get(url, {"date_from": start, "date_to": end})) == ["小组学习"]
    services.mark_held(w.sec1, a.pk)
    assert titles(client.get(url, {"status": "held"})) == ["一支部党员大会"]
    bad = client.get(url, {"date_from": end, "date_to": start})
    assert "结束日期不能早于开始日期" in bad.content.decode()


def test_the_list_has_an_empty_state_and_pages(client, world):
    w = world
    client.force_login(w.sec1)
    html = client.get(reverse("meetings:list")).content.decode()
    assert 'id="meetings-empty"' in html and "安排会议" in html
    start = timezone.now() - timedelta(days=100)
    for i in range(35):
        Meeting.objects.create(
            organization=w.t.branch1, kind="theme_day", title=f"主题党日{i:02d}", starts_at=start + timedelta(days=i),
            ends_at=start + timedelta(days=i, hours=1),
        )  # fmt: skip
    first = client.get(reverse("meetings:list"))
    assert len(first.context["page"].object_list) == 30 and titles(first)[0] == "主题党日34"
    second = client.get(reverse("meetings:list"), {"page": 2})
    assert titles(second)[-1] == "主题党日00"
    assert "第 1 / 2 页" in first.content.decode()


def test_a_member_sees_only_meetings_they_are_due_at_and_only_their_own_attendance(client, world):
    w = world
    mine = plan(w.sec1, w.t.group1, kind="group_meeting", title="我的小组会")  # full[1] is in group1
    other = plan(w.sec1, w.t.branch1, kind="committee_meeting", title="支委会")  # no term: nobody is due
    services.set_attendance(w.sec1, mine.pk, {w.full[0].pk: ("excused", "出差")})
    client.force_login(w.member)
    response = client.get(reverse("meetings:list"))
    assert titles(response) == ["我的小组会"]
    html = response.content.decode()
    assert "安排会议" not in html and "我的出席" in html
    detail = client.get(reverse("meetings:detail", args=[mine.pk]))
    assert detail.status_code == 200
    page = detail.content.decode()
    assert "正式1" in page and "正式0" not in page and "出差" not in page  # nobody else's line
    assert 'id="my-attendance"' in page and 'id="attendance-form"' not in page and "<svg" not in page
    assert client.get(reverse("meetings:detail", args=[other.pk])).status_code == 404
    for name in ("edit", "attendance", "minutes", "cancel", "qr"):
        assert client.get(reverse(f"meetings:{name}", args=[mine.pk])).status_code == 404, name
    assert client.get(reverse("meetings:create")).status_code == 404


# --- scope ------------------------------------------------------------------------------------------------------


def test_the_secretary_of_another_branch_gets_404_on_every_meeting_url(client, world, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dangjian.meetings.attachments import add_attachment

    settings.MEDIA_ROOT = tmp_path
    w = world
    m = plan(w.sec1, w.t.branch1)
    att = add_attachment(w.sec1, m.pk, SimpleUploadedFile("a.pdf", b"%PDF-1.4 test"))
    client.force_login(w.sec2)
    urls = [
        reverse(f"meetings:{name}", args=[m.pk])
        for name in ("detail", "edit", "attendance", "held", "minutes", "lock", "amend", "cancel", "qr")
    ]
    urls += [reverse("meetings:attachment_upload", args=[m.pk])]
    urls += [reverse(f"meetings:{n}", args=[m.pk, att.pk]) for n in ("attachment", "attachment_remove")]
    for url in urls:
        assert client.get(url).status_code in (404, 405), url
        assert client.post(url, {"reason": "x", "minutes": "x"}).status_code == 404, url
    m.refresh_from_db()
    assert m.status == MeetingStatus.PLANNED
    # the same attachment id under a meeting of sec2's own branch is not found either
    own = plan(w.sec2, w.t.branch2)
    assert client.get(reverse("meetings:attachment", args=[own.pk, att.pk])).status_code == 404


# --- plan and edit ----------------------------------------------------------------------------------------------


def _plan_data(org, **extra):
    data = {
        "organization": org.pk,
        "kind": "members_meeting",
        "title": "学习贯彻全会精神",
        "starts_at": "2026-03-10T14:00",
        "ends_at": "2026-03-10T16:00",
        "place": "三楼会议室",
        "agenda": "一、传达学习\n二、讨论",
        "study_materials": "",
    }
    data.update(extra)
    return data


def test_planning_a_meeting_takes_the_roster_and_validates_in_chinese(client, world):
    w = world
    client.force_login(w.sec1)
    url = reverse("meetings:create")
    page = client.get(url, {"org": w.t.branch1.pk})
    html = page.content.decode()
    assert "正式2" in html and "预备甲" in html and "乙二" not in html  # members of the chosen branch to host
    orgs = {o.pk for o in page.context["form"].fields["organization"].queryset}
    assert orgs == {w.t.branch1.pk, w.t.group1.pk}
    bad = client.post(url, _plan_data(w.t.branch1, ends_at="2026-03-10T13:00")).content.decode()
    assert "结束时间必须晚于开始时间" in bad
    outside = client.post(url, _plan_data(w.t.branch2)).content.decode()
    assert "选择一个有效的选项" in outside
    stranger = client.post(url, _plan_data(w.t.branch1, host=w.outsider.pk)).content.decode()
    assert "选择一个有效的选项" in stranger
    assert not Meeting.objects.exists()
    response = client.post(url, _plan_data(w.t.branch1, host=w.full[0].pk, recorder=w.full[2].pk))
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("meetings:detail", args=[meeting.pk])
    assert meeting.host == w.full[0] and meeting.recorder == w.full[2] and meeting.starts_at.hour == 6  # 14:00 CST
    assert meeting.attendances.count() == 5
    assert AuditEvent.objects.filter(object_type="meetings.meeting", object_id=str(meeting.pk)).exists()


def test_choosing_another_organisation_reloads_the_people_lists(client, world):
    w = world
    client.force_login(w.sec1)
    response = client.get(reverse("meetings:create"), {"organization": w.t.group1.pk}, HTTP_HX_REQUEST="true")
    host = response.context["form"].fields["host"].queryset
    assert {p.name for p in host} == {"正式0", "正式1"}
    assert 'id="people-fields"' in response.content.decode()


def test_editing_keeps_the_organisation_and_refuses_locked_meetings(client, world):
    w = world
    m = plan(w.sec1, w.t.branch1)
    client.force_login(w.sec1)
    url = reverse("meetings:edit", args=[m.pk])
    form = client.get(url).context["form"]
    assert "organization" not in form.fields and "kind" not in form.fields
    start = timezone.localtime(m.starts_at)
    data = {
        "title": "改过的主题",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "place": "新地点",
        "lecturer": w.prob.pk,
    }
    assert client.post(url, data).status_code == 302
    m.refresh_from_db()
    assert (m.title, m.place, m.lecturer) == ("改过的主题", "新地点", w.prob)
    held_with_quorum(w, m)
    services.record_minutes(w.sec1, m.pk, "<p>记录</p>", [])
    services.lock(w.sec1, m.pk)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == reverse("meetings:detail", args=[m.pk])


# --- the meeting page -------------------------------------------------------------------------------------------


def test_the_meeting_page_shows_roster_quorum_qr_and_history_to_the_secretary(client, world):
    w = world
    m = plan(w.sec1, w.t.branch1)
    client.force_login(w.sec1)
    response = client.get(reverse("meetings:detail", args=[m.pk]))
    html = response.content.decode()
    for name in ("正式0", "正式3", "预备甲"):
        assert name in html
    assert "应到有表决权 4 人，实到 0 人" in html and "未达到法定人数" in html
    assert "<svg" in html and reverse("meetings:checkin", args=[m.checkin_token]) in html
    assert "http://testserver/meetings/checkin/" in html  # the QR code carries an absolute URL
    assert "修改记录" in html  # the audit history (audit.object_history)
    assert "标记已召开" in html and "取消会议" in html
    qr = client.get(reverse("meetings:qr", args=[m.pk]))
    assert qr.status_code == 200 and "<svg" in qr.content.decode() and "已签到 0 / 应到 5 人" in qr.content.decode()
    leader = make_user("leader", "leader", w.t.root)
    client.force_login(leader)
    html = client.get(reverse("meetings:detail", args=[m.pk])).content.decode()
    assert "正式3" in html and "<svg" not in html and "标记已召开" not in html and "修改记录" not in html


def test_attendance_is_saved_through_the_form_and_an_excuse_needs_a_reason(client, world):
    w = world
    m = plan(w.sec1, w.t.branch1)
    client.force_login(w.sec1)
    url = reverse("meetings:attendance", args=[m.pk])
    data = {f"p{a.person_id}-status": "present" for a in m.attendances.all()}
    data.update({f"p{a.person_id}-reason": "" for a in m.attendances.all()})
    data[f"p{w.full[3].pk}-status"] = "excused"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "请假须填写事由" in response.content.decode()
    assert not Attendance.objects.filter(meeting=m, status="present").exists()
    data[f"p{w.full[3].pk}-reason"] = "外出开会"
    data[f"p{w.prob.pk}-status"] = "elsewhere"
    response = client.post(url, data)
    assert response.status_code == 302
    rows = {a.person_id: (a.status, a.reason) for a in m.attendances.all()}
    assert rows[w.full[3].pk] == ("excused", "外出开会") and rows[w.prob.pk] == ("elsewhere", "")
    html = client.get(reverse("meetings:detail", args=[m.pk])).content.decode()
    assert "应到有表决权 4 人，实到 3 人" in html and "已达到法定人数" in html
    bogus = dict(data, **{f"p{w.full[0].pk}-status": "dancing"})
    assert client.post(url, bogus).status_code == 200  # an unknown status is a form error, not a crash


def test_attendance_saved_with_htmx_returns_the_refreshed_section(client, world):
    w = world
    m = plan(w.sec1, w.t.branch1)
    client.force_login(w.sec1)
    data = {f"p{a.person_id}-status": "present" for a in m.attendances.all()}
    response = client.post(reverse("meetings:attendance", args=[m.pk]), data, HTTP_HX_REQUEST="true", follow=True)
    assert response.status_code == 200
    assert "实到 4 人" in response.content.decode()


def minutes_data(text: str, resolutions: list[tuple[str, int, int, int]]) -> dict:
    """What the browser posts: three resolution rows, the unused ones left blank with zero votes."""
    data = {"minutes": text, "res-TOTAL_FORMS": "3", "res-INITIAL_FORMS": "0"}
    data.update({"res-MIN_NUM_FORMS": "0", "res-MAX_NUM_FORMS": "20"})
    for i in range(3):
        title, yes, no, abstain = resolutions[i] if i < len(resolutions) else ("", 0, 0, 0)
        data.update({f"res-{i}-title": title, f"res-{i}-yes": yes, f"res-{i}-no": no, f"res-{i}-abstain": abstain})
    return data


def test_the_lifecycle_through_the_pages(client, world):
    w = world
    m = plan(w.sec1, w.t.branch1)
    client.force_login(w.sec1)
    detail = reverse("meetings:detail", args=[m.pk])
    assert client.get(reverse("meetings:minutes", args=[m.pk])).status_code == 302  # not held yet
    assert client.get(reverse("meetings:held", args=[m.pk])).status_code == 405
    assert client.post(reverse("meetings:held", args=[m.pk])).status_code == 302
    m.refresh_from_db()
    assert m.status == MeetingStatus.HELD
    url = reverse("meetings:minutes", args=[m.pk])
    data = minutes_data("第一段\n第二行\n\n第二段 <script>alert(1)</script>", [("同意甲同志转正", 3, 0, 0)])
    refused = client.post(url, data).content.decode()
    assert "到会不足半数，不能表决：应到有表决权 4 人，实到 0 人" in refused
    services.set_attendance(w.sec1, m.pk, {p.pk: ("present", "") for p in w.full[:3]})
    too_many = client.post(url, dict(data, **{"res-0-yes": "9"})).content.decode()
    assert "票数之和超过实到有表决权人数" in too_many
    assert client.post(url, data).status_code == 302
    m.refresh_from_db()
    assert m.status == MeetingStatus.MINUTES_RECORDED
    assert m.minutes == "<p>第一段<br>第二行</p><p>第二段 &lt;script&gt;alert(1)&lt;/script&gt;</p>"
    html = client.get(detail).content.decode()
    assert "同意甲同志转正" in html and "通过" in html and "<script>alert" not in html
    assert client.post(reverse("meetings:lock", args=[m.pk])).status_code == 302
    m.refresh_from_db()
    assert m.status == MeetingStatus.LOCKED and m.locked_by == w.sec1
    html = client.get(detail).content.decode()
    assert "更正" in html and 'id="attendance-form"' not in html and 'id="upload-form"' not in html
    assert client.get(url)["Location"] == reverse("meetings:amend", args=[m.pk])
    amend = reverse("meetings:amend", args=[m.pk])
    assert "第一段\n第二行" in client.get(amend).content.decode()
    no_reason = client.post(amend, {"minutes": "新记录", "reason": ""}).content.decode()
    assert "这个字段是必填项" in no_reason
    assert client.post(amend, {"minutes": "新记录", "reason": "笔误"}).status_code == 302
    html = client.get(detail).content.decode()
    assert "<p>新记录</p>" in html and "笔误" in html
    assert client.get(reverse("meetings:attendance", args=[m.pk])).status_code == 302


def test_marking_a_future_meeting_held_is_refused_with_the_reason(client, world):
    w = world
    m = plan(w.sec1, w.t.branch1, start=timezone.now() + timedelta(days=3))
    client.force_login(w.sec1)
    response = client.post(reverse("meetings:held", args=[m.pk]), follow=True)
    assert "会议尚未开始" in response.content.decode()
    m.refresh_from_db()
    assert m.status == MeetingStatus.PLANNED


def test_cancelling_asks_for_confirmation_and_a_reason(client, world):
    w = world
    m = plan(w.sec1, w.t.branch1, start=timezone.now() + timedelta(days=3))
    client.force_login(w.sec1)
    url = reverse("meetings:cancel", args=[m.pk])
    page = client.get(url).content.decode()
    assert "确定取消吗" in page and "取消原因" in page
    assert "这个字段是必填项" in client.post(url, {"reason": ""}).content.decode()
    assert client.post(url, {"reason": "与上级会议冲突"}).status_code == 302
    m.refresh_from_db()
    assert m.status == MeetingStatus.CANCELLED
    assert AuditEvent.objects.filter(object_id=str(m.pk), detail__reason="与上级会议冲突").exists()
    assert "已取消" in client.get(reverse("meetings:detail", args=[m.pk])).content.decode()


def test_a_committee_meeting_expects_the_committee_in_office(client, world):
    from dangjian.orgs.services import record_term

    w = world
    office = make_user("office", "office", w.t.root)
    record_term(office, w.t.branch1.pk, date(2025, 1, 1), [(w.full[0].pk, "secretary"), (w.full[2].pk, "organizer")])
    m = plan(w.sec1, w.t.branch1, kind="committee_meeting", title="支委会")
    client.force_login(w.sec1)
    html = client.get(reverse("meetings:detail", args=[m.pk])).content.decode()
    assert "应到有表决权 2 人" in html and "正式3" not in html
