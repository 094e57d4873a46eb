"""The transfers router: transfers and lost-contact cases in scope, filters, pagination, opening a case and
recording a contact attempt through the services (checks, audit), constant queries."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangjian.audit.models import AuditEvent
from dangjian.core import context
from dangjian.testing import make_member
from dangjian.transfers import lost, services
from dangjian.transfers.models import ContactAttempt

pytestmark = pytest.mark.django_db

JSON = "application/json"


def _transfer(user, person, requested_on):
    with context.acting(user):
        return services.request_transfer(
            user, person.pk, to_name="外单位党委", reason="调动", requested_on=requested_on
        )


def _lost(user, person, last_contact_on):
    with context.acting(user):
        return lost.open_case(user, person.pk, last_contact_on=last_contact_on)


def queries(client, url, headers) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, **headers).status_code == 200
    return len(ctx.captured_queries)


def test_transfers_are_read_in_scope_with_filters(client, personas):
    t, p1, p1b, p2 = personas.tree, personas.secretary.person, personas.member.person, personas.other_secretary.person
    today = timezone.localdate()
    t1 = _transfer(personas.secretary, p1, today - timedelta(days=30))
    with context.acting(personas.secretary):
        services.send(personas.secretary, t1.pk, on=today - timedelta(days=29))
    _transfer(personas.secretary, p1b, today)
    _transfer(personas.other_secretary, p2, today)
    sec1, office = personas.auth(personas.secretary), personas.auth(personas.office)
    body = client.get("/api/v1/transfers", **sec1).json()
    assert body["count"] == 2 and {row["name"] for row in body["items"]} == {"甲一", "甲二"}
    assert "id_number" not in body["items"][0]
    assert client.get("/api/v1/transfers", **office).json()["count"] == 3
    assert [row["name"] for row in client.get("/api/v1/transfers?status=sent", **sec1).json()["items"]] == ["甲一"]
    since = str(today - timedelta(days=5))
    assert client.get(f"/api/v1/transfers?requested_from={since}", **sec1).json()["count"] == 1
    assert client.get(f"/api/v1/transfers?organization={t.branch2.pk}", **office).json()["count"] == 1
    assert client.get("/api/v1/transfers?direction=out&limit=1", **office).json()["count"] == 3
    assert client.get(f"/api/v1/transfers?organization={t.branch2.pk}", **sec1).status_code == 404
    assert client.get("/api/v1/transfers?status=lost", **sec1).status_code == 422

    detail = client.get(f"/api/v1/transfers/{t1.pk}", **sec1).json()
    assert [e["to_status"] for e in detail["events"]] == ["requested", "sent"]
    assert client.get(f"/api/v1/transfers/{t1.pk}", **personas.auth(personas.other_secretary)).status_code == 404


def test_lost_contact_cases_are_read_in_scope_with_their_flags(client, personas):
    t, p1, p1b, p2 = personas.tree, personas.secretary.person, personas.member.person, personas.other_secretary.person
    today = timezone.localdate()
    case = _lost(personas.secretary, p1, date(today.year - 1, 1, 1))
    _lost(personas.secretary, p1b, today - timedelta(days=10))
    _lost(personas.other_secretary, p2, today - timedelta(days=10))
    sec1, office = personas.auth(personas.secretary), personas.auth(personas.office)
    assert client.get("/api/v1/lost-contacts", **sec1).json()["count"] == 2
    assert client.get("/api/v1/lost-contacts", **office).json()["count"] == 3
    due = client.get("/api/v1/lost-contacts?flag=suspend_due", **sec1).json()
    assert [row["name"] for row in due["items"]] == ["甲一"]
    assert client.get(f"/api/v1/lost-contacts?organization={t.branch2.pk}", **office).json()["count"] == 1
    page = client.get("/api/v1/lost-contacts?limit=1", **office).json()
    assert page["count"] == 3 and len(page["items"]) == 1
    assert client.get(f"/api/v1/lost-contacts?organization={t.branch2.pk}", **sec1).status_code == 404

    detail = client.get(f"/api/v1/lost-contacts/{case.pk}", **sec1).json()
    assert detail["flag"] == "suspend_due" and detail["contacts"][0]["method"] == "reported"
    assert client.get(f"/api/v1/lost-contacts/{case.pk}", **personas.auth(personas.other_secretary)).status_code == 404


def test_a_case_is_opened_and_contacts_recorded_through_the_service(client, personas):
    p1, p2 = personas.secretary.person, personas.other_secretary.person
    today = timezone.localdate()
    sec1 = personas.auth(personas.secretary)
    r = client.post(
        "/api/v1/lost-contacts", {"person_id": p1.pk, "last_contact_on": str(today)}, content_type=JSON, **sec1
    )
    assert r.status_code == 201 and r.json()["status"] == "tracking"
    case_id = r.json()["id"]
    assert AuditEvent.objects.filter(object_type="transfers.lostcontact", action="create", channel="api").exists()
    r = client.post(
        "/api/v1/lost-contacts", {"person_id": p2.pk, "last_contact_on": str(today)}, content_type=JSON, **sec1
    )
    assert r.status_code == 404

    url = f"/api/v1/lost-contacts/{case_id}/contacts"
    r = client.post(url, {"on": str(today), "method": "phone", "reached": False}, content_type=JSON, **sec1)
    assert r.status_code == 201 and [c["method"] for c in r.json()["contacts"]] == ["phone", "reported"]
    assert AuditEvent.objects.filter(object_type="transfers.contactattempt", channel="api").count() == 2
    r = client.post(url, {"on": str(today), "method": "reported"}, content_type=JSON, **sec1)
    assert r.status_code == 422 and r.json()["detail"] == [{"field": "method", "message": "请选择联系方式"}]
    tomorrow = str(today + timedelta(days=1))
    r = client.post(url, {"on": tomorrow, "method": "phone"}, content_type=JSON, **sec1)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "on"
    r = client.post(
        url, {"on": str(today), "method": "phone"}, content_type=JSON, **personas.auth(personas.other_secretary)
    )
    assert r.status_code == 404
    assert ContactAttempt.objects.count() == 2


def test_transfer_lists_keep_their_query_count(client, personas):
    t, p1, p1b = personas.tree, personas.secretary.person, personas.member.person
    office = personas.auth(personas.office)
    _transfer(personas.secretary, p1, timezone.localdate())
    _lost(personas.secretary, p1b, timezone.localdate())
    urls = ("/api/v1/transfers", "/api/v1/lost-contacts")
    before = {u: queries(client, u, office) for u in urls}
    for i in range(4):
        _transfer(personas.office, make_member(t.branch2, f"转{i}"), timezone.localdate())
        _lost(personas.office, make_member(t.branch2, f"失{i}"), timezone.localdate())
    assert {u: queries(client, u, office) for u in urls} == before


def test_a_transfer_inside_the_tree_is_requested_sent_and_accepted_by_each_side(client, personas):
    t, p1b = personas.tree, personas.member.person
    today = timezone.localdate()
    sec1, sec2 = personas.auth(personas.secretary), personas.auth(personas.other_secretary)
    body = {"person_id": p1b.pk, "to_org_id": t.branch2.pk, "reason": "部门调整", "requested_on": str(today)}
    assert client.post("/api/v1/transfers", body, content_type=JSON, **sec2).status_code == 404  # not its member
    r = client.post("/api/v1/transfers", {**body, "reason": " "}, content_type=JSON, **sec1)
    assert r.status_code == 422 and r.json()["detail"] == [{"field": "reason", "message": "请填写转接原因"}]
    r = client.post("/api/v1/transfers", body, content_type=JSON, **sec1)
    assert r.status_code == 201 and r.json()["status"] == "requested" and r.json()["direction"] == "inside"
    url = f"/api/v1/transfers/{r.json()['id']}"

    r = client.post(f"{url}/send", {"on": str(today)}, content_type=JSON, **sec2)
    assert r.status_code == 422 and "只有转出方" in r.json()["detail"][0]["message"]  # the receiving side sees it
    r = client.post(f"{url}/send", {"on": str(today)}, content_type=JSON, **sec1)
    assert r.status_code == 200 and r.json()["status"] == "sent" and r.json()["sent_on"] == str(today)
    r = client.post(f"{url}/accept", {"on": str(today)}, content_type=JSON, **sec1)
    assert r.status_code == 422 and "只有接收方" in r.json()["detail"][0]["message"]
    r = client.post(f"{url}/accept", {"on": str(today)}, content_type=JSON, **sec2)
    assert r.status_code == 200 and r.json()["status"] == "received"
    assert [e["to_status"] for e in r.json()["events"]] == ["requested", "sent", "received"]
    assert p1b.memberships.current().get().organization_id == t.branch2.pk
    assert AuditEvent.objects.filter(object_type="transfers.transfer", action="update", channel="api").count() == 2


def test_a_transfer_out_of_the_tree_is_cancelled_with_a_reason_and_unseen_by_others(client, personas):
    p1 = personas.secretary.person
    transfer = _transfer(personas.secretary, p1, timezone.localdate())
    url = f"/api/v1/transfers/{transfer.pk}"
    assert (
        client.post(
            f"{url}/cancel", {"reason": "x"}, content_type=JSON, **personas.auth(personas.other_secretary)
        ).status_code
        == 404
    )
    r = client.post(f"{url}/cancel", {"reason": ""}, content_type=JSON, **personas.auth(personas.secretary))
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "reason"
    r = client.post(f"{url}/cancel", {"reason": "不再调动"}, content_type=JSON, **personas.auth(personas.secretary))
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    reject = {"on": str(timezone.localdate()), "reason": "x"}
    assert (
        client.post(f"{url}/reject", reject, content_type=JSON, **personas.auth(personas.secretary)).status_code == 422
    )
