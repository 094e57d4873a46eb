"""The compliance rate: obligations met of those due, the engine's items summed over each subtree."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from dangjian.compliance import engine, lights
from dangjian.compliance.facts import ComplianceFacts
from dangjian.core.contributions import Period
from dangjian.meetings import services
from dangjian.orgs.models import Organization
from dangjian.testing import make_member, make_tree, make_user

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def rate(orgs, year=2025):
    values = ComplianceFacts().compute(orgs, Period.year(year))
    return {v.organization_id: v for v in values if v.key == "compliance.rate"}


def counted(org_ids, year=2025):
    """Hand count from the engine's items: (due, met) over the given organisations."""
    matrix = engine.compute(Organization.objects.filter(pk__in=org_ids), [year], timezone.localdate())
    items = [i for i in matrix.items if i.required and i.light in (lights.DONE, lights.OVERDUE)]
    return len(items), sum(i.light == lights.DONE for i in items)


def test_one_members_meeting_meets_one_quarter_and_the_committee_sums_its_subtree():
    t = make_tree()
    members = [make_member(t.branch1, f"员{i}") for i in range(3)]
    sec = make_user("sec", "secretary", t.branch1)
    orgs = [t.root, t.general, t.branch1, t.group1, t.branch2, t.office_branch]
    before = rate(orgs)
    assert before[t.branch1.pk].inputs["met"] == 0
    due = before[t.branch1.pk].inputs["due"]
    assert due > 0 and before[t.branch1.pk].value == 0.0

    when = datetime(2025, 2, 10, 9, tzinfo=TZ)
    m = services.plan_meeting(
        sec,
        t.branch1.pk,
        {"kind": "members_meeting", "title": "党员大会", "starts_at": when, "ends_at": when + timedelta(hours=2)},
    )
    services.mark_held(sec, m.pk)
    held = rate(orgs)[t.branch1.pk]
    # 支部工作条例 art. 11: the quorum conditions a vote; a members' meeting nobody was marked at is still held
    assert held.inputs["met"] == 1 and held.inputs["quorum_failed"] == 0
    services.set_attendance(sec, m.pk, {p.pk: ("present", "") for p in members[:2]})
    after = rate(orgs)
    assert after[t.branch1.pk].inputs["met"] == 1
    assert after[t.branch1.pk].inputs["due"] == due
    assert after[t.branch1.pk].value == round(100 / due, 1)

    subtree = list(Organization.objects.subtree(t.root).values_list("pk", flat=True))
    assert (after[t.root.pk].inputs["due"], after[t.root.pk].inputs["met"]) == counted(subtree)
    general = [t.general.pk, t.branch1.pk, t.group1.pk, t.branch2.pk]
    assert (after[t.general.pk].inputs["due"], after[t.general.pk].inputs["met"]) == counted(general)
    assert after[t.branch1.pk].evidence_url == f"/compliance/org/{t.branch1.pk}/?year=2025"


def test_an_organisation_founded_this_year_owes_nothing_yet():
    t = make_tree()
    young = Organization.objects.add_child(
        Organization.objects.get(pk=t.general.pk),
        dict(kind="branch", code="Y1", name="新支部", founded_on=date(2025, 12, 15)),  # no whole period in 2025
    )
    v = rate([young])[young.pk]
    assert v.value is None and v.inputs["due"] == 0


