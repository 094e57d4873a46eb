"""The care router: events and obligations in scope, filters, pagination, recording an event (its obligations
follow from the rules) and closing an obligation through the services (checks, audit), constant queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangjian.audit.models import AuditEvent
from dangjian.care import services
from dangjian.care.models import CareEvent, Obligation
from dangjian.core import context
from dangjian.testing import make_member

pytestmark = pytest.mark.django_db

JSON = "application/json"


def _event(user, person, kind="illness", days_ago=0, description=""):
    with context.acting(user):
        return services.record_event(
            user, person.pk, kind, timezone.localdate() - timedelta(days=days_ago), description
        )


def queries(client, url, headers) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, **headers).status_code == 200
    return len(ctx.captured_queries)


def test_events_are_listed_in_scope_and_described_only_one_at_a_time(client, personas):
    t, p1, p1b, p2 = personas.tree, personas.secretary.person, personas.member.person, personas.other_secretary.person
    event = _event(personas.secretary, p1, description="住院治疗")
    _event(personas.secretary, p1b, kind="retirement", days_ago=40)
    _event(personas.other_secretary, p2)
    sec1, office = personas.auth(personas.secretary), personas.auth(personas.office)
    body = client.get("/api/v1/care/events", **sec1).json()
    assert body["count"] == 2 and {e["name"] for e in body["items"]} == {"甲一", "甲二"}
    assert "住院治疗" not in client.get("/api/v1/care/events", **sec1).content.decode()  # never in a list
    assert client.get("/api/v1/care/events", **office).json()["count"] == 3
    assert [e["name"] for e in client.get("/api/v1/care/events?kind=retirement", **sec1).json()["items"]] == ["甲二"]
    since = str(timezone.localdate() - timedelta(days=10))
    assert client.get(f"/api/v1/care/events?date_from={since}", **sec1).json()["count"] == 1
    assert client.get(f"/api/v1/care/events?organization={t.branch2.pk}", **office).json()["count"] == 1
    assert client.get("/api/v1/care/events?status=open", **office).json()["count"] >= 1
    page = client.get("/api/v1/care/events?limit=1&offset=2", **office).json()
    assert page["count"] == 3 and len(page["items"]) == 1
    assert client.get(f"/api/v1/care/events?organization={t.branch2.pk}", **sec1).status_code == 404
    assert client.get("/api/v1/care/events?kind=party", **sec1).status_code == 422

    detail = client.get(f"/api/v1/care/events/{event.pk}", **sec1).json()
    assert detail["description"] == "住院治疗" and detail["obligations"]
    assert client.get(f"/api/v1/care/events/{event.pk}", **personas.auth(personas.other_secretary)).status_code == 404


def test_recording_an_event_opens_its_obligations(client, personas):
    p1, p2 = personas.secretary.person, personas.other_secretary.person
    body = {"person_id": p1.pk, "kind": "illness", "occurred_on": str(timezone.localdate()), "description": "手术"}
    r = client.post("/api/v1/care/events", body, content_type=JSON, **personas.auth(personas.secretary))
    assert r.status_code == 201
    assert r.json()["obligations"] and all(o["status"] == "open" for o in r.json()["obligations"])
    assert AuditEvent.objects.filter(object_type="care.careevent", action="create", channel="api").exists()
    r = client.post(
        "/api/v1/care/events", {**body, "kind": "party"}, content_type=JSON, **personas.auth(personas.secretary)
    )
    assert r.status_code == 422 and r.json()["detail"] == [{"field": "kind", "message": "无效的事件类型"}]
    r = client.post(
        "/api/v1/care/events", {**body, "person_id": p2.pk}, content_type=JSON, **personas.auth(personas.secretary)
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "person"
    assert CareEvent.objects.count() == 1


def test_an_obligation_is_closed_with_what_was_done(client, personas):
    p1 = personas.secretary.person
    event = _event(personas.secretary, p1, days_ago=3)
    ob = event.obligations.first()
    sec1 = personas.auth(personas.secretary)
    listed = client.get("/api/v1/care/obligations", **sec1).json()
    assert ob.pk in {o["id"] for o in listed["items"]}
    assert client.get("/api/v1/care/obligations", **personas.auth(personas.other_secretary)).json()["count"] == 0
    assert client.get(f"/api/v1/care/obligations/{ob.pk}", **personas.auth(personas.other_secretary)).status_code == 404

    url = f"/api/v1/care/obligations/{ob.pk}/close"
    today = str(timezone.localdate())
    r = client.post(url, {"done_on": today, "what_done": " "}, content_type=JSON, **sec1)
    assert r.status_code == 422 and r.json()["detail"] == [{"field": "what_done", "message": "请填写办理情况"}]
    r = client.post(
        url, {"done_on": today, "what_done": "上门看望"}, content_type=JSON, **personas.auth(personas.other_secretary)
    )
    assert r.status_code == 404
    r = client.post(url, {"done_on": today, "what_done": "上门看望"}, content_type=JSON, **sec1)
    assert r.status_code == 200 and r.json()["status"] == "closed" and r.json()["what_done"] == "上门看望"
    assert AuditEvent.objects.filter(object_type="care.obligation", action="update", channel="api").exists()
    closed = client.get("/api/v1/care/obligations?status=closed", **sec1).json()
    assert [o["id"] for o in closed["items"]] == [ob.pk]
    r = client.post(url, {"done_on": today, "what_done": "再次"}, content_type=JSON, **sec1)
    assert r.status_code == 422  # already closed


def test_care_lists_keep_their_query_count(client, personas):
    t, p1 = personas.tree, personas.secretary.person
    office = personas.auth(personas.office)
    _event(personas.secretary, p1)
    urls = ("/api/v1/care/events", "/api/v1/care/obligations")
    before = {u: queries(client, u, office) for u in urls}
    for i in range(5):
        _event(personas.office, make_member(t.branch2, f"多{i}", department=t.dept2))
    assert Obligation.objects.count() > 5
    assert {u: queries(client, u, office) for u in urls} == before
