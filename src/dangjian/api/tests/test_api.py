from datetime import date

import pytest

from dangjian.people.models import Membership, Person
from dangjian.testing import PASSWORD, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    """The personas' tree, a member of branch A (甲二) and one of branch B (乙二, the other secretary)."""
    return personas.tree, personas.member.person, personas.other_secretary.person


def token(client, username="secretary"):
    r = client.post("/api/v1/auth/token", {"username": username, "password": PASSWORD}, content_type="application/json")
    assert r.status_code == 200, r.content
    return {"HTTP_AUTHORIZATION": f"Bearer {r.json()['token']}"}


def test_a_token_is_issued_only_for_the_right_password(client, world):
    r = client.post(
        "/api/v1/auth/token", {"username": "secretary", "password": "nope"}, content_type="application/json"
    )
    assert r.status_code == 401 and "密码" in r.json()["detail"]
    assert client.get("/api/v1/persons").status_code == 401
    assert client.get("/api/v1/persons", HTTP_AUTHORIZATION="Bearer forged").status_code == 401


def test_lists_are_scoped_paginated_and_masked(client, world):
    t, a, b = world
    auth = token(client)
    body = client.get("/api/v1/persons", **auth).json()
    assert body["count"] == 2 and {p["name"] for p in body["items"]} == {"甲一", "甲二"}
    full = dict(Person.objects.values_list("name", "id_number"))
    assert all(p["id_number"] != full[p["name"]] for p in body["items"])
    office = token(client, "office")
    page = client.get("/api/v1/persons?limit=1&offset=1", **office).json()
    assert page["count"] == 3 and len(page["items"]) == 1
    orgs = client.get("/api/v1/organizations?kind=branch", **auth).json()
    assert [o["name"] for o in orgs["items"]] == ["一支部"]


def test_detail_in_scope_shows_full_id_and_out_of_scope_is_404(client, world):
    t, a, b = world
    auth = token(client)
    assert client.get(f"/api/v1/persons/{a.pk}", **auth).json()["id_number"] == a.id_number
    assert client.get(f"/api/v1/persons/{b.pk}", **auth).status_code == 404
    m = Membership.objects.get(person=b)
    assert client.get(f"/api/v1/memberships/{m.pk}", **auth).status_code == 404
    assert client.get(f"/api/v1/organizations/{t.branch2.pk}", **auth).status_code == 404


