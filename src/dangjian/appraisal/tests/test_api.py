"""The appraisal router: tallies only. Counts per grade, never who rated or voted what; per-member tallies only
for those who run the appraisal; opening one and recording the vote's counts through the services."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.appraisal import services
from dangjian.appraisal.models import Appraisal, Participant
from dangjian.audit.models import AuditEvent
from dangjian.core import context
from dangjian.testing import make_member, make_user

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture
def member_c(personas):
    """A third member of branch A (甲三) with an account: the mutual review needs a second rater."""
    t = personas.tree
    return make_user("member_c", "member", t.branch1, person=make_member(t.branch1, "甲三", department=t.dept1))


def _open(user, org, year=2026):
    with context.acting(user):
        return services.open_appraisal(user, org.pk, year)


def test_mutual_review_is_answered_as_counts_only_and_only_to_those_running_it(client, personas, member_c):
    t, p1 = personas.tree, personas.secretary.person
    appraisal = _open(personas.secretary, t.branch1)
    entry = {p.person_id: p.pk for p in appraisal.participants.all()}
    for rater in (personas.member, member_c):
        with context.acting(rater):
            services.rate_others(rater, appraisal.pk, {entry[p1.pk]: "excellent"})
    with context.acting(personas.secretary):  # a third rater: fewer keep the tallies withheld (issue 13 §3)
        services.rate_others(personas.secretary, appraisal.pk, {entry[personas.member.person_id]: "qualified"})
        services.start_vote(personas.secretary, appraisal.pk, confirm_missing=True)  # tallies once review closed
    body = client.get(f"/api/v1/appraisals/{appraisal.pk}", **personas.auth(personas.secretary)).json()
    rows = {row["name"]: row for row in body["participants"]}
    assert rows["甲一"]["mutual_review"] == {"excellent": 2, "qualified": 0, "basic": 0, "unqualified": 0}
    assert body["participant_count"] == 3 and body["final_grades"] is None
    text = client.get(f"/api/v1/appraisals/{appraisal.pk}", **personas.auth(personas.secretary)).content.decode()
    assert "rater" not in text and "digest" not in text

    # a member in it sees the appraisal's figures, not the others' tallies
    mine = client.get(f"/api/v1/appraisals/{appraisal.pk}", **personas.auth(personas.member)).json()
    assert mine["participants"] is None and mine["participant_count"] == 3
    assert (
        client.get(f"/api/v1/appraisals/{appraisal.pk}", **personas.auth(personas.other_secretary)).status_code == 404
    )


def test_appraisals_are_listed_in_scope_with_filters(client, personas):
    t = personas.tree
    _open(personas.secretary, t.branch1, 2025)
    _open(personas.secretary, t.branch1, 2026)
    _open(personas.other_secretary, t.branch2, 2026)
    assert client.get("/api/v1/appraisals", **personas.auth(personas.secretary)).json()["count"] == 2
    office = personas.auth(personas.office)
    assert client.get("/api/v1/appraisals", **office).json()["count"] == 3
    assert client.get("/api/v1/appraisals?year=2026", **office).json()["count"] == 2
    assert client.get(f"/api/v1/appraisals?organization={t.branch2.pk}", **office).json()["count"] == 1
    assert client.get("/api/v1/appraisals?status=voting", **office).json()["count"] == 0
    page = client.get("/api/v1/appraisals?limit=1&offset=1", **office).json()
    assert page["count"] == 3 and len(page["items"]) == 1
    assert (
        client.get(f"/api/v1/appraisals?organization={t.branch2.pk}", **personas.auth(personas.secretary)).status_code
        == 404
    )

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/appraisals", **office).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for year in range(2018, 2024):
        _open(personas.other_secretary, t.branch2, year)
    assert count() == before


def test_an_appraisal_is_opened_and_the_vote_counts_recorded(client, personas, member_c):
    t, p1, p2 = personas.tree, personas.secretary.person, personas.other_secretary.person
    sec1 = personas.auth(personas.secretary)
    r = client.post("/api/v1/appraisals", {"organization_id": t.branch1.pk, "year": 2026}, content_type=JSON, **sec1)
    assert r.status_code == 201 and r.json()["participant_count"] == 3
    appraisal_id = r.json()["id"]
    assert AuditEvent.objects.filter(object_type="appraisal.appraisal", action="create", channel="api").exists()
    r = client.post("/api/v1/appraisals", {"organization_id": t.branch1.pk, "year": 2026}, content_type=JSON, **sec1)
    assert r.status_code == 422 and "已有2026年度" in r.json()["detail"][0]["message"]
    r = client.post(
        "/api/v1/appraisals",
        {"organization_id": t.branch1.pk, "year": 2027},
        content_type=JSON,
        **personas.auth(personas.other_secretary),
    )
    assert r.status_code == 404

    url = f"/api/v1/appraisals/{appraisal_id}/votes"
    votes = {"entries": [{"person_id": p1.pk, "excellent": 2, "qualified": 1}]}
    r = client.put(url, votes, content_type=JSON, **sec1)
    assert r.status_code == 422 and "当前阶段" in r.json()["detail"][0]["message"]  # the vote has not started
    with context.acting(personas.secretary):
        services.start_vote(personas.secretary, appraisal_id, confirm_missing=True)
    r = client.put(url, votes, content_type=JSON, **sec1)
    assert r.status_code == 200
    rows = {row["name"]: row["democratic_vote"] for row in r.json()["participants"]}
    assert rows["甲一"] == {"excellent": 2, "qualified": 1, "basic": 0, "unqualified": 0}
    too_many = {"entries": [{"person_id": p1.pk, "excellent": 4}]}
    r = client.put(url, too_many, content_type=JSON, **sec1)
    assert r.status_code == 422 and "超过参加测评人数" in r.json()["detail"][0]["message"]
    r = client.put(url, {"entries": [{"person_id": p2.pk, "excellent": 1}]}, content_type=JSON, **sec1)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "person_id"
    assert client.put(url, votes, content_type=JSON, **personas.auth(personas.other_secretary)).status_code == 404
    assert Participant.objects.get(appraisal_id=appraisal_id, person=p1).vote_excellent == 2
    assert Appraisal.objects.get(pk=appraisal_id).year == date(2026, 1, 1).year
