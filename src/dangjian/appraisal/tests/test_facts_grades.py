"""民主评议党员等次: the graded members of the year's confirmed appraisals per subtree, by final grade."""

from __future__ import annotations

import pytest

from dangjian.appraisal.facts import AppraisalFacts
from dangjian.appraisal.models import Appraisal, Participant
from dangjian.core.contributions import Period, fact_definitions
from dangjian.testing import make_member, make_tree, make_user

pytestmark = pytest.mark.django_db


def test_final_grades_of_confirmed_appraisals_are_counted_per_subtree():
    t = make_tree()
    office = make_user("office", "office", t.root)
    done1 = Appraisal.objects.create(organization=t.branch1, year=2025, status="confirmed", created_by=office)
    done2 = Appraisal.objects.create(organization=t.office_branch, year=2025, status="confirmed", created_by=office)
    open_ = Appraisal.objects.create(organization=t.branch2, year=2025, status="voting", created_by=office)
    last = Appraisal.objects.create(organization=t.branch2, year=2024, status="confirmed", created_by=office)
    for appraisal, grade in (
        (done1, "excellent"),
        (done1, "qualified"),
        (done1, "qualified"),
        (done1, ""),  # a probationary member: no grade
        (done2, "basic"),
        (open_, "excellent"),  # not confirmed yet
        (last, "unqualified"),  # another year
    ):
        person = make_member(appraisal.organization)
        Participant.objects.create(appraisal=appraisal, person=person, graded=bool(grade), final_grade=grade)
    orgs = [t.root, t.general, t.branch2]
    v = {(x.key, x.organization_id): x for x in AppraisalFacts().compute(orgs, Period.year(2025))}
    root = v["appraisal.grades", t.root.pk]
    assert root.breakdown == {"excellent": 1, "qualified": 2, "basic": 1, "unqualified": 0} and root.value == 4
    assert v["appraisal.grades", t.general.pk].value == 3
    assert v["appraisal.grades", t.branch2.pk].breakdown == {
        "excellent": 0,
        "qualified": 0,
        "basic": 0,
        "unqualified": 0,
    }
    assert v["appraisal.done", t.root.pk].value == 2
    assert list(fact_definitions()["appraisal.grades"].breakdown_labels) == [
        "excellent",
        "qualified",
        "basic",
        "unqualified",
    ]
