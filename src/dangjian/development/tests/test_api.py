"""The development router: cases and their steps in scope, filters, pagination, opening a case and recording the
next step through the service (its rules and audit), constant queries."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.audit.models import AuditEvent
from dangjian.core import context
from dangjian.development import services
from dangjian.development.models import StepRecord
from dangjian.testing import make_person

pytestmark = pytest.mark.django_db

JSON = "application/json"
APPLIED = date(2024, 3, 15)


def _open(user, branch, name, applied=APPLIED):
    dept = branch.departments.first()  # a person the branch's secretary sees: staff of a department it covers
    person = make_person(name, department=dept, birth=date(1998, 5, 1))
    with context.acting(user):
        return services.open_case(user, person.pk, branch.pk, applied)


def test_cases_are_listed_in_scope_with_filters(client, personas):
    t, sec1, sec2, office = personas.tree, personas.secretary, personas.other_secretary, personas.office
    dev = _open(sec1, t.branch1, "王小明")
    _open(sec1, t.branch1, "李小红", applied=date(2025, 6, 1))
    _open(sec2, t.branch2, "赵小刚")
    with context.acting(sec1):
        services.record_step(sec1, dev.pk, 1, {"done_on": APPLIED})

    body = client.get("/api/v1/development/cases", **personas.auth(sec1)).json()
    assert body["count"] == 2 and {c["name"] for c in body["items"]} == {"王小明", "李小红"}
    assert client.get("/api/v1/development/cases", **personas.auth(office)).json()["count"] == 3
    r = client.get("/api/v1/development/cases?started_from=2025-01-01", **personas.auth(sec1)).json()
    assert [c["name"] for c in r["items"]] == ["李小红"]
    r = client.get(f"/api/v1/development/cases?organization={t.branch2.pk}", **personas.auth(office)).json()
    assert [c["name"] for c in r["items"]] == ["赵小刚"]
    assert client.get("/api/v1/development/cases?due=overdue", **personas.auth(office)).json()["count"] == 3
    assert client.get("/api/v1/development/cases?due=soon", **personas.auth(office)).json()["count"] == 0
    assert client.get("/api/v1/development/cases?stage=nowhere", **personas.auth(office)).status_code == 422
    page = client.get("/api/v1/development/cases?limit=2&offset=2", **personas.auth(office)).json()
    assert page["count"] == 3 and len(page["items"]) == 1
    assert (
        client.get(f"/api/v1/development/cases?organization={t.branch2.pk}", **personas.auth(sec1)).status_code == 404
    )

    detail = client.get(f"/api/v1/development/cases/{dev.pk}", **personas.auth(sec1)).json()
    assert [s["code"] for s in detail["steps"]] == ["submit_application"] and detail["next_step"] == 2
    assert client.get(f"/api/v1/development/cases/{dev.pk}", **personas.auth(sec2)).status_code == 404


def test_a_case_is_opened_and_its_steps_recorded_under_the_rules(client, personas):
    t, sec1, sec2 = personas.tree, personas.secretary, personas.other_secretary
    person = make_person("王小明", department=t.dept1, birth=date(1998, 5, 1))
    body = {"person_id": person.pk, "branch_id": t.branch1.pk, "applied_on": str(APPLIED)}
    r = client.post("/api/v1/development/cases", body, content_type=JSON, **personas.auth(sec1))
    assert r.status_code == 201 and r.json()["rule_version"] == "2014"
    case_id = r.json()["id"]
    assert AuditEvent.objects.filter(object_type="development.development", action="create", channel="api").exists()
    r = client.post("/api/v1/development/cases", body, content_type=JSON, **personas.auth(sec1))
    assert r.status_code == 422 and "进行中" in r.json()["detail"][0]["message"]
    r = client.post(
        "/api/v1/development/cases", {**body, "branch_id": t.branch1.pk}, content_type=JSON, **personas.auth(sec2)
    )
    assert r.status_code == 404

    url = f"/api/v1/development/cases/{case_id}/steps"
    r = client.post(url, {"step": 1, "done_on": str(APPLIED)}, content_type=JSON, **personas.auth(sec1))
    assert r.status_code == 201 and r.json()["steps"][0]["number"] == 1
    assert AuditEvent.objects.filter(object_type="development.steprecord", channel="api").exists()
    r = client.post(url, {"step": 3, "done_on": "2024-10-01"}, content_type=JSON, **personas.auth(sec1))
    assert r.status_code == 422 and "下一步为第2步" in r.json()["detail"][0]["message"]
    r = client.post(url, {"step": 2, "done_on": "2024-04-16"}, content_type=JSON, **personas.auth(sec1))
    assert r.status_code == 422 and "谈话晚于期限" in r.json()["detail"][0]["message"]
    r = client.post(
        url, {"step": 2, "done_on": "2024-04-15", "actor_id": 10**6}, content_type=JSON, **personas.auth(sec1)
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "actor_id"
    r = client.post(url, {"step": 2, "done_on": "2024-04-15"}, content_type=JSON, **personas.auth(sec2))
    assert r.status_code == 404
    assert StepRecord.objects.count() == 1


def test_case_list_queries_do_not_grow_with_the_data(client, personas):
    t, sec1, sec2, office = personas.tree, personas.secretary, personas.other_secretary, personas.office
    _open(sec1, t.branch1, "甲")
    headers = personas.auth(office)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/development/cases", **headers).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(6):
        _open(sec2, t.branch2, f"多{i}")
    assert count() == before
