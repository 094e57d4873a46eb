"""Every role's home page in Chromium, at desktop and phone (390 px) sizes (issue 13 §2, phone first): it shows that
role's own lines, and nothing runs past the right edge of the screen — long organisation names and long lines wrap.

The accounts are signed in with a session made by Django's test client (the administrators' with the second factor
verified, as ``login_with_second_factor`` does), so the test measures the home page, not the login."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.utils import timezone

from dangjian.appraisal import services as appraisal
from dangjian.audit.services import record
from dangjian.development import services as development
from dangjian.dues import services as dues
from dangjian.meetings import services as meetings
from dangjian.orgs.models import Organization
from dangjian.talks.models import ContactPoint
from dangjian.testing import held_meeting, login_with_second_factor, make_member, make_person, make_tree, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG = "星河无线电计量测试研究所第一研究室微波毫米波计量技术联合党支部"
ADMINS = {"sysadmin", "secadmin", "auditor"}
# each role's account and a line its home must show
EXPECTED = {
    "office": "组织建设",
    "secretary": "待办提醒",
    "member": "现在可签到",
    "applicant": "我的入党进程",
    "leader": "我的联系点",
    "health": "您的角色",
    "care": "您的角色",
    "auditor": "账号锁定",
    "sysadmin": "未关联人员的账号",
    "secadmin": "待授权的账号",
}
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def world():
    t = make_tree()
    Organization.objects.filter(pk=t.branch1.pk).update(name=LONG)
    t.branch1.refresh_from_db()
    office = make_user("office", "office", t.root)
    secretary = make_user("secretary", "secretary", t.branch1, person=make_member(t.branch1, "书记"))
    me = make_member(t.branch1, "欧阳明月")
    for i in range(2):
        make_member(t.branch1, f"同志{i}")
    users = {"office": office, "secretary": secretary}
    users["member"] = make_user("member", "member", t.branch1, person=me)
    today, now = timezone.localdate(), timezone.now()
    meetings.plan_meeting(
        secretary,
        t.branch1.pk,
        {
            "kind": "members_meeting",
            "title": "学习贯彻党的二十届四中全会精神暨年度民主评议党员动员会",
            "starts_at": now + timedelta(minutes=10),
            "ends_at": now + timedelta(hours=2),
            "place": "科研楼三层第一会议室（东侧）",
        },
    )
    dues.set_base(secretary, me.pk, date(today.year, 1, 1), "employee", "5000")
    appraisal.open_appraisal(secretary, t.branch1.pk, today.year)
    applicant = make_person("申请人", department=t.dept1)
    development.open_case(secretary, applicant.pk, t.branch1.pk, today - timedelta(days=20))
    users["applicant"] = make_user("applicant", "member", t.branch1, person=applicant)
    leader = make_member(t.branch2, "所领导")
    users["leader"] = make_user("leader", "leader", t.root, person=leader)
    ContactPoint.objects.create(leader=leader, organization=t.branch1, since=date(2020, 1, 1))
    held_meeting(office, t.branch2, "members_meeting", now - timedelta(hours=3), {leader: "absent"})
    users["health"] = make_user("health", "health_officer", t.root)
    users["care"] = make_user("care", "care_officer", t.root)
    for role in ADMINS:
        users[role] = make_user(role, role)
    make_user("lonely", "member", t.branch1)  # no person: the system administrator's line
    make_user("fresh")  # no role: the security administrator's line
    AccessAttempt.objects.create(
        username="victim",
        ip_address="10.0.0.7",
        failures_since_start=5,
        user_agent="test",
        http_accept="*/*",
        path_info="/accounts/login/",
        get_data="",
        post_data="",
    )
    record(
        "login_failed",
        None,
        object_type_label="accounts.user",
        object_repr="sysadmin",
        detail={"second_factor": "totp"},
    )
    return users


def _signed_in(browser, live_server, user, viewport: dict):
    client = Client()
    if user.username in ADMINS:
        login_with_second_factor(client, user)
    else:
        client.force_login(user)
    phone = viewport["width"] < 500
    context = browser.new_context(locale="zh-CN", viewport=viewport, is_mobile=phone, has_touch=phone)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_every_roles_home_fits_the_screen(browser, live_server, world, size, tmp_path):
    problems = []
    for name, user in world.items():
        context = _signed_in(browser, live_server, user, VIEWPORTS[size])
        page = context.new_page()
        page.set_default_timeout(15000)
        errors: list[str] = []
        page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
        response = page.goto(f"{live_server.url}/")
        assert response is not None and response.status == 200, name
        assert page.url.rstrip("/") == live_server.url, f"{name} was sent to {page.url}"
        assert EXPECTED[name] in page.content(), name
        page.screenshot(path=str(tmp_path / f"{size}-{name}.png"), full_page=True)
        if not page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"):
            problems.append(f"{name}: the page scrolls sideways")
        # no element of the home runs past the screen's right edge (a wide one inside a scroller would not show
        # in the page's own width)
        wide = page.evaluate(
            """() => [...document.querySelectorAll('.home *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                .map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').slice(0, 30))"""
        )
        if wide:
            problems.append(f"{name}: {wide[:3]}")
        if errors:
            problems.append(f"{name}: {errors}")
        context.close()
    assert problems == []