def test_the_three_meetings_and_theme_day_rates_count_their_kinds_apart_and_add_up():
    """三会一课 and 主题党日 apart: each kind's items only, the parts within the whole rate, the subtree summed."""
    t = make_tree()
    make_member(t.branch1, "员0")
    sec = make_user("sec", "secretary", t.branch1)
    when = datetime(2025, 3, 10, 9, tzinfo=TZ)
    m = services.plan_meeting(
        sec, t.branch1.pk, {"kind": "theme_day", "title": "主题党日", "starts_at": when, "ends_at": when}
    )
    services.mark_held(sec, m.pk)
    orgs = [t.root, t.general, t.branch1, t.branch2]
    v = {(x.key, x.organization_id): x for x in ComplianceFacts().compute(orgs, Period.year(2025))}
    matrix = engine.compute(Organization.objects.subtree(t.branch1), [2025], timezone.localdate())
    by_kind: dict[str, list[int]] = {}
    for i in matrix.items:
        if i.required and i.light in (lights.DONE, lights.OVERDUE):
            row = by_kind.setdefault(matrix.rules[i.rule_id].meeting_kind, [0, 0])
            row[0] += 1
            row[1] += i.light == lights.DONE
    theme = v[("compliance.theme_day.rate", t.branch1.pk)]
    assert (theme.inputs["due"], theme.inputs["met"]) == tuple(by_kind["theme_day"]) and theme.inputs["met"] == 1
    three = v[("compliance.three_meetings.rate", t.branch1.pk)]
    kinds = ("members_meeting", "committee_meeting", "group_meeting", "lecture")
    assert three.inputs["due"] == sum(by_kind.get(k, [0, 0])[0] for k in kinds) > 0
    assert three.inputs["met"] == 0 and three.value == 0.0
    whole = v[("compliance.rate", t.branch1.pk)]
    assert whole.inputs["due"] >= three.inputs["due"] + theme.inputs["due"]
    assert whole.inputs["met"] == 1
    for key in ("compliance.theme_day.rate", "compliance.three_meetings.rate"):
        below = sum(v[(key, o.pk)].inputs["due"] for o in (t.branch1, t.branch2))
        assert v[(key, t.general.pk)].inputs["due"] >= below
        assert v[(key, t.root.pk)].inputs["due"] >= v[(key, t.general.pk)].inputs["due"]


def test_the_rate_by_month_counts_the_items_whose_period_ends_in_the_month():
    """compliance.rate.by_month: per month, the items due (done or overdue) whose period ends in it, as the heat map's
    columns; a month with items due and none met is 0; a year with nothing due yet has no month; the year's rate is
    the value, and the months add up to the yearly counts of compliance.rate."""
    t = make_tree()
    make_member(t.branch1, "员0")
    sec = make_user("sec", "secretary", t.branch1)
    when = datetime(2025, 2, 10, 9, tzinfo=TZ)
    m = services.plan_meeting(
        sec,
        t.branch1.pk,
        {"kind": "members_meeting", "title": "党员大会", "starts_at": when, "ends_at": when + timedelta(hours=2)},
    )
    services.mark_held(sec, m.pk)
    orgs = [t.root, t.branch1]
    values = {(v.key, v.organization_id): v for v in ComplianceFacts().compute(orgs, Period.year(2025))}
    for org in orgs:
        by_month = values["compliance.rate.by_month", org.pk]
        yearly = values["compliance.rate", org.pk]
        assert by_month.value == yearly.value
        assert sum(by_month.inputs["due"].values()) == yearly.inputs["due"]
        assert sum(by_month.inputs["met"].values()) == yearly.inputs["met"]
    # hand count for the branch's subtree (its party group too) from the engine's items
    matrix = engine.compute(Organization.objects.subtree(t.branch1), [2025], timezone.localdate())
    due: dict[str, list[bool]] = {}
    for i in matrix.items:
        if i.required and i.light in (lights.DONE, lights.OVERDUE):
            due.setdefault(str(i.period.end_month), []).append(i.light == lights.DONE)
    branch = values["compliance.rate.by_month", t.branch1.pk].breakdown
    assert branch == {m: round(100 * sum(d) / len(d), 1) for m, d in due.items()}
    assert branch["3"] > 0  # the members' meeting of February meets the first quarter, which ends in March
    assert branch["4"] == 0.0  # April's items were due and none was met
    future = {(v.key, v.organization_id): v for v in ComplianceFacts().compute(orgs, Period.year(2099))}
    assert future["compliance.rate.by_month", t.branch1.pk].breakdown == {}
    assert future["compliance.rate.by_month", t.branch1.pk].value is None
