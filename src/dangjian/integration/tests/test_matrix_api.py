"""GET /api/v1/integration/matrix and /carriers: the issue's shape, scoped like the page, Chinese errors, paged,
constant queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.accounts.models import ApiToken
from dangjian.integration.active import CODES
from dangjian.testing import make_member, make_tree, make_user

from . import carriers as f

pytestmark = pytest.mark.django_db
BASE = "/api/v1/integration"


@pytest.fixture
def world():
    t = make_tree()
    p1 = make_member(t.branch1, "甲一", department=t.dept1)
    p2 = make_member(t.branch2, "乙二", department=t.dept2)
    users = {
        "office": make_user("office", "office", t.root),
        "sec1": make_user("sec1", "secretary", t.branch1, person=p1),
    }
    line, stages = f.line_with_stages(t.root)
    task = f.task(t.root, line=line, stage=stages[0], name="任务甲", joined=[t.branch1, t.branch2])
    f.one_of_each(t.branch1, users["office"], p1, project=task)
    f.one_of_each(t.branch2, users["office"], p2, project=task)
    f.task(t.branch1, line=line, name="任务乙")
    f.zone(t.branch1, p1, stage=stages[0])  # a carrier of the stage as a whole: the stage gets its own row
    return t, users, line, stages, task


def auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}


def test_the_matrix_has_the_issue_shape(client, world):
    t, users, line, stages, task = world
    body = client.get(f"{BASE}/matrix?year=2026", **auth(users["office"])).json()
    assert set(body) == {"rows", "columns", "cells", "coverage"}
    assert body["columns"] == list(CODES)
    # the line's task without a stage first, then each stage's row with its tasks under it
    assert [r["id"] for r in body["rows"]][:3] == [f"p{task.pk + 1}", f"s{stages[0].pk}", f"p{task.pk}"]
    assert body["rows"][1] == {"id": f"s{stages[0].pk}", "line": "计量校准服务", "stage": "需求受理", "project": None}
    row = next(r for r in body["rows"] if r["project"] == "任务甲")
    assert row == {"id": f"p{task.pk}", "line": "计量校准服务", "stage": "需求受理", "project": "任务甲"}
    cells = {(c["row"], c["column"]): c["count"] for c in body["cells"]}
    assert {cells[(row["id"], code)] for code in CODES} == {2}
    assert body["coverage"] == {"key_tasks": 2, "with_carrier": 1, "rate": 50.0}


def test_a_secretary_counts_only_their_branch(client, world):
    t, users, line, stages, task = world
    body = client.get(f"{BASE}/matrix?year=2026", **auth(users["sec1"])).json()
    assert {c["count"] for c in body["cells"] if c["row"] == f"p{task.pk}"} == {1}


def test_the_year_is_required_and_checked_in_chinese(client, world):
    t, users, line, stages, task = world
    response = client.get(f"{BASE}/matrix?year=1800", **auth(users["office"]))
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "year"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["detail"][0]["message"])
    response = client.get(f"{BASE}/carriers?year=2026&kind=bogus", **auth(users["office"]))
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "kind"


def test_carriers_of_a_column_are_paged_and_scoped(client, world):
    t, users, line, stages, task = world
    body = client.get(f"{BASE}/carriers?year=2026&kind=commando_team", **auth(users["office"])).json()
    assert body["count"] == 2
    item = body["items"][0]
    assert set(item) == {"id", "kind", "name", "organization", "project", "stage", "starts_on", "ends_on", "people"}
    assert item["kind"] == "commando_team" and item["project"] == "任务甲" and len(item["people"]) == 1
    page = client.get(f"{BASE}/carriers?year=2026&kind=commando_team&limit=1&offset=1", **auth(users["office"]))
    assert page.json()["count"] == 2 and len(page.json()["items"]) == 1
    own = client.get(f"{BASE}/carriers?year=2026&kind=pledge", **auth(users["sec1"])).json()
    assert own["count"] == 1 and own["items"][0]["people"] == ["甲一"]
    point = client.get(f"{BASE}/carriers?year=2026&kind=contact_point", **auth(users["sec1"])).json()
    assert point["items"][0]["organization"] == "一支部"


def test_the_matrix_endpoint_takes_constant_queries(client, world):
    t, users, line, stages, task = world
    headers = auth(users["office"])
    client.get(f"{BASE}/matrix?year=2026", **headers)
    with CaptureQueriesContext(connection) as few:
        client.get(f"{BASE}/matrix?year=2026", **headers)
    for _ in range(4):
        more = f.task(t.branch1, line=line, stage=stages[1])
        f.one_of_each(t.branch1, users["office"], make_member(t.branch1), project=more)
    with CaptureQueriesContext(connection) as many:
        assert client.get(f"{BASE}/matrix?year=2026", **headers).status_code == 200
    assert len(few) == len(many)