def test_bad_input_answers_a_structured_4xx_never_a_500(client, world):
    t, a, b = world
    auth = token(client, "office")
    r = client.post("/api/v1/persons", {"name": "新"}, content_type="application/json", **auth)
    assert r.status_code == 422 and any(e["field"] == "id_number" for e in r.json()["detail"])
    r = client.post(
        "/api/v1/persons",
        {"name": "新", "id_number": "110105194912310021"},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 422 and any("校验码" in e["message"] for e in r.json()["detail"])
    r = client.post("/api/v1/persons", "{not json", content_type="application/json", **auth)
    assert 400 <= r.status_code < 500
    r = client.get("/api/v1/persons?age=forever", **auth)
    assert r.status_code == 422
    r = client.get("/api/v1/persons?org=abc", **auth)
    assert r.status_code == 422


def test_writes_go_through_the_same_services_and_scope(client, world):
    t, a, b = world
    auth = token(client)
    r = client.patch(f"/api/v1/persons/{a.pk}", {"post": "研究员"}, content_type="application/json", **auth)
    assert r.status_code == 200 and Person.objects.get(pk=a.pk).post == "研究员"
    r = client.patch(f"/api/v1/persons/{b.pk}", {"post": "研究员"}, content_type="application/json", **auth)
    assert r.status_code == 404
    r = client.post(
        f"/api/v1/persons/{a.pk}/move",
        {"to_branch_id": t.branch2.pk, "on": "2026-05-01"},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 422  # branch2 is outside the secretary's scope
    office = token(client, "office")
    r = client.post(
        f"/api/v1/persons/{a.pk}/move",
        {"to_branch_id": t.branch2.pk, "on": "2026-05-01"},
        content_type="application/json",
        **office,
    )
    assert r.status_code == 201 and r.json()["organization_id"] == t.branch2.pk


def test_the_openapi_schema_and_docs_are_served_locally(client, world):
    schema = client.get("/api/openapi.json").json()
    assert "/api/v1/persons" in schema["paths"] and "/api/v1/auth/token" in schema["paths"]
    html = client.get("/api/docs").content.decode()
    assert "http://" not in html.replace("http://testserver", "") and "https://" not in html


def test_organisations_can_be_created_renamed_and_dissolved_in_scope(client, world):
    t, a, b = world
    office = token(client, "office")
    sec = token(client)
    body = {"parent_id": t.branch1.pk, "kind": "group", "code": "G-NEW", "name": "新党小组"}
    assert client.post("/api/v1/organizations", body, content_type="application/json", **sec).status_code == 201
    body = {"parent_id": t.branch2.pk, "kind": "group", "code": "G-OUT", "name": "越权小组"}
    assert client.post("/api/v1/organizations", body, content_type="application/json", **sec).status_code == 404
    body = {"parent_id": t.group1.pk, "kind": "branch", "code": "B-BAD", "name": "错层"}
    r = client.post("/api/v1/organizations", body, content_type="application/json", **office)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "kind"
    r = client.patch(
        f"/api/v1/organizations/{t.office_branch.pk}", {"short_name": "机关"}, content_type="application/json", **office
    )
    assert r.status_code == 200 and r.json()["short_name"] == "机关"
    r = client.post(
        f"/api/v1/organizations/{t.office_branch.pk}/dissolve",
        {"on": "2026-06-30", "reason": "机构调整"},
        content_type="application/json",
        **office,
    )
    assert r.status_code == 200 and r.json()["dissolved_on"] == "2026-06-30"
    r = client.post(
        f"/api/v1/organizations/{t.branch1.pk}/dissolve",
        {"on": "2026-06-30", "reason": "x"},
        content_type="application/json",
        **office,
    )
    assert r.status_code == 422  # still has members


def test_api_list_query_counts_do_not_grow_with_the_data(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    t, a, b = world
    auth = token(client, "office")

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, **auth).status_code == 200
        return len(ctx.captured_queries)

    before = {u: count(u) for u in ("/api/v1/persons", "/api/v1/memberships", "/api/v1/organizations")}
    for i in range(25):
        make_member(t.branch1, f"多{i}")
    after = {u: count(u) for u in before}
    assert after == before


def test_numbers_too_large_for_the_database_are_refused_not_crashed(client, world):
    auth = token(client, "office")
    huge = "9" * 30
    assert client.get(f"/api/v1/organizations/{huge}", **auth).status_code in (404, 422)
    assert client.get(f"/api/v1/persons?org={huge}", **auth).status_code == 422
    assert client.get(f"/api/v1/memberships?organization={huge}", **auth).status_code in (404, 422)


def test_an_offset_no_database_can_take_is_a_422(client, world):
    auth = token(client, "office")
    response = client.get("/api/v1/memberships?offset=179832140150120674857320448&limit=300", **auth)
    assert response.status_code == 422


def test_patch_with_null_for_a_required_field_is_a_422(client, world):
    t, a, b = world
    auth = token(client, "office")
    r = client.patch(
        f"/api/v1/organizations/{t.branch1.pk}", {"short_name": None}, content_type="application/json", **auth
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "short_name"
    r = client.patch(f"/api/v1/persons/{a.pk}", {"post": None}, content_type="application/json", **auth)
    assert r.status_code == 422
    r = client.patch(f"/api/v1/persons/{a.pk}", {"hire_date": None}, content_type="application/json", **auth)
    assert r.status_code == 200


def test_a_nul_character_anywhere_in_the_input_is_a_400(client, world):
    auth = token(client, "office")
    assert client.get("/api/v1/organizations?kind=a%00b", **auth).status_code == 400
    r = client.post(
        "/api/v1/persons", '{"name": "a\\u0000b", "id_number": "x"}', content_type="application/json", **auth
    )
    assert r.status_code == 400


def test_a_secretary_cannot_register_a_person_in_a_department_outside_the_branch(client, world):
    from dangjian.idgen import make_id_number

    t, a, b = world
    auth = token(client)
    body = {"name": "新", "id_number": make_id_number(date(1990, 1, 2), "M", 7), "department_id": t.dept2.pk}
    r = client.post("/api/v1/persons", body, content_type="application/json", **auth)
    assert r.status_code == 422 and "管理范围" in r.json()["detail"][0]["message"]
    body["department_id"] = t.dept1.pk
    assert client.post("/api/v1/persons", body, content_type="application/json", **auth).status_code == 201


def test_each_domain_app_contributes_its_router_through_the_registry():
    from dangjian.api.urls import api
    from dangjian.core.contributions import contributions

    routers = {c.app: c.api_router for c in contributions() if c.api_router}
    assert set(routers) == {
        "appraisal",
        "assessment",
        "care",
        "compliance",
        "development",
        "dues",
        "health",
        "integration",
        "meetings",
        "rules",
        "submissions",
        "talks",
        "transfers",
        "workplan",
    }
    paths = api.get_openapi_schema()["paths"]
    operations = {op["operationId"] for ops in paths.values() for op in ops.values()}
    for app, dotted in routers.items():  # mounted, not only declared: its module's operations are in the schema
        assert any(o.startswith(dotted.removesuffix(".router").replace(".", "_")) for o in operations), app
    for path in (
        "meetings",
        "talks",
        "development/cases",
        "dues/payments",
        "care/events",
        "health/aggregates",
        "submissions",
    ):
        assert f"/api/v1/{path}" in paths


def test_the_schemas_refusals_are_in_chinese_with_the_field(client, world):
    t, a, b = world
    auth = token(client, "office")
    r = client.post("/api/v1/persons", {"name": "新"}, content_type="application/json", **auth)
    assert {"field": "id_number", "message": "必填"} in r.json()["detail"]
    r = client.get("/api/v1/meetings?date_from=2026-13-01", **auth)
    assert r.status_code == 422 and r.json()["detail"] == [{"field": "date_from", "message": "日期格式应为 YYYY-MM-DD"}]
    r = client.get("/api/v1/meetings?limit=0", **auth)
    assert r.json()["detail"] == [{"field": "limit", "message": "不能小于 1"}]
    r = client.get("/api/v1/development/cases?due=later", **auth)
    assert r.json()["detail"][0]["field"] == "due" and r.json()["detail"][0]["message"].startswith("无效的取值，可用：")
    r = client.get("/api/v1/persons?org=abc", **auth)
    assert r.status_code == 422


def test_memberships_show_their_start_and_end_causes_read_only(client, world):
    """The 党员增加/减少 causes (people.models.StartCause / EndCause) as the code and its label, never writable."""
    from dangjian.people.models import EndCause, StartCause

    t, a, b = world
    auth = token(client, "office")
    m = Membership.objects.get(person=a)
    Membership.objects.filter(pk=m.pk).update(
        start_cause=StartCause.ADMITTED, ended_on=date(2026, 3, 1), end_cause=EndCause.CANCELLED, end_reason="x"
    )
    body = client.get(f"/api/v1/memberships/{m.pk}", **auth).json()
    assert (body["start_cause"], body["start_cause_label"]) == ("admitted", "发展党员（接收预备党员）")
    assert (body["end_cause"], body["end_cause_label"]) == ("cancelled", "取消预备党员资格")
    other = Membership.objects.get(person=b)
    Membership.objects.filter(pk=other.pk).update(start_cause="")
    listed = {i["id"]: i for i in client.get("/api/v1/memberships?limit=100", **auth).json()["items"]}
    assert (listed[other.pk]["start_cause"], listed[other.pk]["start_cause_label"]) == ("", "")
    assert (listed[other.pk]["end_cause"], listed[other.pk]["end_cause_label"]) == ("", "")
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]
    assert {"start_cause", "start_cause_label", "end_cause", "end_cause_label"} <= set(
        schema["MembershipOut"]["properties"]
    )
    writable = [name for name in schema if name.endswith(("In", "Patch"))]
    assert not any("end_cause" in schema[name].get("properties", {}) for name in writable)
