"""Member accounts opened from the roster (issue 13 §1): who gets one, the username rule, the one role, the audit."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.accounts import provisioning
from dangjian.accounts.models import RoleAssignment, User
from dangjian.accounts.provisioning import initials, provision, username_base
from dangjian.accounts.separation import Refused
from dangjian.audit.models import AuditEvent
from dangjian.core import context
from dangjian.people.models import Person
from dangjian.testing import make_member, make_person, make_user
from dangjian.transfers.models import LostContact

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    t = personas.tree
    zhang = make_member(t.branch1, "张三", department=t.dept1)
    li = make_member(t.branch1, "李四", department=t.dept1, status="probationary")
    wang = make_member(t.branch2, "王五", department=t.dept2)
    return personas, zhang, li, wang


def _ids(report) -> set[int]:
    return {r.person_id for r in report.rows}


def test_the_username_is_the_id_numbers_last_six_and_the_name_initials_in_lower_case():
    assert initials("张三") == "zs"
    assert initials("欧阳娜娜") == "oynn"
    assert initials("Tom 李") == "tl"
    assert username_base("张三", "11010519850615123X") == "15123xzs"
    assert username_base("张三", "", "GH-0042") == "gh0042zs"  # no ID number: the employee number (工号)
    assert username_base("张三", "", "") == ""


def test_a_secretary_opens_accounts_for_her_branchs_members_who_have_none(world):
    personas, zhang, li, wang = world
    with context.acting(personas.secretary):
        report = provision(personas.secretary, personas.tree.branch1)
    assert _ids(report) == {zhang.pk, li.pk}  # a probationary member too; not 王五 of the other branch
    assert report.existing == 2  # 甲一 (the secretary herself) and 甲二 hold accounts already
    for row in report.rows:
        user = User.objects.get(username=row.username)
        assert user.person_id == row.person_id and user.first_name == row.name
        assert user.must_change_password and user.is_active
        assert user.check_password(row.password)
        roles = list(RoleAssignment.objects.active().filter(user=user).values_list("role", "organization_id"))
        assert roles == [("member", None)]  # exactly one role, self-scoped
    assert report.rows[0].username == username_base("李四", li.id_number)  # 李 (l) before 张 (z)


def test_each_account_is_audited_once_and_no_password_reaches_the_log(world):
    personas, zhang, li, wang = world
    with context.acting(personas.secretary):
        report = provision(personas.secretary, personas.tree.branch1)
    events = AuditEvent.objects.filter(object_type="accounts.user", action="create")
    assert events.count() == 2
    assert {e.object_id for e in events} == {str(User.objects.get(person=p).pk) for p in (zhang, li)}
    for event in events:
        assert event.actor_id == personas.secretary.pk
        assert event.detail["provisioned"] and event.detail["role"] == "member"
    logged = json.dumps([[e.before, e.after, e.detail, e.object_repr] for e in AuditEvent.objects.all()])
    for row in report.rows:
        assert row.password not in logged
        assert User.objects.get(username=row.username).password not in logged  # nor its hash


def test_a_taken_username_gets_the_first_free_number(world):
    personas, zhang, li, wang = world
    base = username_base("张三", zhang.id_number)
    make_user(base.upper())  # compared without case, as the account form does
    make_user(f"{base}2")
    report = provision(None, personas.tree.branch1)
    assert {r.person_id: r.username for r in report.rows}[zhang.pk] == f"{base}3"


def test_two_people_with_the_same_base_in_one_batch_get_different_usernames(world):
    personas, zhang, li, wang = world
    twin = make_member(personas.tree.branch1, "张森", department=personas.tree.dept1, birth=date(1990, 1, 15))
    Person.objects.filter(pk=twin.pk).update(id_number=twin.id_number[:-6] + zhang.id_number[-6:])
    report = provision(None, personas.tree.branch1, dry_run=True)
    names = [r.username for r in report.rows if r.person_id in (zhang.pk, twin.pk)]
    assert len(set(names)) == 2 and {n.rstrip("2") for n in names} == {username_base("张三", zhang.id_number)}


def test_a_dry_run_writes_nothing_shows_no_password_and_names_what_the_run_creates(world):
    personas, zhang, li, wang = world
    before = (User.objects.count(), RoleAssignment.objects.count(), AuditEvent.objects.count())
    preview = provision(personas.secretary, personas.tree.branch1, dry_run=True)
    assert (User.objects.count(), RoleAssignment.objects.count(), AuditEvent.objects.count()) == before
    assert preview.dry_run and all(r.password == "" for r in preview.rows)
    done = provision(personas.secretary, personas.tree.branch1)
    assert [(r.person_id, r.username) for r in preview.rows] == [(r.person_id, r.username) for r in done.rows]
    assert provision(personas.secretary, personas.tree.branch1, dry_run=True).rows == []  # all have one now


def test_it_is_all_or_nothing(world, monkeypatch):
    personas, zhang, li, wang = world
    users = User.objects.count()

    def audit_fails(entries):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(provisioning, "record_many", audit_fails)
    with pytest.raises(RuntimeError):
        provision(personas.secretary, personas.tree.branch1)
    assert User.objects.count() == users
    assert not RoleAssignment.objects.filter(user__person__in=[zhang, li]).exists()


def test_a_secretary_cannot_open_accounts_outside_her_branch(world):
    personas, zhang, li, wang = world
    for org in (personas.tree.branch2, personas.tree.root, personas.tree.general):
        with pytest.raises(Refused):
            provision(personas.secretary, org, dry_run=True)
    with pytest.raises(Refused):  # the member role carries no such permission
        provision(personas.member, personas.tree.branch1, dry_run=True)
    assert not User.objects.filter(person__in=[zhang, li, wang]).exists()


def test_the_office_opens_accounts_for_the_whole_subtree_by_branch(world):
    personas, zhang, li, wang = world
    report = provision(personas.office, personas.tree.root)
    assert _ids(report) == {zhang.pk, li.pk, wang.pk}
    assert [b for b, _ in report.branches()] == ["一支部", "二支部"]


def test_members_whose_rights_are_stopped_or_whose_account_is_disabled_are_left_out_with_the_reason(world):
    personas, zhang, li, wang = world
    LostContact.objects.create(
        person=zhang,
        branch=personas.tree.branch1,
        status="suspended",
        opened_on=date(2025, 1, 1),
        last_contact_on=date(2025, 1, 1),
        suspended_on=date(2025, 8, 1),
        created_by=personas.secretary,
    )
    disabled = make_user("old_li", person=li)
    User.objects.filter(pk=disabled.pk).update(is_active=False)
    report = provision(personas.secretary, personas.tree.branch1, dry_run=True)
    assert report.rows == []
    reasons = {s.person_id: s.reason for s in report.skipped}
    assert "停止党籍" in reasons[zhang.pk]
    assert "已停用" in reasons[li.pk]


def test_a_person_without_an_id_number_or_employee_number_is_skipped_with_the_reason(world):
    personas, zhang, li, wang = world
    Person.objects.filter(pk=zhang.pk).update(id_number="")
    report = provision(personas.secretary, personas.tree.branch1, dry_run=True)
    assert _ids(report) == {li.pk}
    assert [(s.person_id, s.name) for s in report.skipped] == [(zhang.pk, "张三")]
    assert "无法生成用户名" in report.skipped[0].reason


def test_with_employees_the_staff_of_the_covered_departments_are_included(world):
    personas, zhang, li, wang = world
    t = personas.tree
    staff = make_person("赵六", department=t.dept1)
    retired = make_person("钱七", department=t.dept1, employment="retired")
    elsewhere = make_member(t.branch2, "孙八", department=t.dept1)  # a member of another branch working in 一室
    members_only = provision(personas.secretary, t.branch1, dry_run=True)
    assert staff.pk not in _ids(members_only)
    report = provision(personas.secretary, t.branch1, employees=True, dry_run=True)
    assert _ids(report) == {zhang.pk, li.pk, staff.pk}
    assert {r.person_id: r.branch for r in report.rows}[staff.pk] == "一支部"
    assert [(s.person_id, s.reason) for s in report.skipped] == [(retired.pk, "退休人员（非党员）不开通账号")]
    assert elsewhere.pk not in _ids(report)


def test_a_batch_larger_than_the_limit_is_refused_before_anything_is_written(world):
    personas, zhang, li, wang = world
    with pytest.raises(ValidationError, match="一次最多开通 1 个账号"):
        provision(personas.secretary, personas.tree.branch1, limit=1)
    assert not User.objects.filter(person__in=[zhang, li]).exists()


def test_the_list_takes_the_same_queries_for_a_bigger_branch(world):
    personas, zhang, li, wang = world
    t = personas.tree

    def queries(employees: bool) -> int:
        with CaptureQueriesContext(connection) as ctx:
            provision(personas.office, t.root, employees=employees, dry_run=True)
        return len(ctx.captured_queries)

    queries(False)  # the office's assignments, read once per request, are read here
    small = (queries(False), queries(True))
    for n in range(8):
        make_member(t.branch1, f"新党员{n}", department=t.dept1)
        make_person(f"新职工{n}", department=t.dept2)
    assert (queries(False), queries(True)) == small
