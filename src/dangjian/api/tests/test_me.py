"""``GET /api/v1/me``: the holder's person, roles and exactly the items of their home page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.api.me import item_out
from dangjian.core.views import home_content
from dangjian.testing import make_user

pytestmark = pytest.mark.django_db


def _home_items(client, user) -> list[dict]:
    """The items the home page renders for ``user``, in the API's shape (the page shows each kind's first lines)."""
    client.force_login(user)
    groups = client.get(reverse("core:home")).context["groups"]
    return [item_out(i) for g in groups for i in g.items]


def _json_items(items) -> list[dict]:
    return [{**i, "due": i["due"].isoformat() if i["due"] else None} for i in items]


def test_a_members_token_gets_their_person_roles_and_home_items(client, personas):
    from dangjian.meetings import services as meetings

    member = personas.member
    start = timezone.now() + timedelta(days=2)
    meetings.plan_meeting(
        personas.secretary,
        personas.tree.branch1.pk,
        {"kind": "members_meeting", "title": "党员大会", "starts_at": start, "ends_at": start + timedelta(hours=2)},
    )
    body = client.get("/api/v1/me", **personas.auth(member)).json()
    person = member.person
    assert body["person"] == {
        "id": person.pk,
        "name": "甲二",
        "organization": "一支部",
        "organization_id": personas.tree.branch1.pk,
        "status": "member",
        "status_label": "中共党员",
        "employee_no": "",
    }
    assert body["roles"] == [
        {"role": "member", "label": "党员", "organization": "一支部", "organization_id": personas.tree.branch1.pk}
    ]
    # whatever the apps contribute to a member's home (the same function renders the page); the secretary's test
    # below has items for certain
    expected = [item_out(i) for i in home_content(member, timezone.localdate())[1]]
    assert body["items"] == _json_items(expected)
    shown = _home_items(client, member)
    assert all(item in body["items"] for item in _json_items(shown))


def test_a_secretary_gets_the_same_items_as_the_home_page_shows(client, personas):
    secretary = personas.secretary
    body = client.get("/api/v1/me", **personas.auth(secretary)).json()
    expected = _json_items([item_out(i) for i in home_content(secretary, timezone.localdate())[1]])
    assert body["items"] == expected and expected, "the secretary's branch has things waiting"
    assert all(item in body["items"] for item in _json_items(_home_items(client, secretary)))
    assert body["roles"][0]["role"] == "secretary"


def test_an_account_without_a_person_gets_null_and_any_token_may_ask(client, personas):
    auditor = make_user("aud", "auditor")
    body = client.get("/api/v1/me", **personas.auth(auditor)).json()
    assert body["person"] is None
    assert body["roles"] == [{"role": "auditor", "label": "安全审计员", "organization": None, "organization_id": None}]
    assert client.get("/api/v1/me").status_code == 401
