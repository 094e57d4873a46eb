"""A member's first day on a phone (issue 13 §5): the branch secretary opens the members' accounts and hands out the
sheet; a member logs in with the one-time password, must choose their own, then finds the next meeting, checks in
with the meeting's QR link, and opens their dues and study hours."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.accounts.models import RoleAssignment, User
from dangjian.meetings import services as meetings
from dangjian.meetings.models import Attendance
from dangjian.testing import PASSWORD, make_member, make_tree, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Zhang@2026!own"


@pytest.fixture
def world():
    t = make_tree()
    secretary = make_member(t.branch1, "林书记", department=t.dept1)
    zhang = make_member(t.branch1, "张三", department=t.dept1)
    make_member(t.branch1, "李四", department=t.dept1)
    make_member(t.branch2, "王五", department=t.dept2)  # another branch: not hers
    sec = make_user("sec1", "secretary", t.branch1, person=secretary)
    start = timezone.now() + timedelta(minutes=5)  # about to start: check-in is open
    times = {"starts_at": start, "ends_at": start + timedelta(hours=1)}
    data = {"kind": "members_meeting", "title": "十二月支部党员大会", **times}
    meeting = meetings.plan_meeting(sec, t.branch1.pk, data)
    return t, zhang, meeting


def test_a_secretary_opens_accounts_and_a_member_starts_on_a_phone(phone, live_server, world, tmp_path):
    t, zhang, meeting = world
    base = live_server.url
    phone.on("dialog", lambda dialog: dialog.accept())  # the "确定为 2 人开通账号？" confirmation

    # the secretary, on her phone: the menu offers the page, the preview lists her branch's members without accounts
    login(phone, base, "sec1", PASSWORD)
    phone.click(".menu-toggle")
    phone.click("#mainnav summary >> text=组织与党员")
    phone.click("#mainnav a[href='/accounts/provision/']")
    phone.wait_for_selector("#provision-preview")
    preview = phone.locator("#provision-preview").inner_text()
    assert "张三" in preview and "李四" in preview and "王五" not in preview
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    phone.check("#id_confirm")
    phone.click("#provision-submit")
    phone.wait_for_selector("#provision-result")
    assert phone.url.endswith("/accounts/provision/result/")

    # she reads 张三's username and one-time password, and downloads the sheet to print
    row = phone.locator("#provision-result tbody tr", has_text="张三")
    username = row.locator(".username").inner_text().strip()
    password = row.locator(".password").inner_text().strip()
    account = User.objects.get(person=zhang)
    assert account.username == username and account.must_change_password
    assert list(RoleAssignment.objects.filter(user=account).values_list("role", flat=True)) == ["member"]
    with phone.expect_download() as download:
        phone.click("#download-xlsx")
    path = tmp_path / "sheet.xlsx"
    download.value.save_as(path)
    sheet = load_workbook(path)["一支部"]
    assert [username, password] in [[c.value for c in r][2:4] for r in sheet.iter_rows(min_row=3)]
    phone.click(".menu-toggle")
    phone.click(".usermenu button[type=submit]")  # 退出
    phone.wait_for_url(f"{base}/accounts/login/**")

    # 张三 logs in with it and must choose his own password before anything else
    login(phone, base, username, password)
    assert "/accounts/password/" in phone.url
    phone.fill("#id_old_password", password)
    phone.fill("#id_new_password1", NEW_PASSWORD)
    phone.fill("#id_new_password2", NEW_PASSWORD)
    phone.click("main form button[type=submit]")
    phone.wait_for_url(f"{base}/")
    home = phone.locator("main").inner_text()
    assert phone.locator("main .badge").all_inner_texts() == ["党员"]  # his one role
    assert phone.locator("main a", has_text="我的档案").count() == 1
    # his home lists the next meeting of his branch; its check-in window is open, so the line leads to check-in
    assert meeting.title in home
    line = phone.locator("main a", has_text=meeting.title)
    assert line.count() == 1
    assert line.get_attribute("href") == reverse("meetings:checkin", args=[meeting.checkin_token])

    # in the meeting room he scans the QR code, which opens the check-in page, and checks in
    phone.goto(f"{base}{reverse('meetings:checkin', args=[meeting.checkin_token])}")
    phone.click("#checkin-button")
    assert "签到成功" in phone.locator("#checkin-result").inner_text()
    attendance = Attendance.objects.get(meeting=meeting, person=zhang)
    assert attendance.checked_in_at is not None and attendance.via_qr

    # his dues and his study hours
    phone.goto(f"{base}/dues/")
    assert phone.url.endswith(f"/dues/person/{zhang.pk}/")
    assert "张三" in phone.locator("main").inner_text()
    phone.goto(f"{base}/life/hours/")
    hours = phone.locator("main").inner_text()
    assert "张三" in hours and "李四" not in hours
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
