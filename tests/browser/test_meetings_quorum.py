"""A members' meeting with 5 of its 10 members present records a resolution (支部工作条例 art. 11).

表决必须有半数以上有表决权的党员到会方可进行，赞成人数超过应到会有表决权的党员的半数为通过:
半数以上 includes the number, so 5 of 10 may vote; 超过 is strict, so 5 yes of 10 due does not pass.
At 4 of 10 the page says no vote may be taken.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dangjian.meetings import services
from dangjian.meetings.models import MeetingStatus
from dangjian.testing import PASSWORD, make_member, make_tree, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_members_meeting_at_five_of_ten_records_a_resolution(page, live_server):
    t = make_tree()
    members = [make_member(t.branch1, f"党员{i}") for i in range(10)]
    sec = make_user("sec1", "secretary", t.branch1, person=members[0])
    start = timezone.now() - timedelta(minutes=5)
    meeting = services.plan_meeting(
        sec,
        t.branch1.pk,
        {"kind": "members_meeting", "title": "四月党员大会", "starts_at": start, "ends_at": start + timedelta(hours=1)},
    )
    base = live_server.url
    login(page, base, "sec1", PASSWORD)
    page.goto(f"{base}/meetings/{meeting.pk}/")
    assert "应到有表决权 10 人，实到 0 人" in page.locator("#quorum").inner_text()

    for person in members[:4]:
        page.select_option(f"#id_p{person.pk}-status", "present")
    page.click("#save-attendance")
    expect(page.locator("#quorum")).to_contain_text("实到 4 人")
    assert "到会不足半数，不能表决" in page.locator("#quorum").inner_text()

    page.select_option(f"#id_p{members[4].pk}-status", "present")
    page.click("#save-attendance")
    expect(page.locator("#quorum")).to_contain_text("实到 5 人")
    assert "已达到法定人数" in page.locator("#quorum").inner_text()

    page.click("#mark-held")
    page.wait_for_selector("#record-minutes")
    page.click("#record-minutes")
    page.fill("#id_minutes", "讨论本支部年度工作计划。")
    page.fill("#id_res-0-title", "通过年度工作计划")
    page.fill("#id_res-0-yes", "5")
    page.click("#save-minutes")
    page.wait_for_selector("#lock-meeting")
    assert page.locator("#meeting-status").inner_text() == "已记录"
    row = page.locator("#resolutions-table tbody tr").first.inner_text()
    assert "通过年度工作计划" in row and "未通过" in row  # 5 yes of 10 due is not more than half
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.MINUTES_RECORDED and meeting.resolutions.get().passed is False
