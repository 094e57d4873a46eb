"""The care fact: obligations due in the period done by their deadline, per subtree, as the coverage page counts."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from dangjian.care.facts import CareFacts
from dangjian.care.filters import coverage
from dangjian.care.models import CareEvent, Obligation
from dangjian.core.contributions import Period


def obligation(w, person, branch, due, *, status="open", done=None):
    event = CareEvent.objects.create(
        person=person, kind="illness", occurred_on=date(2025, 3, 1), branch=branch, recorded_by=w.office
    )
    return Obligation.objects.create(
        event=event, kind="visit", responsible_role="secretary", due_on=due, status=status, done_on=done
    )


def test_on_time_rate_counts_obligations_due_in_the_year_and_agrees_with_the_coverage_page(care_world):
    w, t = care_world, care_world.t
    obligation(w, w.jia, t.branch1, date(2025, 3, 10), status="closed", done=date(2025, 3, 10))  # on the day: in time
    obligation(w, w.jia, t.branch1, date(2025, 4, 10), status="closed", done=date(2025, 4, 11))  # late
    obligation(w, w.jia, t.branch1, date(2025, 5, 10))  # still open, overdue
    obligation(w, w.jia, t.branch1, date(2025, 6, 10), status="cancelled")  # not counted
    obligation(w, w.bing, t.branch2, date(2025, 7, 1), status="closed", done=date(2025, 6, 30))
    obligation(w, w.bing, t.branch2, date(2026, 1, 2), status="closed", done=date(2026, 1, 1))  # next year
    orgs = [t.root, t.general, t.branch1, t.branch2, t.office_branch]
    v = {x.organization_id: x for x in CareFacts().compute(orgs, Period.year(2025))}
    assert v[t.branch1.pk].inputs == {"due": 3, "in_time": 1, "late_done": 1}
    assert v[t.branch1.pk].value == 33.3
    assert v[t.branch2.pk].value == 100.0
    assert v[t.root.pk].inputs == {"due": 4, "in_time": 2, "late_done": 1}
    assert v[t.root.pk].value == 50.0
    assert v[t.office_branch.pk].value is None

    rows = coverage(w.office, date(2025, 1, 1), date(2025, 12, 31), timezone.localdate(), "branch")
    by_name = {r["name"]: r for r in rows}
    for branch in (t.branch1, t.branch2):
        assert by_name[branch.name]["due"] == v[branch.pk].inputs["due"]
        assert by_name[branch.name]["in_time"] == v[branch.pk].inputs["in_time"]
