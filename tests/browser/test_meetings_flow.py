"""A committee meeting from plan to archive: the secretary at a desk, the members on their phones."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dangjian.meetings.models import Attendance, Meeting, MeetingStatus
from dangjian.orgs.services import record_term
from dangjian.testing import PASSWORD, make_member, make_tree, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    t = make_tree()
    secretary = make_member(t.branch1, "林书记", department=t.dept1)
    organizer = make_member(t.branch1, "王组织", department=t.dept1)
    publicity = make_member(t.branch1, "赵宣传", department=t.dept1)
    make_member(t.branch1, "钱普通", department=t.dept1)  # a member, not on the committee
    office = make_user("office", "office", t.root)
    record_term(
        office,
        t.branch1.pk,
        date(2025, 1, 1),
        [(secretary.pk, "secretary"), (organizer.pk, "organizer"), (publicity.pk, "publicity")],
    )
    make_user("sec1", "secretary", t.branch1, person=secretary)
    make_user("wang", "member", person=organizer)
    make_user("zhao", "member", person=publicity)
    return t, secretary, organizer, publicity


def check_in_on_phone(phone, base: str, url: str, username: str) -> str:
    phone.context.clear_cookies()
    phone.goto(url)
    assert "/accounts/login/" in phone.url  # anonymous: log in first, then come back
    phone.fill("#id_username", username)
    phone.fill("#id_password", PASSWORD)
    phone.click("#login-form button[type=submit]")
    phone.wait_for_selector("#checkin-button")
    assert phone.url == url
    phone.click("#checkin-button")
    return phone.locator("#checkin-result").inner_text()


def test_a_secretary_runs_a_committee_meeting_and_members_check_in_by_phone(page, phone, live_server, world):
    t, secretary, organizer, publicity = world
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())  # the "归档" confirmation
    login(page, base, "sec1", PASSWORD)

    # plan: the organisation chosen first reloads the lists of people (htmx)
    page.goto(f"{base}/meetings/")
    page.click("#plan-meeting")
    page.select_option("#id_organization", str(t.branch1.pk))
    page.wait_for_selector(f"#id_host option[value='{secretary.pk}']", state="attached")
    page.select_option("#id_kind", "committee_meeting")
    page.fill("#id_title", "三月支委会")
    start = timezone.localtime() - timedelta(minutes=5)
    page.fill("#id_starts_at", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_ends_at", (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_place", "党员活动室")
    page.select_option("#id_host", str(secretary.pk))
    page.select_option("#id_recorder", str(publicity.pk))
    page.click("#meeting-form button[type=submit]")
    page.wait_for_selector("#meeting-status")
    meeting = Meeting.objects.get(title="三月支委会")
    assert page.url.endswith(f"/meetings/{meeting.pk}/")
    assert page.locator("#meeting-status").inner_text() == "已计划"
    assert page.locator("#attendance-table tbody tr").count() == 3  # the committee in office, not 钱普通
    assert "应到有表决权 3 人，实到 0 人" in page.locator("#quorum").inner_text()
    assert page.locator("#checkin-qr svg").count() == 1

    # two committee members check in on their phones with the URL the QR code carries
    url = page.get_attribute("#checkin-url", "href")
    assert url and meeting.checkin_token in url
    assert "签到成功" in check_in_on_phone(phone, base, url, "wang")
    phone.reload()
    assert "您已签到" in phone.locator("#checkin-result").inner_text()
    assert "签到成功" in check_in_on_phone(phone, base, url, "zhao")
    assert Attendance.objects.filter(meeting=meeting, checked_in_at__isnull=False).count() == 2

    # the secretary records his own attendance in the table (saved in place with htmx)
    page.reload()
    quorum = page.locator("#quorum").inner_text()
    assert "应到有表决权 3 人，实到 2 人" in quorum and "已达到法定人数" in quorum
    status = f"#id_p{secretary.pk}-status"
    page.select_option(status, "excused")
    page.click("#save-attendance")
    page.wait_for_selector("#attendance .errorlist")
    assert "请假须填写事由" in page.locator("#attendance").inner_text()
    assert page.url.endswith(f"/meetings/{meeting.pk}/")  # no page change: only the section was replaced
    page.select_option(status, "present")
    page.click("#save-attendance")
    expect(page.locator("#quorum")).to_contain_text("实到 3 人")
    assert page.locator("#attendance .errorlist").count() == 0

    # held, minutes with a resolution, archive
    page.click("#mark-held")
    page.wait_for_selector("#record-minutes")
    assert page.locator("#meeting-status").inner_text() == "已召开"
    page.click("#record-minutes")
    page.fill("#id_minutes", "林书记传达上级会议精神。\n\n讨论了发展对象的确定。")
    page.fill("#id_res-0-title", "同意确定张某为发展对象")
    page.fill("#id_res-0-yes", "3")
    page.click("#save-minutes")
    page.wait_for_selector("#lock-meeting")
    assert page.locator("#meeting-status").inner_text() == "已记录"
    page.click("#lock-meeting")
    page.wait_for_selector("#amend-meeting")

    assert page.locator("#meeting-status").inner_text() == "已归档"
    assert "已达到法定人数" in page.locator("#quorum").inner_text()
    row = page.locator("#resolutions-table tbody tr").first.inner_text()
    assert "同意确定张某为发展对象" in row and "通过" in row and "未通过" not in row
    assert "讨论了发展对象的确定" in page.locator("#minutes").inner_text()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.LOCKED and meeting.resolutions.get().passed
    assert page.locator("#attendance-form").count() == 0  # a locked record is read-only
