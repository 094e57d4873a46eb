"""三权分立 in the service layer (issue 10 §2): every channel obeys the same rules."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied as Refused
from django.core.management import call_command
from django.urls import reverse

from dangjian.accounts import services
from dangjian.accounts.models import RoleAssignment
from dangjian.audit.models import AuditEvent
from dangjian.core import context
from dangjian.testing import login_with_second_factor, make_member, make_tree, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    t = make_tree()
    return (
        t,
        make_user("sys", "sysadmin"),
        make_user("sec", "secadmin"),
        make_user("aud", "auditor"),
    )


def _grant(actor, user, role, organization=None):
    return services.grant(actor, {"user": user, "role": role, "organization": organization, "subtree": True})


@pytest.mark.parametrize("role", ["office", "health_officer", "auditor", "sysadmin"])
def test_the_security_administrator_cannot_grant_itself_any_role(staff, role):
    t, sys, sec, aud = staff
    org = None if role in ("auditor", "sysadmin") else t.root
    with pytest.raises(Refused, match="自己"):
        _grant(sec, sec, role, org)
    assert list(sec.assignments.active().values_list("role", flat=True)) == ["secadmin"]


def test_the_security_administrator_cannot_give_the_system_administrator_a_business_role(staff):
    t, sys, sec, aud = staff
    with pytest.raises(Refused, match="业务角色只能授予不持有管理员角色的账号：该账号是系统管理员"):
        _grant(sec, sys, "office", t.root)
    assert not sys.assignments.filter(role="office").exists()


def test_the_three_administrator_roles_are_mutually_exclusive(staff):
    t, sys, sec, aud = staff
    with pytest.raises(Refused, match="互斥：该账号已是系统管理员"):
        _grant(sec, sys, "auditor")
    with pytest.raises(Refused, match="互斥：该账号已是安全审计员"):
        _grant(sec, aud, "sysadmin")


def test_an_administrator_role_goes_only_to_a_fresh_account_without_a_person(staff):
    t, sys, sec, aud = staff
    secretary = make_user("branch-sec", "secretary", t.branch1)
    with pytest.raises(Refused, match="管理员账号不得持有业务角色"):
        _grant(sec, secretary, "auditor")
    member = make_user("party-member", person=make_member(t.branch1, "甲"))
    with pytest.raises(Refused, match="不得关联人员"):
        _grant(sec, member, "auditor")
    fresh = make_user("fresh")
    with context.acting(sec):
        grant = _grant(sec, fresh, "auditor")
    assert grant.granted_by == sec
    assert AuditEvent.objects.filter(action="grant", object_id=str(grant.pk), actor=sec).exists()


def test_nobody_grants_the_security_administrator_role_except_at_the_console(staff, monkeypatch):
    t, sys, sec, aud = staff
    with pytest.raises(Refused, match="createadmin"):
        _grant(sec, make_user("fresh"), "secadmin")
    monkeypatch.setenv("DANGJIAN_ADMIN_PASSWORD", "Strong@Pass2026")
    call_command("createadmin", "--username", "sec2", "--role", "secadmin", stdout=io.StringIO())
    assert RoleAssignment.objects.active().filter(user__username="sec2", role="secadmin", granted_by=None).exists()


def test_only_the_security_administrator_grants_roles(staff):
    t, sys, sec, aud = staff
    with pytest.raises(Refused, match="权限"):
        _grant(sys, make_user("fresh"), "office", t.root)


def test_an_ordinary_account_gets_business_roles(staff):
    t, sys, sec, aud = staff
    user = make_user("clerk")
    _grant(sec, user, "office", t.root)
    _grant(sec, user, "health_officer", t.root)
    assert set(user.assignments.active().values_list("role", flat=True)) == {"office", "health_officer"}


def test_nobody_revokes_their_own_roles_and_a_revoked_grant_keeps_its_row(staff):
    t, sys, sec, aud = staff
    own = sec.assignments.get()
    with pytest.raises(Refused, match="不能撤销自己的角色"):
        services.revoke(sec, own.pk)
    user = make_user("clerk")
    grant = _grant(sec, user, "office", t.root)
    services.revoke(sec, grant.pk)
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    assert RoleAssignment.objects.filter(pk=grant.pk).exists()


def test_the_last_auditor_keeps_the_role(staff):
    t, sys, sec, aud = staff
    with pytest.raises(Refused, match="最后一名安全审计员"):
        services.revoke(sec, aud.assignments.get().pk)
    second = _grant(sec, make_user("aud2"), "auditor")
    services.revoke(sec, aud.assignments.get().pk)
    with pytest.raises(Refused, match="最后一名"):
        services.revoke(sec, second.pk)


def test_an_administrator_account_is_never_linked_to_a_person(staff):
    t, sys, sec, aud = staff
    person = make_member(t.branch1, "乙")
    with pytest.raises(Refused, match="不得关联人员"):
        services.link_person(sys, aud.pk, person)
    ordinary = services.create_user(sys, "ordinary", "Xinghe@2026!")
    services.link_person(sys, ordinary.pk, person)
    ordinary.refresh_from_db()
    assert ordinary.person == person


def test_the_grant_page_shows_the_refusal_and_grants_nothing(client, staff):
    t, sys, sec, aud = staff
    login_with_second_factor(client, sec)
    response = client.post(
        reverse("accounts:assignment_create"),
        {"user": sec.pk, "role": "office", "organization": t.root.pk, "subtree": "on"},
    )
    assert response.status_code == 200
    assert "不能给自己授予角色" in response.content.decode()
    response = client.post(
        reverse("accounts:assignment_create"),
        {"user": sys.pk, "role": "office", "organization": t.root.pk, "subtree": "on"},
    )
    assert "该账号是系统管理员" in response.content.decode()
    assert not RoleAssignment.objects.filter(role="office").exists()


def test_the_revoke_page_shows_the_refusal(client, staff):
    t, sys, sec, aud = staff
    login_with_second_factor(client, sec)
    own = sec.assignments.get()
    response = client.post(reverse("accounts:assignment_revoke", args=[own.pk]), follow=True)
    assert "不能撤销自己的角色" in response.content.decode()
    own.refresh_from_db()
    assert own.revoked_at is None


def test_violations_name_what_an_existing_account_breaks(staff):
    from dangjian.accounts.separation import violations

    t, sys, sec, aud = staff
    RoleAssignment.objects.create(user=sys, role="office", organization=t.root)
    RoleAssignment.objects.create(user=sys, role="auditor")
    sys.person = make_member(t.branch1, "丙")
    sys.save(update_fields=["person"])
    assert len(violations(sys)) == 3
    assert violations(sec) == []
