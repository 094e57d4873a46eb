"""The integration facts: coverage of the key tasks, members in carriers, pledge fulfilment (partly counts half),
model posts reviewed — per subtree, for any number of organisations in the same number of queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.core.contributions import Period
from dangjian.integration.facts import COVERAGE, FULFILMENT, MEMBERS, REVIEWED, IntegrationFacts
from dangjian.integration.models import ModelPostReview
from dangjian.orgs.models import Organization
from dangjian.testing import make_member, make_tree, make_user

from . import carriers as f

pytestmark = pytest.mark.django_db
YEAR = 2026


@pytest.fixture
def world():
    t = make_tree()
    people = [make_member(t.branch1, f"甲{i}") for i in range(4)] + [make_member(t.branch2, f"乙{i}") for i in range(2)]
    office = make_user("office", "office", t.root)
    return t, people, office


def values(t) -> dict:
    orgs = list(Organization.objects.filter(pk__in=[t.root.pk, t.general.pk, t.branch1.pk, t.branch2.pk]))
    out = IntegrationFacts().compute(orgs, Period.year(YEAR))
    return {(v.key, v.organization_id): v for v in out}


def test_coverage_counts_tasks_by_their_organisations_subtrees(world):
    t, people, office = world
    a = f.task(t.branch1)
    f.task(t.branch1)  # a gap
    shared = f.task(t.root, joined=[t.branch2])
    f.zone(t.branch1, people[0], project=a)
    f.activity_link(t.branch2, office, project=shared)
    f.task(t.branch1, key=False)
    v = values(t)
    assert v[(COVERAGE, t.branch1.pk)].value == 50.0
    assert v[(COVERAGE, t.branch1.pk)].inputs == {"key_tasks": 2, "with_carrier": 1}
    assert v[(COVERAGE, t.branch2.pk)].value == 100.0  # the shared task, through its other organisation
    assert v[(COVERAGE, t.general.pk)].inputs == {"key_tasks": 3, "with_carrier": 2}  # shared counted once
    assert v[(COVERAGE, t.root.pk)].inputs == {"key_tasks": 3, "with_carrier": 2}
    assert v[(COVERAGE, t.root.pk)].evidence_url.startswith("/integration/matrix/")


def test_members_in_carriers_count_each_member_once(world):
    t, people, office = world
    f.model_post(t.branch1, office, people[0])
    f.zone(t.branch1, people[0])
    f.taskforce(t.branch1, office, people=[people[1], people[4]])  # 乙0 is branch2's member on branch1's team
    f.pledge(t.branch1, people[2], status="draft")  # not published: not a carrier
    v = values(t)
    assert v[(MEMBERS, t.branch1.pk)].value == 2
    assert v[(MEMBERS, t.branch1.pk)].inputs == {"members": 4, "in_carriers": 2}
    assert v[(MEMBERS, t.branch2.pk)].value == 1
    assert v[(MEMBERS, t.root.pk)].value == 3


def test_pledge_fulfilment_counts_partly_as_half(world):
    t, people, office = world
    f.pledge(t.branch1, people[0], fulfilment="fulfilled")
    f.pledge(t.branch1, people[1], fulfilment="partly")
    f.pledge(t.branch1, people[2], fulfilment="unfulfilled")
    f.pledge(t.branch1, people[3])  # not reviewed yet
    f.pledge(t.branch2, people[4], status="submitted", fulfilment="fulfilled")  # not published
    f.pledge(t.branch2, people[5], year=YEAR - 1, fulfilment="fulfilled")  # last year's
    v = values(t)
    assert v[(FULFILMENT, t.branch1.pk)].value == 37.5
    assert v[(FULFILMENT, t.branch1.pk)].inputs == {"approved": 4, "fulfilled": 1, "partly": 1}
    assert v[(FULFILMENT, t.branch2.pk)].value is None
    assert v[(FULFILMENT, t.root.pk)].value == 37.5


def test_model_posts_reviewed_in_the_year(world):
    t, people, office = world
    reviewed = f.model_post(t.branch1, office, people[0])
    f.model_post(t.branch1, office, people[1])
    old = f.model_post(t.branch2, office, people[4])
    f.model_post(t.branch2, office, people[5], status="applied")
    for post, year in ((reviewed, YEAR), (old, YEAR - 1)):
        ModelPostReview.objects.create(
            post=post, year=year, score=90, reviewed_on=date(year, 12, 1), reviewed_by=office
        )
    v = values(t)
    assert v[(REVIEWED, t.branch1.pk)].value == 50.0
    assert v[(REVIEWED, t.branch2.pk)].inputs == {"posts": 1, "reviewed": 0}
    assert v[(REVIEWED, t.root.pk)].value == pytest.approx(33.3)


def test_the_facts_take_the_same_queries_for_more_organisations_and_records(world):
    t, people, office = world
    task = f.task(t.branch1)
    f.one_of_each(t.branch1, office, people[0], project=task)
    one = [Organization.objects.get(pk=t.branch1.pk)]
    with CaptureQueriesContext(connection) as few:
        IntegrationFacts().compute(one, Period.year(YEAR))
    for i in (1, 4):
        more = f.task(t.branch2 if i == 4 else t.branch1)
        f.one_of_each(more.organization, office, people[i], project=more)
    every = list(Organization.objects.all())
    with CaptureQueriesContext(connection) as many:
        IntegrationFacts().compute(every, Period.year(YEAR))
    assert len(few) == len(many) <= 12
