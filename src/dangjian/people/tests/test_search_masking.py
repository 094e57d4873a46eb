"""A user without people.view_sensitive finds a person by ID number or phone only with the complete value; every
search by ID number or phone is an audit event (issue 10 §4: a leader recovered a full ID number in 59 prefix
searches)."""

import pytest
from django.test import Client
from django.urls import reverse

from dangjian.accounts.models import RoleAssignment
from dangjian.audit.models import AuditEvent
from dangjian.people.idcard import mask
from dangjian.testing import PASSWORD, make_member, make_tree, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    t = make_tree()
    a = make_member(t.branch1, "甲一", department=t.dept1, phone="13912345678")
    b = make_member(t.branch2, "乙二", department=t.dept2, phone="13787654321")
    return t, a, b


def page_names(user, q: str) -> str:
    client = Client()
    client.force_login(user)
    return client.get(reverse("people:list"), {"q": q}).content.decode()


def api_names(username: str, q: str) -> list[str]:
    client = Client()
    r = client.post("/api/v1/auth/token", {"username": username, "password": PASSWORD}, content_type="application/json")
    auth = f"Bearer {r.json()['token']}"
    body = client.get("/api/v1/persons", {"q": q}, HTTP_AUTHORIZATION=auth).json()
    return [p["name"] for p in body["items"]]


@pytest.mark.parametrize("length", [6, 10, 17])
def test_a_leader_finds_nobody_by_part_of_an_id_number(world, length):
    t, a, b = world
    leader = make_user("leader", "leader", t.root)
    prefix = a.id_number[:length]
    assert "甲一" not in page_names(leader, prefix)
    assert api_names("leader", prefix) == []


def test_a_leader_finds_the_person_with_the_complete_id_number_or_phone(world):
    t, a, b = world
    leader = make_user("leader", "leader", t.root)
    assert "甲一" in page_names(leader, a.id_number)
    assert api_names("leader", a.id_number) == ["甲一"]
    assert api_names("leader", a.id_number.lower()) == ["甲一"]
    assert api_names("leader", "13912345678") == ["甲一"]
    assert "甲一" in page_names(leader, "13912345678")


def test_a_leader_finds_nobody_by_part_of_a_phone(world):
    t, a, b = world
    leader = make_user("leader", "leader", t.root)
    assert api_names("leader", "1391234") == []
    assert "甲一" not in page_names(leader, "1391234567")


def test_prefix_search_stays_for_people_whose_numbers_the_user_may_see(world):
    t, a, b = world
    # a secretary of branch1 who also leads the whole institute: sensitive data in branch1 only
    sec = make_user("sec1", "secretary", t.branch1)
    RoleAssignment.objects.create(user=sec, role="leader", organization=t.root)
    assert a.id_number[:17] != b.id_number[:17]
    assert api_names("sec1", a.id_number[:17]) == ["甲一"]
    assert api_names("sec1", b.id_number[:17]) == []
    assert api_names("sec1", b.id_number) == ["乙二"]
    assert api_names("sec1", "1391234") == ["甲一"]
    assert api_names("sec1", "1378765") == []


def test_searches_by_id_number_or_phone_are_audited_without_the_number(world):
    t, a, b = world
    leader = make_user("leader", "leader", t.root)
    sec = make_user("sec1", "secretary", t.branch1)
    page_names(leader, a.id_number[:8])
    api_names("sec1", "13912345678")
    page_names(sec, "甲")  # a search by name is not
    events = list(AuditEvent.objects.filter(action="view_sensitive").order_by("id"))
    assert [(e.actor, e.channel) for e in events] == [(leader, "web"), (sec, "api")]
    assert events[0].detail["search"] == mask(a.id_number[:8]) and events[0].detail["complete_only"] is True
    assert events[1].detail["complete_only"] is False
    for e in events:
        assert a.id_number[:8] not in str(e.detail) and "13912345678" not in str(e.detail)


def test_an_empty_search_tells_a_user_without_the_permission_to_give_the_complete_number(client, world):
    t, a, b = world
    client.force_login(make_user("leader", "leader", t.root))
    html = client.get("/people/", {"q": a.id_number[:10]}).content.decode()
    assert "按身份证号或手机号查找时，须输入完整号码" in html
    client.force_login(make_user("office", "office", t.root))
    html = client.get("/people/", {"q": "99999999999"}).content.decode()
    assert "须输入完整号码" not in html
