"""GET /api/v1/work-plan/items?year=YEAR: scoped like the pages, each item with its deployments and latest
progress, paginated, constant queries."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.accounts.models import ApiToken
from dangjian.core import context
from dangjian.workplan import services

from .factories import make_world

pytestmark = pytest.mark.django_db
URL = "/api/v1/work-plan/items"


@pytest.fixture
def w():
    return make_world()


def get(client, user, url=URL, **params):
    return client.get(url, params, HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user)}")


def test_items_with_deployments_and_latest_progress(client, w):
    services.report_progress(w.sec1, w.dep.pk, {"percent": 20, "content": "启动", "quarter": 1})
    services.report_progress(w.sec1, w.dep.pk, {"percent": 70, "content": "推进", "quarter": 3})
    body = get(client, w.office, year=w.year).json()
    assert body["count"] == 1
    (item,) = body["items"]
    assert item["title"] == "党建引领科研攻关" and item["year"] == w.year
    assert [x["name"] for x in item["lines"]] == ["计量校准服务"]
    assert [x["code"] for x in item["projects"]] == ["P1"]
    (dep,) = item["deployments"]
    assert dep["organization_name"] == "一支部" and dep["responsible_name"] == "甲一" and dep["status"] == "open"
    assert dep["latest_progress"]["percent"] == 70 and dep["latest_progress"]["quarter"] == 3
    assert get(client, w.office, year=w.year + 1).json()["count"] == 0


def test_scoped_like_the_pages(client, w):
    # the secretary sees the committee's item deployed to the branch; the other secretary nothing
    assert [i["title"] for i in get(client, w.sec1, year=w.year).json()["items"]] == ["党建引领科研攻关"]
    assert get(client, w.sec2, year=w.year).json()["count"] == 0
    assert get(client, w.member, year=w.year).json()["count"] == 0
    with context.acting(w.office):
        item = services.save_item(w.office, w.plan.pk, {"title": "二支部事项"})
        services.deploy(
            w.office,
            item.pk,
            {"organization": w.t.branch2, "responsible": w.c, "measure": "m", "deadline": date(w.year, 5, 1)},
        )
    items = get(client, w.sec2, year=w.year).json()["items"]
    assert [i["title"] for i in items] == ["二支部事项"]
    assert [d["organization_name"] for d in items[0]["deployments"]] == ["二支部"]
    assert get(client, w.sec1, year=w.year).json()["count"] == 1
    assert client.get(URL, {"year": w.year}).status_code == 401
    assert get(client, w.office).status_code == 422


def test_constant_queries_and_paging(client, w):
    token = ApiToken.issue(w.office)
    counts = []
    for n in (0, 3):
        with context.acting(w.office):
            for i in range(n):
                item = services.save_item(w.office, w.plan.pk, {"title": f"事项{i}", "lines": [w.line]})
                dep = services.deploy(
                    w.office,
                    item.pk,
                    {"organization": w.t.branch1, "responsible": w.a, "measure": "m", "deadline": date(w.year, 5, 1)},
                )
                services.report_progress(w.sec1, dep.pk, {"percent": 5, "content": "x"})
        with CaptureQueriesContext(connection) as q:
            response = client.get(URL, {"year": w.year}, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 200
        counts.append(len(q))
    assert counts[0] == counts[1]
    page = client.get(URL, {"year": w.year, "limit": 2, "offset": 2}, HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert page["count"] == 4 and len(page["items"]) == 2
