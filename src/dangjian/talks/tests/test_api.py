"""The talks router: talks, study hours and records, contact points and their visits, hour rates — reads in
scope, 404 outside, filters, pagination, the writes through the services (audited on the api channel, Chinese
errors), constant queries."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangjian.accounts.models import ApiToken
from dangjian.audit.models import AuditEvent
from dangjian.core import context
from dangjian.talks import services as talk_services
from dangjian.talks.models import StudyRecord, Talk
from dangjian.testing import make_member, make_tree, make_user

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture
def world():
    t = make_tree()
    p1 = make_member(t.branch1, "甲一", department=t.dept1)
    p1b = make_member(t.branch1, "甲二", department=t.dept1)
    p2 = make_member(t.branch2, "乙二", department=t.dept2)
    users = {
        "sec1": make_user("sec1", "secretary", t.branch1, person=p1),
        "sec2": make_user("sec2", "secretary", t.branch2, person=p2),
        "office": make_user("office", "office", t.root),
    }
    return t, (p1, p1b, p2), users


def auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}


def queries(client, url, headers) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, **headers).status_code == 200
    return len(ctx.captured_queries)


def _talk(user, org, talker, talkee, held_on):
    data = {"organization": org, "talker": talker, "talkee": talkee, "held_on": held_on, "topics": "谈心"}
    with context.acting(user):
        return talk_services.record_talk(user, data)


def test_talks_read_in_scope_filter_by_year_and_person_and_are_recorded(client, world):
    t, (p1, p1b, p2), users = world
    today = timezone.localdate()
    _talk(users["sec1"], t.branch1, p1, p1b, today)
    _talk(users["sec1"], t.branch1, p1b, p1, date(today.year - 1, 6, 1))
    _talk(users["office"], t.branch2, p2, p1b, today)
    sec1, sec2 = auth(users["sec1"]), auth(users["sec2"])
    assert client.get("/api/v1/talks", **sec1).json()["count"] == 2
    assert client.get(f"/api/v1/talks?year={today.year}", **sec1).json()["count"] == 1
    assert client.get(f"/api/v1/talks?person={p2.pk}", **sec2).json()["items"][0]["talker_name"] == "乙二"
    assert "甲" not in client.get("/api/v1/talks", **sec2).content.decode().replace("甲二", "")
    assert client.get(f"/api/v1/talks?organization={t.branch1.pk}", **sec2).status_code == 404

    body = {"organization_id": t.branch1.pk, "talker_id": p1.pk, "talkee_id": p1b.pk, "held_on": str(today)}
    r = client.post("/api/v1/talks", {**body, "topics": "工作与思想"}, content_type=JSON, **sec1)
    assert r.status_code == 201 and r.json()["talkee_name"] == "甲二"
    assert AuditEvent.objects.filter(object_type="talks.talk", channel="api").exists()
    r = client.post("/api/v1/talks", {**body, "topics": "x", "talkee_id": p2.pk}, content_type=JSON, **sec1)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "talkee"
    r = client.post("/api/v1/talks", {**body, "topics": "x"}, content_type=JSON, **sec2)
    assert r.status_code == 404  # branch1 is outside sec2's scope
    assert Talk.objects.count() == 4


def test_study_hours_add_meetings_and_study_records(client, world):
    t, (p1, p1b, p2), users = world
    today = timezone.localdate()
    sec1 = auth(users["sec1"])
    r = client.post(
        "/api/v1/study-records",
        {"person_id": p1.pk, "studied_on": str(today), "title": "网络培训", "hours": "6.5"},
        content_type=JSON,
        **sec1,
    )
    assert r.status_code == 201 and r.json()["hours"] == "6.5"
    assert AuditEvent.objects.filter(object_type="talks.studyrecord", channel="api").exists()
    hours = client.get(f"/api/v1/study-hours?year={today.year}", **sec1).json()
    assert {row["name"]: Decimal(row["hours"]) for row in hours["items"]} == {"甲一": Decimal("6.5"), "甲二": 0}
    assert client.get(f"/api/v1/study-hours?year={today.year}", **auth(users["sec2"])).json()["count"] == 1
    records = client.get(f"/api/v1/study-records?person={p1.pk}&year={today.year}", **sec1).json()
    assert [row["title"] for row in records["items"]] == ["网络培训"]
    assert client.get("/api/v1/study-hours", **sec1).status_code == 422  # the year is required

    r = client.post(
        "/api/v1/study-records",
        {"person_id": p2.pk, "studied_on": str(today), "title": "x", "hours": "1"},
        content_type=JSON,
        **sec1,
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "person"
    assert StudyRecord.objects.count() == 1


def test_talk_and_hours_lists_keep_their_query_count(client, world):
    t, (p1, p1b, p2), users = world
    office = auth(users["office"])
    year = timezone.localdate().year
    urls = ("/api/v1/talks", f"/api/v1/study-hours?year={year}", "/api/v1/study-records")
    before = {u: queries(client, u, office) for u in urls}
    for i in range(6):
        person = make_member(t.branch2, f"多{i}")
        _talk(users["office"], t.branch2, p2, person, timezone.localdate())
        with context.acting(users["office"]):
            talk_services.add_study(
                users["office"], {"person": person, "studied_on": timezone.localdate(), "title": "学", "hours": 1}
            )
    assert {u: queries(client, u, office) for u in urls} == before


@pytest.fixture
def leader(world):
    t, (p1, p1b, p2), users = world
    person = make_member(t.office_branch, "领导甲")
    users["leader"] = make_user("leader", "leader", t.root, person=person)
    return person


def test_the_office_assigns_a_contact_point_and_the_leader_records_visits(client, world, leader):
    t, (p1, p1b, p2), users = world
    office, sec1 = auth(users["office"]), auth(users["sec1"])
    body = {"leader_id": leader.pk, "organization_id": t.branch2.pk, "since": "2026-01-01"}
    r = client.post("/api/v1/contact-points", body, content_type=JSON, **office)
    assert r.status_code == 201, r.content
    point = r.json()
    assert (point["leader_name"], point["organization_name"], point["until"]) == ("领导甲", "二支部", None)
    assert AuditEvent.objects.filter(object_type="talks.contactpoint", object_id=str(point["id"]), channel="api")
    # a secretary has no life.assign: the same 404 as out of scope
    assert client.post("/api/v1/contact-points", body, content_type=JSON, **sec1).status_code == 404
    r = client.post("/api/v1/contact-points", {**body, "leader_id": p1.pk}, content_type=JSON, **office)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "leader_id"
    r = client.post("/api/v1/contact-points", {**body, "organization_id": t.general.pk}, content_type=JSON, **office)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "organization_id"
    r = client.post("/api/v1/contact-points", {**body, "until": "2025-12-31"}, content_type=JSON, **office)
    assert r.status_code == 422 and r.json()["detail"] == [{"field": "until", "message": "结束日期不能早于起始日期"}]

    visits = f"/api/v1/contact-points/{point['id']}/visits"
    as_leader = auth(users["leader"])
    r = client.post(visits, {"visited_on": "2026-03-02", "summary": "调研支部建设"}, content_type=JSON, **as_leader)
    assert r.status_code == 201 and r.json()["contact_point_id"] == point["id"]
    assert AuditEvent.objects.filter(object_type="talks.contactvisit", channel="api").count() == 1
    r = client.post(visits, {"visited_on": "2025-03-02", "summary": "早于"}, content_type=JSON, **as_leader)
    assert r.status_code == 422 and r.json()["detail"][0]["message"] == "调研日期不在联系点的起止期间内"
    r = client.post(visits, {"visited_on": "2026-03-02", "summary": ""}, content_type=JSON, **as_leader)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "summary"
    # sec2 sees the point (its branch) but is neither the leader nor the office
    r = client.post(visits, {"visited_on": "2026-03-03", "summary": "x"}, content_type=JSON, **auth(users["sec2"]))
    assert r.status_code == 404
    assert client.get(visits, **sec1).status_code == 404  # branch2's point is outside sec1's scope
    assert [v["summary"] for v in client.get(f"{visits}?year=2026", **as_leader).json()["items"]] == ["调研支部建设"]
    assert client.get(f"{visits}?year=2025", **office).json()["count"] == 0


def test_contact_points_are_listed_in_scope_with_filters(client, world, leader):
    t, (p1, p1b, p2), users = world
    with context.acting(users["office"]):
        for branch, since, until in (
            (t.branch1, date(2024, 1, 1), date(2024, 12, 31)),
            (t.branch2, date(2025, 1, 1), None),
        ):
            talk_services.assign_contact_point(
                users["office"], {"leader": leader, "organization": branch, "since": since, "until": until}
            )
    office = auth(users["office"])
    assert client.get("/api/v1/contact-points", **office).json()["count"] == 2
    assert (
        client.get("/api/v1/contact-points?on=2025-06-01", **office).json()["items"][0]["organization_name"] == "二支部"
    )
    assert client.get(f"/api/v1/contact-points?organization={t.branch1.pk}", **office).json()["count"] == 1
    assert client.get(f"/api/v1/contact-points?leader={p1.pk}", **office).json()["count"] == 0
    assert client.get("/api/v1/contact-points", **auth(users["sec1"])).json()["count"] == 1
    assert client.get(f"/api/v1/contact-points?organization={t.branch2.pk}", **auth(users["sec1"])).status_code == 404
    assert queries(client, "/api/v1/contact-points", office) == queries(
        client, "/api/v1/contact-points?limit=1", office
    )


def test_hour_rates_are_read_by_all_and_set_by_the_office_only(client, world):
    t, (p1, p1b, p2), users = world
    office, sec1 = auth(users["office"]), auth(users["sec1"])
    rates = {r["kind"]: r for r in client.get("/api/v1/hour-rates", **sec1).json()}
    assert rates["lecture"] == {"kind": "lecture", "label": "党课", "hours": "3.0"}
    body = [{"kind": "lecture", "hours": "4.5"}, {"kind": "theme_day", "hours": "3.0"}]
    assert client.put("/api/v1/hour-rates", body, content_type=JSON, **sec1).status_code == 404
    r = client.put("/api/v1/hour-rates", body, content_type=JSON, **office)
    assert r.status_code == 200 and {x["kind"]: x["hours"] for x in r.json()}["lecture"] == "4.5"
    events = AuditEvent.objects.filter(object_type="talks.hourrate", channel="api")
    assert events.count() == 1 and events.get().after["hours"] == "4.5"  # theme day unchanged: not written
    r = client.put("/api/v1/hour-rates", [{"kind": "lecture", "hours": "25"}], content_type=JSON, **office)
    assert r.status_code == 422 and r.json()["detail"][0]["message"] == "不能大于 24"
    twice = [{"kind": "lecture", "hours": "1"}, {"kind": "lecture", "hours": "2"}]
    r = client.put("/api/v1/hour-rates", twice, content_type=JSON, **office)
    assert r.status_code == 422 and r.json()["detail"][0]["message"] == "会议类型重复：党课"
    assert {x["kind"]: x["hours"] for x in client.get("/api/v1/hour-rates", **office).json()}["lecture"] == "4.5"
