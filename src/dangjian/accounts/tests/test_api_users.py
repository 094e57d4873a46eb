"""The users API (issue 13 §1): the system administrator creates accounts and links them to persons by
``person_id``, with the same checks as the pages."""

from __future__ import annotations

import pytest

from dangjian.accounts.models import ApiToken, User
from dangjian.audit.models import AuditEvent
from dangjian.testing import make_member, make_person, make_tree, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api():
    t = make_tree()
    sys = make_user("sys", "sysadmin")
    return t, sys, {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(sys)}"}


def test_create_an_account_for_a_person_and_read_it_back(client, api):
    t, sys, auth = api
    person = make_member(t.branch1, "王五", department=t.dept1)
    body = {"username": "wangwu", "password": "Xy#9mK2pQ7", "person_id": person.pk}
    r = client.post("/api/v1/users", body, content_type="application/json", **auth)
    assert r.status_code == 201, r.content
    out = r.json()
    assert (out["person_id"], out["person_name"], out["first_name"], out["must_change_password"]) == (
        person.pk,
        "王五",
        "王五",
        True,
    )
    assert client.get(f"/api/v1/users/{out['id']}", **auth).json()["person_id"] == person.pk
    make_user("orphan")
    listed = client.get("/api/v1/users?link=none", **auth).json()["items"]
    assert [u["username"] for u in listed] == ["orphan"]  # the administrator's own account is never linked


def test_the_same_checks_as_the_pages(client, api):
    t, sys, auth = api
    person = make_person("赵一")
    make_user("zhao", person=person)
    r = client.post(
        "/api/v1/users",
        {"username": "zhao2", "password": "Xy#9mK2pQ7", "person_id": person.pk},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 422
    assert r.json()["detail"] == [{"field": "person_id", "message": "赵一 已关联账号 zhao：一名人员只能关联一个账号"}]
    r = client.post("/api/v1/users", {"username": "x y", "password": "short"}, content_type="application/json", **auth)
    assert {d["field"] for d in r.json()["detail"]} == {"username", "password"}
    r = client.post(
        "/api/v1/users",
        {"username": "ghost", "password": "Xy#9mK2pQ7", "person_id": 999999},
        content_type="application/json",
        **auth,
    )
    assert r.json()["detail"] == [{"field": "person_id", "message": "没有该人员"}]
    assert not User.objects.filter(username__in=["zhao2", "ghost"]).exists()


def test_patch_links_and_unlinks_and_refuses_an_administrator(client, api):
    t, sys, auth = api
    person = make_person("钱二")
    account = make_user("qian")
    r = client.patch(f"/api/v1/users/{account.pk}", {"person_id": person.pk}, content_type="application/json", **auth)
    assert r.status_code == 200 and r.json()["person_id"] == person.pk
    assert AuditEvent.objects.filter(action="update", object_id=str(account.pk), actor=sys).exists()
    r = client.patch(f"/api/v1/users/{account.pk}", {"person_id": None}, content_type="application/json", **auth)
    assert r.status_code == 200 and r.json()["person_id"] is None
    auditor = make_user("aud", "auditor")
    r = client.patch(f"/api/v1/users/{auditor.pk}", {"person_id": person.pk}, content_type="application/json", **auth)
    assert r.status_code == 403 and "管理员账号不得关联人员" in r.json()["detail"]


def test_only_the_system_administrator_sees_the_users_endpoints(client, api):
    t, sys, auth = api
    office = make_user("office", "office", t.root)
    office_auth = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(office)}"}
    assert client.get("/api/v1/users", **office_auth).status_code == 404
    assert client.get(f"/api/v1/users/{sys.pk}", **office_auth).status_code == 404
    r = client.patch(f"/api/v1/users/{sys.pk}", {"person_id": None}, content_type="application/json", **office_auth)
    assert r.status_code == 404
