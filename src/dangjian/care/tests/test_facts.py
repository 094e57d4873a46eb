"""The care facts: obligations due in the period done by their deadline (as the coverage page counts), and the
year's practical-matter projects finished by their plan, per subtree."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from dangjian.care.facts import CareFacts
from dangjian.care.filters import coverage
from dangjian.care.models import CareEvent, Milestone, Obligation, PracticalMatter
from dangjian.core.contributions import Period
from dangjian.testing import login_with_second_factor

KEY = "care.matters_on_time_rate"


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
    values = CareFacts().compute(orgs, Period.year(2025))
    v = {x.organization_id: x for x in values if x.key == "care.obligations_on_time_rate"}
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


def matter(w, org, status, *milestones, year=2025, title="办实事"):
    m = PracticalMatter.objects.create(
        title=title, year=year, organization=org, owner=w.jia, status=status, recorded_by=w.office
    )
    for planned, done in milestones:
        Milestone.objects.create(matter=m, title="节点", planned_on=planned, done_on=done)
    return m


def test_matters_on_time_rate_judges_each_project_by_its_last_milestone_and_sums_the_subtree(client, care_world):
    w, t = care_world, care_world.t
    d = date
    matter(w, t.branch1, "done", (d(2025, 3, 1), d(2025, 2, 20)), (d(2025, 6, 30), d(2025, 6, 30)))  # on the day
    matter(w, t.branch1, "done", (d(2025, 6, 30), d(2025, 7, 5)))  # finished late
    matter(w, t.branch1, "active", (d(2025, 9, 30), None))  # overdue, still open
    matter(w, t.branch1, "done", (d(2025, 9, 30), None))  # marked done with a milestone open: not finished
    matter(w, t.branch2, "done")  # no milestones: due at the year's end, done
    matter(w, t.branch2, "suspended", (d(2025, 5, 1), None))  # stopped: not counted
    matter(w, t.branch2, "done", (d(2024, 5, 1), d(2024, 5, 1)), year=2024)  # another year
    withdrawn = matter(w, t.office_branch, "active", (d(2025, 5, 1), None))
    withdrawn.mark_deleted(w.office)
    withdrawn.save()
    orgs = [t.root, t.general, t.branch1, t.branch2, t.office_branch]
    v = {x.organization_id: x for x in CareFacts().compute(orgs, Period.year(2025)) if x.key == KEY}
    assert v[t.branch1.pk].inputs == {"due": 4, "in_time": 1, "late_done": 1, "overdue": 2}
    assert [v[o.pk].value for o in orgs] == [40.0, 40.0, 25.0, 100.0, None]
    assert v[t.root.pk].inputs["due"] == 5

    login_with_second_factor(client, w.office)
    listed = client.get(v[t.branch1.pk].evidence_url).context["page"].paginator.count
    assert listed == 4  # the year's list of the branch: the same four projects


def test_a_project_still_within_its_plan_is_not_yet_due_unless_finished(care_world):
    """``as_of``: in a running year an unfinished project whose last milestone is still to come is not counted."""
    w, t = care_world, care_world.t
    today = timezone.localdate()
    if today.month == 12 and today.day == 31:
        pytest.skip("no day left in the year to plan for")
    end = date(today.year, 12, 31)
    matter(w, t.branch1, "active", (end, None), year=today.year)
    matter(w, t.branch1, "done", (end, today), year=today.year)  # finished early: due and in time
    values = CareFacts().compute([t.branch1], Period.year(today.year))
    value = next(x for x in values if x.key == KEY)
    assert (value.inputs["due"], value.inputs["in_time"], value.value) == (1, 1, 100.0)
