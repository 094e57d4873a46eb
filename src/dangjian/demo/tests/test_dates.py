"""The demo is dated from the day it is built: built on another day, every date moves with it.

Two builds of the same seed, on the tests' fixed day (1 November) and on a day early in another year (before the
checkup season, when last year's practical matters are the finished ones), each rolled back. The people are as
old on their build day, the latest monthly meetings fall in the build month with the month before held, the
sitting committees are in office (except the planted expired ones) and no app dates anything after the build day.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from dangjian.compliance import lights
from dangjian.compliance.engine import compute
from dangjian.compliance.periods import MONTH
from dangjian.demo.generator import generate
from dangjian.demo.spec import FIXED_DATE, reference_date
from dangjian.meetings.models import Meeting, MeetingStatus
from dangjian.orgs.models import CommitteeTerm, Organization
from dangjian.people.models import Person

pytestmark = pytest.mark.django_db

LATER = date(2027, 2, 10)


def _facts(on: date, apps: bool) -> dict:
    counts = generate("institute", apps=apps, on=on)
    people = list(Person.all_objects.order_by("id"))
    latest_terms = {}
    for term in CommitteeTerm.objects.order_by("organization_id", "-elected_on"):
        latest_terms.setdefault(term.organization_id, term)
    month = on.replace(day=1)
    before = (month - timedelta(days=1)).replace(day=1)
    branches = set(Organization.objects.filter(kind="branch", dissolved_on__isnull=True).values_list("pk", flat=True))
    theme_days = [
        (m.organization_id, timezone.localtime(m.starts_at).date(), m.status)
        for m in Meeting.objects.filter(kind="theme_day")
    ]
    facts = {
        "counts": counts,
        "ages": [p.age_on(on) for p in people[: counts["people"]]],  # the population, before the apps add any
        "expired": sum(1 for t in latest_terms.values() if t.ends_on < on),
        "due_soon": sum(1 for t in latest_terms.values() if on <= t.ends_on <= on + timedelta(days=90)),
        "elected_after": sum(1 for t in latest_terms.values() if t.elected_on > on),
        "latest_theme_month": max(d for _, d, _ in theme_days).replace(day=1),
        "held_before": len({o for o, d, s in theme_days if d.replace(day=1) == before and s != MeetingStatus.PLANNED}),
        "branches": len(branches),
        "held_after": Meeting.objects.filter(starts_at__date__gt=on).exclude(status=MeetingStatus.PLANNED).count(),
        "month": month,
        "held_in_month": len({o for o, d, s in theme_days if d.replace(day=1) == month and s != MeetingStatus.PLANNED}),
        "overdue_weeks_later": _overdue_share(on, on + timedelta(days=25)),
    }
    if apps:
        from dangjian.care.models import Milestone
        from dangjian.development.models import StepRecord
        from dangjian.dues.models import DuesPayment
        from dangjian.health.models import Checkup

        facts["dues_last"] = DuesPayment.objects.filter(kind="regular").aggregate(Max("month_to"))["month_to__max"]
        facts["checkup_years"] = sorted(set(Checkup.objects.values_list("year", flat=True)))
        facts["checked_last"] = Checkup.objects.aggregate(Max("checked_on"))["checked_on__max"]
        facts["milestone_last"] = Milestone.objects.aggregate(Max("done_on"))["done_on__max"]
        facts["step_last"] = StepRecord.objects.aggregate(Max("done_on"))["done_on__max"]
    return facts


def _overdue_share(on: date, view: date) -> float:
    """The share of the build month's monthly obligations the compliance checker calls overdue on ``view``."""
    matrix = compute(Organization.objects.filter(kind="branch"), [on.year], view)
    due = [
        i
        for i in matrix.items
        if i.required and i.period.kind == MONTH and (i.period.year, i.period.index) == (on.year, on.month)
    ]
    return sum(1 for i in due if i.light == lights.OVERDUE) / len(due)


@pytest.fixture(scope="module")
def builds(django_db_setup, django_db_blocker):
    out = {}
    with django_db_blocker.unblock():
        for on, apps in ((FIXED_DATE, False), (LATER, True)):
            with transaction.atomic():
                out[on] = _facts(on, apps)
                transaction.set_rollback(True)
    return out


def test_the_reference_day_is_the_build_day_and_today_outside_a_build():
    assert reference_date() == timezone.localdate()


def test_people_are_as_old_on_their_build_day(builds):
    """Births are reckoned back from the build day (names follow the birth year, so the draws differ a little)."""
    fixed, later = builds[FIXED_DATE], builds[LATER]
    assert len(fixed["ages"]) == len(later["ages"]) > 1000
    assert abs(sum(fixed["ages"]) / len(fixed["ages"]) - sum(later["ages"]) / len(later["ages"])) < 0.5
    for facts in (fixed, later):
        assert min(facts["ages"]) == 22 and max(facts["ages"]) == 84


def test_meetings_run_up_to_the_build_month_and_the_month_before_was_held(builds):
    for facts in builds.values():
        assert facts["latest_theme_month"] == facts["month"]
        assert facts["held_after"] == 0
        # a few branches skip a month (the weak one often): not a flood of misses
        assert facts["held_before"] >= 0.8 * facts["branches"]


def test_a_demo_looked_at_weeks_after_its_build_month_is_not_a_flood_of_misses(builds):
    """Built on 10 February and opened on 7 March: most branches held February's meetings before the 10th."""
    later = builds[LATER]
    assert later["held_in_month"] >= 0.6 * later["branches"]
    assert later["overdue_weeks_later"] < 0.35
    assert builds[FIXED_DATE]["overdue_weeks_later"] == 0  # 26 November: the month is not over yet


def test_sitting_committees_are_in_office_on_the_build_day_except_the_planted_ones(builds):
    fixed, later = builds[FIXED_DATE], builds[LATER]
    assert 0 < fixed["expired"] == later["expired"] < 5
    assert fixed["due_soon"] == later["due_soon"] > 0
    assert fixed["elected_after"] == later["elected_after"] == 0


def test_the_apps_date_their_rows_from_the_build_day(builds):
    later = builds[LATER]
    assert later["dues_last"] == date(2027, 1, 1)  # the last complete month
    assert later["checkup_years"] == [2025, 2026]  # the 2027 season has not begun in February
    assert later["checked_last"] < LATER
    assert later["milestone_last"] <= LATER and later["step_last"] <= LATER
