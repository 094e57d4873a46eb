"""The dues router: accounts, the month ledger, payments and arrears in scope, filters, pagination, recording a
payment through the service (its checks and audit), constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangjian.audit.models import AuditEvent
from dangjian.core import context
from dangjian.dues import services
from dangjian.dues.models import DuesAccount, DuesPayment
from dangjian.dues.months import add_months, month_start
from dangjian.testing import make_member

pytestmark = pytest.mark.django_db

JSON = "application/json"


def _pay(user, person, months_back=1, amount="10"):
    month = add_months(month_start(timezone.localdate()), -months_back)
    data = {"amount": amount, "month_from": month, "month_to": month, "paid_on": timezone.localdate()}
    with context.acting(user):
        return services.record_payment(user, person.pk, data)


def queries(client, url, headers) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, **headers).status_code == 200
    return len(ctx.captured_queries)


def test_a_payment_is_recorded_through_the_service(client, personas):
    p1 = personas.secretary.person
    month = add_months(month_start(timezone.localdate()), -1)
    body = {"person_id": p1.pk, "amount": "45.68", "month_from": str(month), "month_to": str(month)}
    body["paid_on"] = str(timezone.localdate())
    r = client.post("/api/v1/dues/payments", body, content_type=JSON, **personas.auth(personas.secretary))
    assert r.status_code == 201, r.content
    assert r.json()["amount"] == "45.68" and r.json()["person_id"] == p1.pk and r.json()["void"] is False
    assert AuditEvent.objects.filter(object_type="dues.duespayment", action="create", channel="api").exists()

    r = client.post(
        "/api/v1/dues/payments", {**body, "amount": "0"}, content_type=JSON, **personas.auth(personas.secretary)
    )
    assert r.status_code == 422 and r.json()["detail"] == [{"field": "amount", "message": "金额必须大于0"}]
    future = str(add_months(timezone.localdate(), 1))
    r = client.post(
        "/api/v1/dues/payments", {**body, "paid_on": future}, content_type=JSON, **personas.auth(personas.secretary)
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "paid_on"
    r = client.post(
        "/api/v1/dues/payments", {**body, "amount": "abc"}, content_type=JSON, **personas.auth(personas.secretary)
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "amount"
    r = client.post("/api/v1/dues/payments", body, content_type=JSON, **personas.auth(personas.other_secretary))
    assert r.status_code == 404
    assert DuesPayment.objects.count() == 1


def test_payments_and_accounts_are_read_in_scope(client, personas):
    t, p1, p1b, p2 = personas.tree, personas.secretary.person, personas.member.person, personas.other_secretary.person
    _pay(personas.secretary, p1, 1)
    _pay(personas.secretary, p1, 2)
    _pay(personas.secretary, p1b, 1)
    _pay(personas.other_secretary, p2, 1)
    sec1, office = personas.auth(personas.secretary), personas.auth(personas.office)
    assert client.get("/api/v1/dues/payments", **sec1).json()["count"] == 3
    assert client.get("/api/v1/dues/payments", **office).json()["count"] == 4
    assert client.get(f"/api/v1/dues/payments?person={p1.pk}", **sec1).json()["count"] == 2
    assert client.get(f"/api/v1/dues/payments?organization={t.branch2.pk}", **office).json()["count"] == 1
    tomorrow = str(add_months(timezone.localdate(), 1))
    assert client.get(f"/api/v1/dues/payments?paid_from={tomorrow}", **office).json()["count"] == 0
    page = client.get("/api/v1/dues/payments?limit=2&offset=2", **office).json()
    assert page["count"] == 4 and len(page["items"]) == 2
    assert client.get(f"/api/v1/dues/payments?organization={t.branch2.pk}", **sec1).status_code == 404

    accounts = client.get("/api/v1/dues/accounts", **sec1).json()
    assert sorted(a["name"] for a in accounts["items"]) == ["甲一", "甲二"]
    account = DuesAccount.objects.get(person=p1)
    detail = client.get(f"/api/v1/dues/accounts/{account.pk}", **sec1).json()
    assert len(detail["payments"]) == 2 and detail["name"] == "甲一"
    assert (
        client.get(f"/api/v1/dues/accounts/{account.pk}", **personas.auth(personas.other_secretary)).status_code == 404
    )


def test_the_month_ledger_and_arrears_follow_the_scope(client, personas):
    t, p1 = personas.tree, personas.secretary.person
    month = add_months(month_start(timezone.localdate()), -1)
    _pay(personas.secretary, p1, 1)
    sec1 = personas.auth(personas.secretary)
    lines = client.get(f"/api/v1/dues/ledger?month={month:%Y-%m}", **sec1).json()
    assert {line["name"] for line in lines["items"]} == {"甲一", "甲二"}
    paid = {line["name"]: line["paid"] for line in lines["items"]}
    assert paid == {"甲一": "10.00", "甲二": "0.00"}
    assert {line["name"]: line["status"] for line in lines["items"]} == {"甲一": "partial", "甲二": "no_base"}
    no_base = client.get(f"/api/v1/dues/ledger?month={month:%Y-%m}&status=no_base", **sec1).json()
    assert [line["name"] for line in no_base["items"]] == ["甲二"]
    r = client.get("/api/v1/dues/ledger?month=2026-13", **sec1)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "month"
    assert client.get("/api/v1/dues/ledger?status=late", **sec1).status_code == 422
    assert client.get(f"/api/v1/dues/ledger?organization={t.branch2.pk}", **sec1).status_code == 404

    # admitted in 2010 and never paying before: everyone is in arrears but for the months just paid
    arrears = client.get("/api/v1/dues/arrears", **sec1).json()
    assert {row["name"] for row in arrears["items"]} == {"甲二"}
    assert arrears["items"][0]["months"] >= 6 and arrears["items"][0]["citation"]
    office = personas.auth(personas.office)
    assert {row["name"] for row in client.get("/api/v1/dues/arrears", **office).json()["items"]} == {"甲二", "乙二"}
    by_org = client.get(f"/api/v1/dues/arrears?organization={t.branch2.pk}", **office).json()
    assert [row["name"] for row in by_org["items"]] == ["乙二"]


def test_dues_lists_keep_their_query_count(client, personas):
    t, p1 = personas.tree, personas.secretary.person
    office = personas.auth(personas.office)
    _pay(personas.secretary, p1, 1)
    urls = ("/api/v1/dues/payments", "/api/v1/dues/accounts", "/api/v1/dues/ledger", "/api/v1/dues/arrears")
    before = {u: queries(client, u, office) for u in urls}
    for i in range(6):
        _pay(personas.office, make_member(t.branch2, f"多{i}", department=t.dept2), 1)
    assert {u: queries(client, u, office) for u in urls} == before


def test_a_payment_before_admission_is_refused_with_the_rule(client, personas):
    p1 = personas.secretary.person
    body = {"person_id": p1.pk, "amount": "10", "month_from": "2009-01-01", "month_to": "2009-01-01"}
    r = client.post(
        "/api/v1/dues/payments",
        {**body, "paid_on": str(timezone.localdate())},
        content_type=JSON,
        **personas.auth(personas.secretary),
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "month_from"
    assert "入党当月" in r.json()["detail"][0]["message"]


def test_ledger_pages_compute_only_their_members_and_match_the_whole_month(client, personas):
    p1, p2 = personas.secretary.person, personas.other_secretary.person
    _pay(personas.secretary, p1, 1)
    _pay(personas.other_secretary, p2, 1, amount="20")
    office = personas.auth(personas.office)
    month = f"{add_months(month_start(timezone.localdate()), -1):%Y-%m}"
    whole = client.get(f"/api/v1/dues/ledger?month={month}&limit=100", **office).json()
    assert whole["count"] == 3
    pages = [client.get(f"/api/v1/dues/ledger?month={month}&limit=1&offset={i}", **office).json() for i in range(3)]
    assert [p["items"][0] for p in pages] == whole["items"] and {p["count"] for p in pages} == {3}
    names = [line["name"] for line in whole["items"]]
    assert set(names[:2]) == {"甲一", "甲二"} and names[2] == "乙二"  # by branch, then name


def test_arrears_pages_match_the_whole_list(client, personas):
    t = personas.tree
    make_member(t.branch2, "乙三", department=t.dept2)
    office = personas.auth(personas.office)
    whole = client.get("/api/v1/dues/arrears?limit=100", **office).json()
    names = [row["name"] for row in whole["items"]]
    assert whole["count"] == 4 and set(names[:2]) == {"甲一", "甲二"} and set(names[2:]) == {"乙二", "乙三"}
    pages = [client.get(f"/api/v1/dues/arrears?limit=3&offset={i}", **office).json() for i in (0, 3)]
    assert pages[0]["items"] + pages[1]["items"] == whole["items"] and pages[1]["count"] == 4


def test_a_payment_is_voided_with_a_reason_and_kept(client, personas):
    p1 = personas.secretary.person
    payment = _pay(personas.secretary, p1, 1)
    url = f"/api/v1/dues/payments/{payment.pk}/void"
    r = client.post(url, {"reason": " "}, content_type=JSON, **personas.auth(personas.secretary))
    assert r.status_code == 422 and r.json()["detail"] == [{"field": "reason", "message": "请填写作废原因"}]
    assert (
        client.post(
            url, {"reason": "重复登记"}, content_type=JSON, **personas.auth(personas.other_secretary)
        ).status_code
        == 404
    )
    r = client.post(url, {"reason": "重复登记"}, content_type=JSON, **personas.auth(personas.secretary))
    assert r.status_code == 200 and r.json()["void"] is True and r.json()["void_reason"] == "重复登记"
    assert AuditEvent.objects.filter(object_type="dues.duespayment", action="delete", channel="api").exists()
    assert client.get("/api/v1/dues/payments", **personas.auth(personas.secretary)).json()["count"] == 0
    account = DuesAccount.objects.get(person=p1)
    history = client.get(f"/api/v1/dues/accounts/{account.pk}", **personas.auth(personas.secretary)).json()["payments"]
    assert [(p["id"], p["void"]) for p in history] == [(payment.pk, True)]  # never erased
