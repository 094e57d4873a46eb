from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db.models import F

from dangjian.demo.generator import db_digest, plan_digest
from dangjian.demo.population import TRANSFER_REASON
from dangjian.demo.spec import FIXED_DATE
from dangjian.orgs.models import Organization
from dangjian.people.idcard import parse_id_number
from dangjian.people.models import Membership, Person
from dangjian.people.models.person import employee_no_validator

pytestmark = pytest.mark.django_db


def test_institute_has_about_two_thousand_people(demo_counts):
    assert 1800 <= Person.objects.count() <= 2200
    assert demo_counts["people"] == Person.objects.count()


def test_every_id_number_is_valid_and_agrees_with_sex_and_birth_date(demo_counts):
    for number, sex, birth in Person.objects.values_list("id_number", "sex", "birth_date"):
        parsed = parse_id_number(number)
        assert (parsed.sex, parsed.birth_date) == (sex, birth), number


def test_ages_fit_staff_and_retirees(demo_counts):
    for person in Person.objects.all():
        age = person.age_on(FIXED_DATE)
        low, high = (60, 85) if person.employment == "retired" else (22, 65)
        assert low <= age <= high, (person.name, person.employment, age)


def test_employment_mix_has_contract_and_external_staff(demo_counts):
    kinds = set(Person.objects.values_list("employment", flat=True))
    assert kinds == {"staff", "contract", "external", "retired"}
    assert all(len(p) == 11 and p[0] == "1" for p in Person.objects.values_list("phone", flat=True))


def test_about_45_percent_are_party_members(demo_counts):
    members = Person.objects.filter(political_status__in=["member", "probationary"]).count()
    assert 0.40 <= members / Person.objects.count() <= 0.50
    assert Membership.objects.current().count() == members


def test_members_are_in_their_units_branch(demo_counts):
    current = Membership.objects.current()
    assert not current.exclude(person__department__organizations=F("organization")).exists()


def test_membership_dates_are_consistent(demo_counts):
    for m in Membership.objects.select_related("person"):
        adult = m.person.birth_date.replace(year=m.person.birth_date.year + 18)
        assert adult <= m.applied_on <= m.admitted_on <= FIXED_DATE
        assert m.started_on <= (m.ended_on or FIXED_DATE)
        if m.status == "full":
            assert m.admitted_on < m.converted_on <= FIXED_DATE
        else:
            assert m.converted_on is None
        if m.ended_on:
            assert m.end_reason == TRANSFER_REASON


def test_probationary_members_were_admitted_within_the_last_year(demo_counts):
    probationary = Membership.objects.current().filter(status="probationary")
    assert 3 <= probationary.count() <= 40
    for m in probationary.select_related("person"):
        assert m.person.political_status == "probationary"
        assert FIXED_DATE - timedelta(days=366) <= m.admitted_on <= FIXED_DATE


def test_some_people_have_a_past_membership(demo_counts):
    past = Membership.objects.filter(ended_on__isnull=False)
    assert past.count() >= 20
    for m in past[:50]:
        current = Membership.objects.current().get(person=m.person)
        assert current.organization_id != m.organization_id
        assert current.started_on == m.ended_on


def test_retirees_belong_to_the_retirees_branches(demo_counts):
    retired = Membership.objects.current().filter(person__employment="retired")
    assert retired.exists()
    general = Organization.objects.get(name="离退休党总支")
    assert all(m.organization.path.startswith(general.path) for m in retired.select_related("organization"))


def test_same_seed_gives_identical_data(demo_counts):
    assert db_digest() == plan_digest("institute", on=FIXED_DATE)  # the fixture loaded the default seed
    assert plan_digest("institute", 7, FIXED_DATE) == plan_digest("institute", 7, FIXED_DATE)
    assert plan_digest("institute", 8, FIXED_DATE) != plan_digest("institute", 7, FIXED_DATE)
    # births are reckoned back from the reference day, so another day gives other ID numbers
    assert plan_digest("institute", 7, FIXED_DATE) != plan_digest("institute", 7, date(2027, 3, 15))


def test_every_demo_person_has_a_unique_employee_number(demo_counts):
    numbers = list(Person.all_objects.order_by("id").values_list("employee_no", flat=True))
    assert all(employee_no_validator.regex.match(n) and n[0] == "A" and len(n) == 6 for n in numbers)
    assert len(set(numbers)) == len(numbers) == demo_counts["people"]
    assert numbers[:2] == ["A00001", "A00002"]  # handed out in order, so the same seed gives the same numbers
