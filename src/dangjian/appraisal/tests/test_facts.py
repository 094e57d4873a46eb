"""The appraisal fact: branches whose democratic appraisal of the year is confirmed, per subtree."""

from __future__ import annotations

from datetime import date

import pytest

from dangjian.appraisal.facts import AppraisalFacts
from dangjian.appraisal.models import Appraisal
from dangjian.core.contributions import Period
from dangjian.orgs.models import Organization
from dangjian.testing import make_tree, make_user

pytestmark = pytest.mark.django_db


def test_confirmed_appraisals_are_counted_with_the_branches_that_owe_one():
    t = make_tree()
    office = make_user("office", "office", t.root)
    Appraisal.objects.create(organization=t.branch1, year=2025, status="confirmed", created_by=office)
    Appraisal.objects.create(organization=t.branch2, year=2025, status="voting", created_by=office)
    Appraisal.objects.create(organization=t.office_branch, year=2024, status="confirmed", created_by=office)
    Organization.objects.add_child(
        Organization.objects.get(pk=t.general.pk),
        dict(kind="branch", code="Z9", name="已撤销支部", founded_on=date(2000, 1, 1), dissolved_on=date(2024, 6, 1)),
    )
    orgs = [t.root, t.general, t.branch1, t.branch2, t.office_branch]
    v = {x.organization_id: x for x in AppraisalFacts().compute(orgs, Period.year(2025))}
    assert [v[o.pk].value for o in orgs] == [1, 1, 1, 0, 0]
    assert v[t.root.pk].inputs == {"branches": 3, "opened": 2, "done": 1}  # the dissolved branch owed nothing
    assert v[t.general.pk].inputs == {"branches": 2, "opened": 2, "done": 1}
    assert v[t.office_branch.pk].inputs == {"branches": 1, "opened": 0, "done": 0}  # last year's does not count
