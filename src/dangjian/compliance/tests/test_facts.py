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
    return {v.organization_id: v for v in ComplianceFacts().compute(orgs, Period.year(year))}


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
