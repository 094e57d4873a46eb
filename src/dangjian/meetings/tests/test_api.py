"""The meetings router (meetings, attendance, resolutions): reads in scope, 404 outside, filters, pagination, the
writes through the services (audited, on the API channel), constant queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangjian.audit.models import AuditEvent
from dangjian.core import context
from dangjian.meetings import services
from dangjian.meetings.models import Attendance, Resolution

pytestmark = pytest.mark.django_db

JSON = "application/json"


def _plan(user, org, title, starts_at, kind="members_meeting"):
    data = {"kind": kind, "title": title, "starts_at": starts_at, "ends_at": starts_at + timedelta(hours=1)}
    with context.acting(user):
        return services.plan_meeting(user, org.pk, data)


def queries(client, url, headers) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, **headers).status_code == 200
    return len(ctx.captured_queries)


def test_meetings_are_listed_in_scope_with_filters_and_pagination(client, personas):
    t = personas.tree
    now = timezone.now()
    m1 = _plan(personas.secretary, t.branch1, "一支部党员大会", now - timedelta(days=40))
    _plan(personas.secretary, t.branch1, "一支部党课", now - timedelta(days=5), kind="lecture")
    _plan(personas.other_secretary, t.branch2, "二支部党员大会", now - timedelta(days=3))
    sec1, office = personas.auth(personas.secretary), personas.auth(personas.office)

    body = client.get("/api/v1/meetings", **sec1).json()
    assert body["count"] == 2 and {m["organization_name"] for m in body["items"]} == {"一支部"}
    assert client.get("/api/v1/meetings", **office).json()["count"] == 3
    lectures = client.get("/api/v1/meetings?kind=lecture", **sec1).json()["items"]
    assert [m["title"] for m in lectures] == ["一支部党课"]
    since = (now - timedelta(days=10)).date().isoformat()
    assert [m["title"] for m in client.get(f"/api/v1/meetings?date_from={since}", **sec1).json()["items"]] == [
        "一支部党课"
    ]
    until = (now - timedelta(days=30)).date().isoformat()
    assert [m["id"] for m in client.get(f"/api/v1/meetings?date_to={until}", **sec1).json()["items"]] == [m1.pk]
    general = client.get(f"/api/v1/meetings?organization={t.general.pk}", **office).json()
    assert general["count"] == 3
    page = client.get("/api/v1/meetings?limit=1&offset=1", **office).json()
    assert page["count"] == 3 and len(page["items"]) == 1
    assert client.get(f"/api/v1/meetings?organization={t.branch2.pk}", **sec1).status_code == 404
    assert client.get("/api/v1/meetings?kind=picnic", **sec1).status_code == 422


def test_a_meeting_shows_its_attendance_and_resolutions_and_is_404_outside(client, personas):
    t = personas.tree
    meeting = _plan(personas.secretary, t.branch1, "一支部党员大会", timezone.now() - timedelta(days=2))
    Attendance.objects.filter(meeting=meeting).update(status="present")
    with context.acting(personas.secretary):
        services.mark_held(personas.secretary, meeting.pk)
        services.record_minutes(
            personas.secretary, meeting.pk, "<p>议程</p>", [{"title": "接收预备党员", "yes": 2, "no": 0, "abstain": 0}]
        )
    body = client.get(f"/api/v1/meetings/{meeting.pk}", **personas.auth(personas.secretary)).json()
    assert {a["name"]: a["status"] for a in body["attendance"]} == {"甲一": "present", "甲二": "present"}
    assert body["resolutions"] == [
        {
            "id": Resolution.objects.get().pk,
            "title": "接收预备党员",
            "due_voting": 2,
            "yes": 2,
            "no": 0,
            "abstain": 0,
            "passed": True,
        }
    ]
    assert client.get(f"/api/v1/meetings/{meeting.pk}", **personas.auth(personas.other_secretary)).status_code == 404


def test_planning_a_meeting_goes_through_the_service(client, personas):
    t = personas.tree
    sec1 = personas.auth(personas.secretary)
    start = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    body = {
        "organization_id": t.branch1.pk,
        "kind": "members_meeting",
        "title": "党员大会",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=2)).isoformat(),
    }
    r = client.post("/api/v1/meetings", body, content_type=JSON, **sec1)
    assert r.status_code == 201, r.content
    assert r.json()["status"] == "planned" and len(r.json()["attendance"]) == 2  # the branch's roster
    assert AuditEvent.objects.filter(object_type="meetings.meeting", action="create", channel="api").exists()

    r = client.post("/api/v1/meetings", {**body, "kind": "picnic"}, content_type=JSON, **sec1)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "kind"
    r = client.post("/api/v1/meetings", {**body, "organization_id": t.branch2.pk}, content_type=JSON, **sec1)
    assert r.status_code == 404


def test_attendance_is_recorded_with_reasons_and_scope(client, personas):
    t, p1, p1b = personas.tree, personas.secretary.person, personas.member.person
    meeting = _plan(personas.secretary, t.branch1, "一支部党员大会", timezone.now() - timedelta(hours=2))
    url = f"/api/v1/meetings/{meeting.pk}/attendance"
    entries = [{"person_id": p1.pk, "status": "present"}, {"person_id": p1b.pk, "status": "excused", "reason": "出差"}]
    r = client.put(url, {"entries": entries}, content_type=JSON, **personas.auth(personas.secretary))
    assert r.status_code == 200
    assert {a["name"]: (a["status"], a["reason"]) for a in r.json()["attendance"]} == {
        "甲一": ("present", ""),
        "甲二": ("excused", "出差"),
    }
    assert AuditEvent.objects.filter(object_type="meetings.meeting", action="update", channel="api").exists()

    r = client.put(
        url,
        {"entries": [{"person_id": p1.pk, "status": "excused"}]},
        content_type=JSON,
        **personas.auth(personas.secretary),
    )
    assert r.status_code == 422
    assert r.json()["detail"] == [{"field": "reason", "message": "请假须填写事由"}]
    assert Attendance.objects.get(meeting=meeting, person=p1).status == "present"  # nothing half-written
    r = client.put(url, {"entries": entries}, content_type=JSON, **personas.auth(personas.other_secretary))
    assert r.status_code == 404


def test_meeting_list_queries_do_not_grow_with_the_data(client, personas):
    t = personas.tree
    office = personas.auth(personas.office)
    _plan(personas.secretary, t.branch1, "会", timezone.now() - timedelta(days=1))
    before = queries(client, "/api/v1/meetings", office)
    for i in range(8):
        _plan(personas.other_secretary, t.branch2, f"会{i}", timezone.now() - timedelta(days=2 + i))
    assert queries(client, "/api/v1/meetings", office) == before


def test_a_meeting_is_marked_held_minuted_with_its_votes_and_locked(client, personas):
    t, p1, p1b = personas.tree, personas.secretary.person, personas.member.person
    meeting = _plan(personas.secretary, t.branch1, "一支部党员大会", timezone.now() - timedelta(hours=2))
    base = f"/api/v1/meetings/{meeting.pk}"
    sec1, sec2 = personas.auth(personas.secretary), personas.auth(personas.other_secretary)
    minutes = {"minutes": "讨论接收预备党员\n\n<b>一致通过</b>", "resolutions": [{"title": "接收预备党员", "yes": 2}]}
    r = client.post(f"{base}/minutes", minutes, content_type=JSON, **sec1)
    assert r.status_code == 422 and r.json()["detail"][0]["message"] == "请先确认会议已召开"
    assert client.post(f"{base}/held", **sec2).status_code == 404
    r = client.post(f"{base}/held", **sec1)
    assert r.status_code == 200 and r.json()["status"] == "held"

    r = client.post(f"{base}/minutes", minutes, content_type=JSON, **sec1)
    assert (
        r.status_code == 422 and "到会不足半数，不能表决" in r.json()["detail"][0]["message"]
    )  # nobody marked present
    entries = [{"person_id": p.pk, "status": "present"} for p in (p1, p1b)]
    assert client.put(f"{base}/attendance", {"entries": entries}, content_type=JSON, **sec1).status_code == 200
    assert client.post(f"{base}/minutes", minutes, content_type=JSON, **sec2).status_code == 404
    r = client.post(f"{base}/minutes", minutes, content_type=JSON, **sec1)
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "minutes_recorded" and "&lt;b&gt;" in body["minutes"]  # typed text is escaped
    assert [(x["title"], x["due_voting"], x["yes"], x["passed"]) for x in body["resolutions"]] == [
        ("接收预备党员", 2, 2, True)
    ]
    assert AuditEvent.objects.filter(object_type="meetings.resolution", action="create", channel="api").exists()

    assert client.post(f"{base}/lock", **sec2).status_code == 404
    r = client.post(f"{base}/lock", **sec1)
    assert r.status_code == 200 and r.json()["status"] == "locked" and r.json()["locked_at"]
    r = client.put(f"{base}/attendance", {"entries": entries}, content_type=JSON, **sec1)
    assert r.status_code == 422 and "已归档" in r.json()["detail"][0]["message"]
