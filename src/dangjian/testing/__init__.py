"""Test helpers shared by every app's tests: a small tree and fixed personas.

The tree:                      committee 所党委 (root)
                               ├── general branch 一总支
                               │   ├── branch 一支部 (group 一支部第一党小组)
                               │   └── branch 二支部
                               └── branch 机关支部

The people who use it in every app's tests are in ``dangjian.testing.personas`` (the ``personas`` fixture).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date

from dangjian.accounts.models import RoleAssignment, User
from dangjian.idgen import make_id_number
from dangjian.orgs.models import Department, Organization
from dangjian.people.models import Membership, Person

PASSWORD = "Test@2026x"
# The authenticator secret of accounts enrolled by login_with_second_factor (base32, as an app takes it).
TOTP_SECRET = "K2ZW67GA7WWFCO22TXYZ6UFCVP3GFBD5"
_seq = itertools.count(1)


@dataclass
class Tree:
    root: Organization
    general: Organization
    branch1: Organization
    group1: Organization
    branch2: Organization
    office_branch: Organization
    dept1: Department
    dept2: Department


def make_tree() -> Tree:
    org = Organization.objects
    root = org.add_root(dict(kind="committee", code="T00", name="测试所党委", founded_on=date(2000, 1, 1)))
    general = org.add_child(root, dict(kind="general_branch", code="T01", name="一总支", founded_on=date(2000, 1, 1)))
    branch1 = org.add_child(general, dict(kind="branch", code="T011", name="一支部", founded_on=date(2000, 1, 1)))
    group1 = org.add_child(
        branch1, dict(kind="group", code="T0111", name="一支部第一党小组", founded_on=date(2000, 1, 1))
    )
    branch2 = org.add_child(general, dict(kind="branch", code="T012", name="二支部", founded_on=date(2000, 1, 1)))
    office_branch = org.add_child(root, dict(kind="branch", code="T02", name="机关支部", founded_on=date(2000, 1, 1)))
    inst = Department.objects.add_root(dict(code="D0", name="测试所", kind="institute"))
    dept1 = Department.objects.add_child(inst, dict(code="D1", name="一室"))
    dept2 = Department.objects.add_child(inst, dict(code="D2", name="二室"))
    branch1.departments.add(dept1)
    branch2.departments.add(dept2)
    for node in (root, general, branch1, group1, branch2, office_branch):
        node.refresh_from_db()
    return Tree(root, general, branch1, group1, branch2, office_branch, dept1, dept2)


_REGIONS = ("110105", "310104", "440305", "510107", "610113", "320102")


def _unique_number(birth: date, sex: str, n: int) -> str:
    # 500 sequence numbers per region, birth date and sex; the region changes after that
    return make_id_number(birth, sex, serial=n % 500, region=_REGIONS[(n // 500) % len(_REGIONS)])


def make_person(
    name: str = "", *, department=None, sex: str = "M", birth: date = date(1985, 6, 15), **fields
) -> Person:
    n = next(_seq)
    number = _unique_number(birth, sex, n)
    while Person.all_objects.filter(id_number=number).exists():
        n = next(_seq)
        number = _unique_number(birth, sex, n)
    return Person.objects.create(
        name=name or f"测试{n}", sex=sex, id_number=number, birth_date=birth, department=department, **fields
    )


def make_member(branch: Organization, name: str = "", *, status: str = "full", group=None, **fields) -> Person:
    person = make_person(name, political_status="member" if status == "full" else "probationary", **fields)
    Membership.objects.create(
        person=person,
        organization=branch,
        group=group,
        status=status,
        started_on=date(2015, 1, 1),
        admitted_on=date(2010, 7, 1),
        start_cause="recorded",
    )
    return person


def make_user(username: str, role: str | None = None, organization=None, *, person=None, subtree: bool = True) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, person=person)
    if role:
        RoleAssignment.objects.create(user=user, role=role, organization=organization, subtree=subtree)
    return user


def login_with_second_factor(client, user: User) -> None:
    """``client.force_login`` for an account that must give a second factor (DANGJIAN_2FA_ROLES).

    Enrols the account with TOTP_SECRET unless it is enrolled, then marks the session verified exactly as
    ``django_otp.login`` does after a right code: the device's persistent id in the session. Nothing is
    switched off; tests of the code itself go through the login pages (accounts/tests/test_second_factor.py).
    """
    from django_otp import DEVICE_ID_SESSION_KEY

    from dangjian.accounts import second_factor

    device = second_factor.authenticator_of(user) or second_factor.enrol_fixed(user, TOTP_SECRET)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def held_meeting(user: User, org: Organization, kind: str, when, attendance: dict | None = None):
    """A meeting of ``kind`` planned at ``when`` (two hours long), marked held, with ``attendance`` (person → status,
    absences excused as 出差) where given; through the meetings services, as a secretary would record it."""
    from datetime import timedelta

    from dangjian.meetings import services

    meeting = services.plan_meeting(
        user, org.pk, {"kind": kind, "title": "学习", "starts_at": when, "ends_at": when + timedelta(hours=2)}
    )
    services.mark_held(user, meeting.pk)
    if attendance:
        services.set_attendance(user, meeting.pk, {p.pk: (status, "出差") for p, status in attendance.items()})
    return meeting


def main_content(html: str) -> str:
    """The page's own content, without the menu (whose labels, such as 一支部一特色, contain organisation names)."""
    start = html.find("<main")
    end = html.rfind("</main>")
    assert start != -1 and end != -1, "the page has no <main> element"
    return html[start:end]
