"""Development facts: the funnel by stage and overdue steps per subtree, as the funnel page counts them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from dangjian.core.contributions import Period
from dangjian.development.facts import DevelopmentFacts
from dangjian.development.funnel import funnel
from dangjian.development.models import Development
from dangjian.testing import make_person, make_tree, make_user

pytestmark = pytest.mark.django_db


def case(branch, user, stage, *, status="open", due=None):
    return Development.objects.create(
        person=make_person(),
        branch=branch,
        stage=stage,
        started_on=date(2024, 1, 5),
        rule_version="2014",
        status=status,
        next_step=2,
        next_due_on=due,
        created_by=user,
    )


def test_cases_by_stage_and_overdue_steps_agree_with_the_funnel():
    t = make_tree()
    office = make_user("office", "office", t.root)
    today = timezone.localdate()
    case(t.branch1, office, "applicant", due=today - timedelta(days=1))  # overdue
    case(t.branch1, office, "activist", due=today)  # due today: not overdue yet
    case(t.branch1, office, "activist", status="closed", due=today - timedelta(days=9))  # closed: not counted
    case(t.branch2, office, "probationary", due=today - timedelta(days=30))
    case(t.branch2, office, "converted", status="closed")
    case(t.office_branch, office, "candidate", due=today + timedelta(days=5))
    Development.all_objects.filter(pk=case(t.branch1, office, "candidate").pk).update(deleted_at=timezone.now())

    orgs = [t.root, t.general, t.branch1, t.branch2, t.office_branch]
    v = {(x.key, x.organization_id): x for x in DevelopmentFacts().compute(orgs, Period.year(today.year))}
    cases = "development.cases"
    assert v[cases, t.branch1.pk].breakdown == {
        "applicant": 1,
        "activist": 1,
        "candidate": 0,
        "probationary": 0,
        "converted": 0,
    }
    assert v[cases, t.branch1.pk].value == 2
    assert v[cases, t.general.pk].value == 3  # the converted case is in the breakdown, not in progress
    assert v[cases, t.general.pk].breakdown["converted"] == 1
    assert v[cases, t.root.pk].value == 4
    overdue = "development.steps_overdue"
    assert [v[overdue, o.pk].value for o in orgs] == [2, 2, 1, 1, 0]

    page = funnel(office, t.root, today)
    assert page.total.counts == v[cases, t.root.pk].breakdown
    assert page.total.overdue == v[overdue, t.root.pk].value
    for row in page.rows:
        assert row.counts == v[cases, row.org.pk].breakdown
        assert row.overdue == v[overdue, row.org.pk].value
    assert v[overdue, t.branch1.pk].evidence_url.endswith(f"org={t.branch1.pk}")


def test_a_past_year_reads_overdue_steps_on_its_last_day():
    t = make_tree()
    office = make_user("office", "office", t.root)
    case(t.branch1, office, "applicant", due=date(2024, 12, 31))
    case(t.branch1, office, "applicant", due=date(2024, 12, 30))
    v = {x.key: x for x in DevelopmentFacts().compute([t.branch1], Period.year(2024))}
    assert v["development.steps_overdue"].value == 1  # on 31 December 2024 only the 30 December step was late
    assert v["development.steps_overdue"].inputs["as_of"] == "2024-12-31"
