"""Role assignments through the API, under the same 三权分立 rules (issue 10 §2)."""

from __future__ import annotations

import pytest

from dangjian.accounts.models import ApiToken, RoleAssignment
from dangjian.audit.models import AuditEvent
from dangjian.testing import make_tree, make_user

pytestmark = pytest.mark.django_db

URL = "/api/v1/role-assignments"


@pytest.fixture
def world():
    t = make_tree()
    sys, sec = make_user("sys", "sysadmin"), make_user("sec", "secadmin")
    make_user("aud", "auditor")
    return t, sys, sec


def _call(client, method, url, user, body=None):
    token = ApiToken.issue(user)
    kwargs = {"content_type": "application/json", "data": body} if body is not None else {}
    return getattr(client, method)(url, HTTP_AUTHORIZATION=f"Bearer {token}", **kwargs)


def test_a_grant_answers_201_and_is_audited(client, world):
    t, sys, sec = world
    make_user("clerk")
    body = {"user": "clerk", "role": "office", "organization": t.root.pk, "subtree": True}
    response = _call(client, "post", URL, sec, body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["user"], data["role"], data["organization"], data["granted_by"]) == (
        "clerk",
        "office",
        t.root.pk,
        "sec",
    )
    grant = RoleAssignment.objects.get(pk=data["id"])
    assert AuditEvent.objects.filter(action="grant", object_id=str(grant.pk), actor=sec, channel="api").exists()
    listed = _call(client, "get", f"{URL}?user=clerk", sec).json()
    assert [row["id"] for row in listed["items"]] == [grant.pk]


@pytest.mark.parametrize(
    ("who", "role", "organization", "reason"),
    [
        ("sec", "office", "root", "不能给自己授予角色"),
        ("sys", "office", "root", "该账号是系统管理员"),
        ("aud", "sysadmin", None, "互斥"),
        ("fresh", "secadmin", None, "createadmin"),
    ],
)
def test_a_refused_grant_answers_403_with_the_reason(client, world, who, role, organization, reason):
    t, sys, sec = world
    make_user("fresh")
    body = {"user": who, "role": role, "organization": t.root.pk if organization else None, "subtree": True}
    before = RoleAssignment.objects.count()
    response = _call(client, "post", URL, sec, body)
    assert response.status_code == 403
    assert reason in response.json()["detail"]
    assert RoleAssignment.objects.count() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"user": "nobody", "role": "office", "organization": None}, "user"),
        ({"user": "clerk", "role": "king", "organization": None}, "role"),
        ({"user": "clerk", "role": "office", "organization": None}, "organization"),
        ({"user": "clerk", "role": "office", "organization": 999999}, "organization"),
    ],
)
def test_invalid_input_answers_422_naming_the_field(client, world, body, field):
    t, sys, sec = world
    make_user("clerk")
    response = _call(client, "post", URL, sec, body)
    assert response.status_code == 422
    assert field in {e["field"] for e in response.json()["detail"]}


def test_delete_revokes_keeping_the_row_and_answers_204(client, world):
    t, sys, sec = world
    clerk = make_user("clerk", "office", t.root)
    grant = clerk.assignments.get()
    response = _call(client, "delete", f"{URL}/{grant.pk}", sec)
    assert response.status_code == 204
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    assert AuditEvent.objects.filter(action="revoke", object_id=str(grant.pk)).exists()
    assert _call(client, "delete", f"{URL}/{grant.pk}", sec).status_code == 404
    listed = _call(client, "get", f"{URL}?include_revoked=true&user=clerk", sec).json()["items"]
    assert listed[0]["revoked_at"] is not None


def test_deleting_ones_own_grant_answers_403(client, world):
    t, sys, sec = world
    own = sec.assignments.get()
    response = _call(client, "delete", f"{URL}/{own.pk}", sec)
    assert response.status_code == 403 and "不能撤销自己的角色" in response.json()["detail"]
    own.refresh_from_db()
    assert own.revoked_at is None


def test_only_holders_of_assign_roles_find_the_endpoints(client, world):
    t, sys, sec = world
    office = make_user("office", "office", t.root)
    grant = office.assignments.get()
    for user in (sys, office):
        assert _call(client, "get", URL, user).status_code == 404
        body = {"user": "office", "role": "leader", "organization": t.root.pk}
        assert _call(client, "post", URL, user, body).status_code == 404
        assert _call(client, "delete", f"{URL}/{grant.pk}", user).status_code == 404
    assert RoleAssignment.objects.active().filter(user=office).count() == 1
