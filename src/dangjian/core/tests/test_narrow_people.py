"""Person drop-downs stay small in a large scope: a preset or posted person, a search, or the first N."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from dangjian.core.forms import narrow_people
from dangjian.people.models import Person
from dangjian.testing import make_member, make_tree, make_user

pytestmark = pytest.mark.django_db


def test_narrow_people_limits_searches_and_honours_a_preset():
    t = make_tree()
    people = [make_member(t.branch1, name) for name in ("张一", "张二", "李三")]
    everyone = Person.objects.order_by("name")
    rf = RequestFactory()
    qs, search = narrow_people(rf.get("/"), everyone, limit=2)
    assert qs.count() == 2 and "只列出前 2 人" in search["note"]
    qs, search = narrow_people(rf.get("/", {"q": "张"}), everyone, limit=2)
    assert set(qs) == set(people[:2]) and search["note"] == ""
    qs, search = narrow_people(rf.get("/", {"person": people[2].pk}), everyone, limit=2)
    assert list(qs) == [people[2]] and search is None
    qs, _ = narrow_people(rf.post("/", {"person": people[2].pk}), everyone, limit=2)
    assert list(qs) == [people[2]]


def test_transfer_request_page_has_a_person_search(client):
    t = make_tree()
    make_member(t.branch1, "甲一")
    client.force_login(make_user("office", "office", t.root))
    for name in ("transfers:new", "transfers:lost_open"):
        html = client.get(reverse(name) + "?q=甲").content.decode()
        assert 'name="q"' in html and "甲一" in html, name
