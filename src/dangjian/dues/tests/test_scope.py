"""Every dues page with an in-scope and an out-of-scope secretary (the generic walk, limited to dues)."""

from __future__ import annotations

import pytest
from django.urls import get_resolver, reverse

from dangjian.people.models import ImportJob
from dangjian.testing import make_member, make_tree, make_user

from .scope_fixture import object_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def generic_world():
    t = make_tree()
    p1 = make_member(t.branch1, "甲一", department=t.dept1)
    p2 = make_member(t.branch2, "乙二", department=t.dept2)
    sec1 = make_user("sec1", "secretary", t.branch1, person=p1)
    sec2 = make_user("sec2", "secretary", t.branch2, person=p2)
    job1 = ImportJob.objects.create(user=sec1, filename="a.csv", stored_name="x", dry_run=True, status="failed")
    return t, p1, p2, sec1, sec2, job1


def _dues_urls(world):
    resolver = get_resolver().namespace_dict["dues"][1]
    out = []
    for p in resolver.url_patterns:
        kwargs = {param: object_for(world, p.name, param) for param in p.pattern.converters}
        out.append((p.name, reverse(f"dues:{p.name}", kwargs=kwargs), bool(kwargs)))
    return out


def test_out_of_scope_dues_objects_answer_404_and_lists_hide_them(client, generic_world):
    t, p1, p2, sec1, sec2, job1 = generic_world
    urls = _dues_urls(generic_world)
    assert len(urls) >= 12
    for name, url, has_object in urls:
        client.force_login(sec1)
        assert client.get(url).status_code in (200, 302, 405), name
        client.force_login(sec2)
        outside = client.get(url)
        if has_object:
            assert outside.status_code in (404, 405), (name, outside.status_code)
        else:
            assert outside.status_code in (200, 302), (name, outside.status_code)
            if outside["Content-Type"].startswith("text/html"):
                assert "甲一" not in outside.content.decode(), name


def test_anonymous_users_go_to_login(client, generic_world):
    for name, url, _ in _dues_urls(generic_world):
        response = client.get(url)
        assert response.status_code in (302, 405), name
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"], name
