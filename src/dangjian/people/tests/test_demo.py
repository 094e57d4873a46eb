"""The demo's roster is ready for the in-party statistics: every kind of change in both years, coded."""

from __future__ import annotations

import pytest
from django.db.models import Count, Q

from dangjian.demo.spec import FIXED_DATE
from dangjian.people.models import Honour, Membership, Person

pytestmark = pytest.mark.django_db

INCREASES = {"admitted", "transferred_in", "restored", "moved"}
DECREASES = {"died", "removed", "expelled", "left", "transferred_out", "suspended", "moved"}


def test_every_kind_of_change_in_the_last_full_year_and_this_one(institute_demo):
    for year in (FIXED_DATE.year - 1, FIXED_DATE.year):
        starts = set(Membership.objects.filter(started_on__year=year).values_list("start_cause", flat=True))
        ends = set(Membership.objects.filter(ended_on__year=year).values_list("end_cause", flat=True))
        assert starts >= INCREASES, (year, starts)
        assert ends >= DECREASES, (year, ends)


def test_no_membership_lacks_its_causes(institute_demo):
    assert not Membership.objects.filter(start_cause="").exists()
    assert not Membership.objects.filter(ended_on__isnull=False, end_cause="").exists()
    # a move ends one row and starts another the same day, so the tree's total does not change
    moved_out = Membership.objects.filter(end_cause="moved").count()
    assert moved_out == Membership.objects.filter(start_cause="moved").count()


def test_demo_people_have_the_statistics_facts_and_a_few_lack_them(institute_demo):
    people = Person.objects.aggregate(
        n=Count("id"),
        native=Count("id", filter=~Q(native_place="")),
        work=Count("id", filter=Q(work_started_on__isnull=False)),
        occupation=Count("id", filter=~Q(occupation="")),
    )
    for key in ("native", "work", "occupation"):
        assert 0.95 * people["n"] < people[key] < people["n"], key
    kinds = set(Person.objects.values_list("occupation", flat=True))
    assert {"professional", "manager", "worker", "retired"} <= kinds
    assert Person.objects.filter(employment="retired").exclude(occupation__in=("retired", "")).count() == 0
    assert all(
        p.endswith(("省", "市"))
        for p in Person.objects.exclude(native_place="").values_list("native_place", flat=True)[:200]
    )


def test_demo_honours(institute_demo):
    assert Honour.objects.filter(title="优秀共产党员", awarded_on__year=FIXED_DATE.year - 1).exists()
    assert Honour.objects.filter(kind="other").exists()
    assert not Honour.objects.filter(awarded_on__gte=FIXED_DATE).exists()
