"""The health router answers the aggregates page's figures and nothing else: groups under five withheld without
their size, no person, the user's scope, constant queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.accounts.models import ApiToken
from dangjian.testing import make_member, make_user

from .results import YEAR, make_result

pytestmark = pytest.mark.django_db


def auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}


def populate(world, in_branch1=5, in_branch2=4):
    t, ho = world["t"], world["ho_all"]
    people = [world["p1"]] + [make_member(t.branch1, f"一支部{i}", department=t.dept1) for i in range(in_branch1 - 1)]
    for i, person in enumerate(people):
        make_result(person, by=ho, cvd=12 if i < 2 else 1)
    people = [world["p2"]] + [make_member(t.branch2, f"二支部{i}", department=t.dept2) for i in range(in_branch2 - 1)]
    for person in people[:in_branch2]:
        make_result(person, by=ho, cvd=1)


def test_groups_of_five_are_shown_and_smaller_ones_withheld_without_their_size(client, world):
    t = world["t"]
    populate(world, in_branch1=5, in_branch2=0)  # branch2 has no one screened: withheld, not shown as 0
    r = client.get(f"/api/v1/health/aggregates?year={YEAR}", **auth(world["leader"]))
    assert r.status_code == 200
    body = r.json()
    assert body["year"] == YEAR and body["min_group"] == 5 and body["years"] == [YEAR]
    orgs = {g["id"]: g for g in body["organizations"]}
    assert orgs[t.branch1.pk]["screened"] == 5 and orgs[t.branch1.pk]["figures"]["cvd_high"] == 2
    assert orgs[t.branch2.pk] == {
        "id": t.branch2.pk,
        "name": "二支部",
        "withheld": True,
        "screened": None,
        "figures": None,
    }
    text = r.content.decode()
    assert "张一" not in text and "李二" not in text and "一支部0" not in text  # no person, ever


def test_the_figures_follow_the_scope_and_the_permission(client, world):
    t = world["t"]
    populate(world, in_branch1=5, in_branch2=5)
    sec1 = client.get(f"/api/v1/health/aggregates?year={YEAR}", **auth(world["sec1"])).json()
    assert {g["id"] for g in sec1["organizations"]} == {t.branch1.pk}
    assert client.get(f"/api/v1/health/aggregates?year={YEAR - 1}", **auth(world["sec1"])).json()["organizations"][0][
        "withheld"
    ]
    member = make_user("member1", "member", t.branch1, person=world["p1"])
    assert client.get("/api/v1/health/aggregates", **auth(member)).status_code == 404
    assert client.get("/api/v1/health/aggregates?year=1900", **auth(world["sec1"])).status_code == 422


def test_the_query_count_does_not_grow_with_people(client, world):
    populate(world, in_branch1=5, in_branch2=5)
    headers = auth(world["leader"])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/api/v1/health/aggregates?year={YEAR}", **headers).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    t = world["t"]
    for i in range(6):
        make_result(make_member(t.branch2, f"多{i}", department=t.dept2), by=world["ho_all"], cvd=1)
    assert count() == before
