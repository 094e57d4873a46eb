"""The compliance router: one organisation's obligations of a year with their lights, as on its page; in scope
only, filtered by light, in a constant number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangjian.core import context
from dangjian.meetings import services
from dangjian.meetings.models import Attendance
from dangjian.rules.models import RuleVersion

pytestmark = pytest.mark.django_db


def _held(user, org, kind, hours_ago):
    start = timezone.now() - timedelta(hours=hours_ago)
    with context.acting(user):
        meeting = services.plan_meeting(
            user, org.pk, {"kind": kind, "title": "会", "starts_at": start, "ends_at": start + timedelta(hours=1)}
        )
        Attendance.objects.filter(meeting=meeting).update(status="present")
        services.mark_held(user, meeting.pk)
    return meeting


def test_an_organisations_items_carry_their_rule_and_light(client, personas):
    t = personas.tree
    _held(personas.secretary, t.branch1, "theme_day", 1)
    url = f"/api/v1/compliance/organizations/{t.branch1.pk}/items"
    body = client.get(url, **personas.auth(personas.secretary)).json()
    assert body["count"] > 0
    items = body["items"]
    assert all(item["organization_id"] == t.branch1.pk and item["citation"] for item in items)
    month = timezone.localdate().month
    theme_days = [i for i in items if i["meeting_kind"] == "theme_day"]  # 主题党日: monthly
    this_month = [i for i in theme_days if int(i["period_start"][5:7]) == month]
    assert [(i["held"], i["light"]) for i in this_month] == [(1, "done")]

    done = client.get(f"{url}?light=done", **personas.auth(personas.secretary)).json()["items"]
    assert [(i["meeting_kind"], i["light"]) for i in done] == [("theme_day", "done")]
    last = timezone.localdate().year - 1
    late = client.get(f"{url}?year={last}&light=overdue&limit=100", **personas.auth(personas.secretary)).json()["items"]
    assert late and {i["light"] for i in late} == {"overdue"}  # a year without a meeting
    last_year = client.get(f"{url}?year={timezone.localdate().year - 1}", **personas.auth(personas.secretary)).json()[
        "items"
    ]
    assert {i["period_start"][:4] for i in last_year} == {str(timezone.localdate().year - 1)}
    page = client.get(f"{url}?limit=2&offset=1", **personas.auth(personas.secretary)).json()
    assert page["count"] == body["count"] and page["items"] == items[1:3]
    assert client.get(url, **personas.auth(personas.other_secretary)).status_code == 404
    assert client.get(f"{url}?year=1999", **personas.auth(personas.secretary)).status_code == 422
    assert client.get(f"{url}?light=red", **personas.auth(personas.secretary)).status_code == 422


def test_the_items_take_the_same_queries_however_many_meetings(client, personas):
    t = personas.tree
    url = f"/api/v1/compliance/organizations/{t.branch1.pk}/items"
    headers = personas.auth(personas.secretary)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, **headers).status_code == 200
        return len(ctx.captured_queries)

    _held(personas.secretary, t.branch1, "theme_day", 1)
    before = count()
    for days in range(2, 8):
        _held(personas.secretary, t.branch1, "lecture", 24 * days)
    assert count() == before


def test_an_item_names_its_rule_version_in_the_store(client, personas):
    t = personas.tree
    items = client.get(
        f"/api/v1/compliance/organizations/{t.branch1.pk}/items?limit=100", **personas.auth(personas.secretary)
    )
    theme = next(i for i in items.json()["items"] if i["meeting_kind"] == "theme_day")
    version = RuleVersion.objects.get(pk=theme["rule_id"])
    assert (version.key, version.version) == (theme["rule_key"], theme["rule_version"])
    assert theme["rule_key"] == "compliance.obligation.branch.theme_day"
    rules = client.get(
        f"/api/v1/compliance/rules?rule_id={theme['rule_id']}", **personas.auth(personas.secretary)
    ).json()
    assert [(r["code"], r["version"], r["period"]) for r in rules["items"]] == [("branch.theme_day", 1, "month")]


def test_an_old_rule_id_finds_its_version_in_the_store(client, personas):
    """Other systems kept the ids of the old obligation table: ?legacy_id= finds the version it became."""
    lecture = RuleVersion.objects.get(key="compliance.obligation.branch.lecture", version=1)
    lecture.origin = "compliance.obligationrule:4"  # as rules 0004 recorded it
    lecture.save(update_fields=["origin"])
    found = client.get("/api/v1/compliance/rules?legacy_id=4", **personas.auth(personas.secretary)).json()["items"]
    assert [(r["rule_id"], r["key"], r["version"], r["legacy_id"]) for r in found] == [
        (lecture.pk, "compliance.obligation.branch.lecture", 1, 4)
    ]
    assert (
        client.get("/api/v1/compliance/rules?legacy_id=999", **personas.auth(personas.secretary)).json()["items"] == []
    )


def test_the_rules_list_filters_by_code_and_date(client, personas):
    headers = personas.auth(personas.other_secretary)
    every = client.get("/api/v1/compliance/rules?limit=100", **headers).json()
    assert every["count"] == 7 and all(r["key"].startswith("compliance.obligation.") for r in every["items"])
    lecture = client.get("/api/v1/compliance/rules?code=branch.lecture", **headers).json()["items"]
    assert [(r["title"], r["confidence"]) for r in lecture] == [("党课每季度1次", "L")]
    # 主题党日 and 民主评议党员 come with the 2019 regulation: not in force in 2018
    in_2018 = client.get("/api/v1/compliance/rules?on=2018-12-01&limit=100", **headers).json()["items"]
    assert {"branch.theme_day", "branch.appraisal"}.isdisjoint(r["code"] for r in in_2018) and len(in_2018) == 5
    assert client.get("/api/v1/compliance/rules?on=yesterday", **headers).status_code == 422
    assert client.get("/api/v1/compliance/rules").status_code == 401
