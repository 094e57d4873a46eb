"""A home for every role (issue 13 §2): what each role's home page shows, what it does not, and that its number of
queries does not grow with the data.

- a member: the next meetings (the check-in link while its window is open), what they owe (dues months, the
  self-review and mutual review of an open appraisal, the study hours against the rule store's minimum), their
  record; an applicant their own development timeline;
- a leader: their contact points with the visits due, their own branch's meetings (双重组织生活), the figures;
- the health and care officers: not the organisation-structure warnings of the office;
- the auditor: lock-outs, grants and revocations, refused second-factor codes, linked to the audit log;
- the system and security administrators: accounts without a person, locked accounts, the second factor not yet
  enrolled, accounts waiting for a role.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from axes.models import AccessAttempt
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts import services as accounts
from dangjian.appraisal import services as appraisal
from dangjian.appraisal.models import Appraisal, AppraisalStatus, Participant
from dangjian.audit.services import record
from dangjian.development import services as development
from dangjian.dues import services as dues
from dangjian.meetings import services as meetings
from dangjian.rules import services as rule_store
from dangjian.talks.models import ContactPoint
from dangjian.testing import held_meeting, login_with_second_factor, make_member, make_person, make_tree, make_user

MINE = ("我的会议", "我的待办", "我的记录")
STRUCTURE = "组织建设"  # the orgs app's structural warnings (fewer than 3 full members, ...)


def html_of(client) -> str:
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    return response.content.decode()


def lines_open(client, html: str) -> None:
    """Every line of the home opens a page its user may see."""
    urls = sorted(set(re.findall(r'class="home-item[^"]*"><a href="([^"]+)"', html)))
    assert urls
    for url in urls:
        assert client.get(url.replace("&amp;", "&")).status_code == 200, url


def queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("core:home")).status_code == 200
    return len(ctx.captured_queries)


def plan(user, org, title: str, starts_at, kind: str = "members_meeting"):
    return meetings.plan_meeting(
        user, org.pk, {"kind": kind, "title": title, "starts_at": starts_at, "ends_at": starts_at + timedelta(hours=2)}
    )


@pytest.fixture
def world(db):
    t = make_tree()
    office = make_user("office-h", "office", t.root)
    secretary = make_user("sec-h", "secretary", t.branch1, person=make_member(t.branch1, "书记"))
    me = make_member(t.branch1, "本人")
    others = [make_member(t.branch1, f"同志{i}") for i in range(2)]
    member = make_user("me-h", "member", t.branch1, person=me)
    return {"t": t, "office": office, "secretary": secretary, "me": me, "others": others, "member": member}


# --- the member ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_member_sees_the_next_meetings_with_the_check_in_link_only_while_it_is_open(client, world):
    t, sec = world["t"], world["secretary"]
    now = timezone.now()
    soon = plan(sec, t.branch1, "本月党员大会", now + timedelta(minutes=10))
    later = plan(sec, t.branch1, "下旬党课", now + timedelta(days=10), kind="lecture")
    other = plan(world["office"], t.branch2, "二支部的会", now + timedelta(days=1))
    client.force_login(world["member"])
    html = html_of(client)
    assert "我的会议" in html and "现在可签到：" in html and "本月党员大会" in html
    if timezone.localdate(soon.starts_at) == timezone.localdate():
        assert "现在可签到：今天 " in html  # today's meeting says so, not the date
    assert reverse("meetings:checkin", args=[soon.checkin_token]) in html  # the window is open
    assert "下旬党课" in html and reverse("meetings:detail", args=[later.pk]) in html
    assert later.checkin_token not in html  # not open yet: no check-in link
    assert other.title not in html  # not on its roster


@pytest.mark.django_db
def test_a_member_sees_what_he_owes_and_his_record(client, world):
    t, sec, me = world["t"], world["secretary"], world["me"]
    today = timezone.localdate()
    dues.set_base(sec, me.pk, date(today.year, 1, 1), "employee", "5000")
    dues.record_payment(
        sec,
        me.pk,
        {"amount": "50.00", "paid_on": today, "month_from": date(today.year, 1, 1), "month_to": date(today.year, 1, 1)},
    )
    appraisal.open_appraisal(sec, t.branch1.pk, today.year)
    past = Appraisal.objects.create(
        organization=t.branch1, year=today.year - 1, status=AppraisalStatus.CONFIRMED, created_by=sec
    )
    Participant.objects.create(appraisal=past, person=me, final_grade="excellent")
    client.force_login(world["member"])
    html = html_of(client)
    for kind in MINE[1:]:
        assert kind in html
    # dues: every month of the year but January unpaid (5000 元 → 1%, 50 元 a month)
    if today.month > 1:
        months = "2月" if today.month == 2 else f"2—{today.month}月"
        assert f"党费：{months}未交清（{today.month - 1}个月，{50 * (today.month - 1)}.00元）" in html
    assert f"{today.year}年已交党费 50.00 元" in html
    assert reverse("dues:person", args=[me.pk]) in html
    # the open appraisal: self-review and mutual review of the other 3 (the secretary and two comrades)
    assert "请填写个人自评" in html and "已评 0 / 3 人" in html
    assert f"{today.year - 1}年度民主评议：优秀" in html
    # hours against the rule store's minimum (32 for a member: 党员教育管理工作条例 第20条)
    assert "应不少于 32" in html and f"{today.year}年学习学时 0.0 / 32" in html
    # the current membership
    assert "一支部 · 正式党员 · 2010-07-01入党" in html
    # nothing of the branch's management: no figures, no structural warnings, no due list
    assert STRUCTURE not in html and "组织生活待办" not in html
    assert f'href="{reverse("orgs:list")}?kind=branch"' not in html
    assert "我的入党进程" not in html  # a member, not an applicant
    lines_open(client, html)


@pytest.mark.django_db
def test_a_members_done_reviews_leave_the_list(client, world):
    t, sec, me = world["t"], world["secretary"], world["me"]
    a = appraisal.open_appraisal(sec, t.branch1.pk, timezone.localdate().year)
    appraisal.save_self_review(world["member"], a.pk, "认真学习")
    ratees = a.participants.filter(graded=True).exclude(person=me)
    appraisal.rate_others(world["member"], a.pk, {p.pk: "qualified" for p in ratees})
    client.force_login(world["member"])
    html = html_of(client)
    assert "请填写个人自评" not in html and "请完成党员互评" not in html


@pytest.mark.django_db
def test_the_hours_minimum_is_read_from_the_rule_store(client, world):
    today = timezone.localdate()
    rule_store.add_version(
        world["office"], "training.min_hours_per_year", 40, today, citation="本单位设置", confidence="L"
    )
    client.force_login(world["member"])
    html = html_of(client)
    assert "应不少于 40" in html and "应不少于 32" not in html


@pytest.mark.django_db
def test_an_applicant_sees_his_own_development_timeline(client, world):
    t, sec = world["t"], world["secretary"]
    applicant = make_person("申请人", department=t.dept1)
    development.open_case(sec, applicant.pk, t.branch1.pk, timezone.localdate() - timedelta(days=20))
    user = make_user("applicant-h", "member", t.branch1, person=applicant)
    client.force_login(user)
    html = html_of(client)
    assert "我的入党进程" in html and "当前阶段：入党申请人" in html and "下一步：" in html
    assert "党费" not in html.split("我的入党进程")[1]  # not a party member: no dues, no hours
    assert "年学习学时" not in html


@pytest.mark.django_db
def test_the_member_home_runs_a_constant_number_of_queries(client, world):
    t, sec, me = world["t"], world["secretary"], world["me"]
    today = timezone.localdate()
    now = timezone.now()

    def more(n: int, years) -> None:
        for i in range(n):
            plan(sec, t.branch1, f"会{i}", now + timedelta(days=i + 1))
        for year in years:
            past = Appraisal.objects.create(
                organization=t.branch1, year=year, status=AppraisalStatus.CONFIRMED, created_by=sec
            )
            Participant.objects.create(appraisal=past, person=me, final_grade="qualified")

    dues.set_base(sec, me.pk, date(today.year, 1, 1), "employee", "5000")
    appraisal.open_appraisal(sec, t.branch1.pk, today.year)
    more(1, [today.year - 1])
    client.force_login(world["member"])
    html_of(client)  # the session's first read
    before = queries(client)
    more(6, range(today.year - 6, today.year - 1))
    after = queries(client)
    # 25: the assessment's review adds one (is this account a reviewer of a cycle in review? any account may be);
    # 33: issue 15's carriers, pledge, zone report and plan deployments add eight
    assert after == before <= 33


# --- the leader ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_leader_sees_contact_points_visits_due_and_his_own_branch(client, world):
    t, office = world["t"], world["office"]
    leader = make_member(t.branch2, "所领导")
    user = make_user("leader-h", "leader", t.root, person=leader)
    point = ContactPoint.objects.create(leader=leader, organization=t.branch1, since=date(2020, 1, 1))
    ContactPoint.objects.create(
        leader=leader, organization=t.office_branch, since=date(2020, 1, 1), until=date(2021, 1, 1)
    )
    held_meeting(office, t.branch2, "members_meeting", timezone.now() - timedelta(hours=3), {leader: "absent"})
    client.force_login(user)
    html = html_of(client)
    assert "我的联系点" in html and "一支部：本年已调研 0 次，应不少于 2 次" in html
    assert reverse("life:visit_create", args=[point.pk]) in html
    assert "机关支部" not in html.split("我的联系点")[1].split("</section>")[0]  # an ended contact point
    assert "双重组织生活" in html and "二支部：本年应参加 1 次，出席 0 次，未出席 1 次" in html
    assert f'href="{reverse("orgs:list")}?kind=branch"' in html  # the scope's figures, linked
    assert f'href="{reverse("people:list")}?status=member"' in html
    assert STRUCTURE not in html  # the office's work, not the leader's
    assert "我的会议" not in html  # not a member account
    lines_open(client, html)


@pytest.mark.django_db
def test_the_leader_home_runs_a_constant_number_of_queries(client, world):
    t, office = world["t"], world["office"]
    leader = make_member(t.branch2, "所领导")
    user = make_user("leader-h", "leader", t.root, person=leader)
    ContactPoint.objects.create(leader=leader, organization=t.branch1, since=date(2020, 1, 1))
    client.force_login(user)
    html_of(client)
    before = queries(client)
    for org in (t.branch2, t.office_branch):
        ContactPoint.objects.create(leader=leader, organization=org, since=date(2020, 1, 1))
    held_meeting(office, t.branch2, "lecture", timezone.now() - timedelta(hours=5), {leader: "present"})
    assert queries(client) == before


# --- the health and care officers ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["health_officer", "care_officer"])
def test_health_and_care_officers_do_not_get_the_structure_warnings(client, world, role):
    t = world["t"]
    client.force_login(world["office"])
    assert STRUCTURE in html_of(client)  # branches with fewer than 3 full members exist (支部工作条例 第6条)
    client.force_login(make_user(f"{role}-h", role, t.root))
    html = html_of(client)
    assert STRUCTURE not in html
    assert "组织生活待办" not in html and "发展党员" not in html
    # the staff they look after, not the party organisation's figures
    assert f'href="{reverse("people:list")}"' in html
    assert (
        f'href="{reverse("people:list")}?status=member"' not in html
        and f'href="{reverse("orgs:list")}?kind=branch"' not in html
    )


# --- the auditor and the administrators ------------------------------------------------------------------------


def _lock(username: str) -> AccessAttempt:
    return AccessAttempt.objects.create(
        username=username,
        ip_address="10.0.0.7",
        failures_since_start=5,
        user_agent="test",
        http_accept="*/*",
        path_info="/accounts/login/",
        get_data="",
        post_data="",
    )


@pytest.mark.django_db
def test_the_auditor_sees_recent_security_events_linked_to_the_audit_log(client, world):
    secadmin = make_user("secadmin-h", "secadmin")
    target = make_user("target-h")
    accounts.grant(secadmin, {"user": target, "role": "member", "organization": world["t"].branch1})
    _lock("victim-h")
    record(
        "login_failed",
        None,
        object_type_label="accounts.user",
        object_repr="victim-h",
        detail={"second_factor": "totp"},
    )
    auditor = make_user("auditor-h", "auditor")
    login_with_second_factor(client, auditor)
    html = html_of(client)
    assert "账号锁定" in html and "victim-h 连续登录失败 5 次被锁定" in html
    assert f"{reverse('audit:log')}?action=login_failed&amp;object=victim-h" in html
    assert "角色授权变更" in html and "授予：target-h" in html
    assert f"{reverse('audit:log')}?object_type=accounts.roleassignment" in html
    assert "动态口令验证失败" in html and "victim-h 动态口令验证失败" in html
    # no business data
    assert f'href="{reverse("orgs:list")}?kind=branch"' not in html and STRUCTURE not in html and "我的会议" not in html
    lines_open(client, html)


@pytest.mark.django_db
def test_a_quiet_week_is_said_on_the_auditors_home(client, world):
    login_with_second_factor(client, make_user("auditor-h", "auditor"))
    html = html_of(client)
    assert "近7天没有账号锁定、角色授权变更或动态口令验证失败" in html and reverse("audit:log") in html


@pytest.mark.django_db
def test_a_home_with_nothing_waiting_says_so(client, world):
    login_with_second_factor(client, make_user("secadmin-h", "secadmin"))
    html = html_of(client)
    assert "暂无待办事项" in html and "home-group" not in html


@pytest.mark.django_db
def test_the_system_administrator_sees_accounts_without_a_person(client, world):
    make_user("lonely-h", "member", world["t"].branch1)  # a member account linked to nobody
    make_user("office2-h", "office", world["t"].root)  # an office account: not expected to be linked
    sysadmin = make_user("sysadmin-h", "sysadmin")
    login_with_second_factor(client, sysadmin)
    html = html_of(client)
    assert "未关联人员的账号" in html and "lonely-h：未关联人员" in html
    assert f"{reverse('accounts:users')}?q=lonely-h" in html
    assert "office2-h" not in html and "me-h" not in html
    assert "已锁定的账号" not in html and "待授权的账号" not in html  # the security administrator's
    lines_open(client, html)


@pytest.mark.django_db
def test_the_security_administrator_sees_locks_enrolment_and_accounts_waiting_for_a_role(client, world):
    _lock("locked-h")
    make_user("auditor2-h", "auditor")  # must enrol the second factor, has not
    make_user("fresh-h")  # no role yet
    secadmin = make_user("secadmin-h", "secadmin")
    login_with_second_factor(client, secadmin)
    html = html_of(client)
    assert "已锁定的账号" in html and "locked-h：登录失败次数过多已锁定" in html
    assert reverse("accounts:policy") in html
    assert "未绑定动态口令" in html and "auditor2-h：须绑定动态口令" in html
    assert "secadmin-h：须绑定" not in html  # enrolled
    assert "待授权的账号" in html and "fresh-h：尚未授予角色" in html
    assert "未关联人员的账号" not in html  # the system administrator's
    assert f'href="{reverse("orgs:list")}?kind=branch"' not in html


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["secadmin", "sysadmin", "auditor"])
def test_the_administrators_homes_run_a_constant_number_of_queries(client, world, role):
    secadmin = make_user("grantor-h", "secadmin")

    def more(start: int, n: int) -> None:
        """Of each kind more than the home shows (the first few and a count)."""
        for i in range(start, start + n):
            user = make_user(f"many{i}-h", "auditor" if i % 2 else None)
            _lock(f"many{i}-h")
            make_user(f"unlinked{i}-h", "member", world["t"].branch1)
            if not i % 2:
                accounts.grant(secadmin, {"user": user, "role": "auditor"})
            record(
                "login_failed",
                None,
                object_type_label="accounts.user",
                object_repr=user.username,
                detail={"second_factor": "totp"},
            )

    more(0, 12)
    admin = make_user(f"{role}-h", role)
    login_with_second_factor(client, admin)
    html_of(client)
    before = queries(client)
    more(12, 12)
    assert queries(client) == before
