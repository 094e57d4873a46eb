"""The demo institute's talks (``talks.demo``): without them every branch's talk coverage was 0 in both cycles."""

from __future__ import annotations

import pytest

from dangjian.core.contributions import Period
from dangjian.demo.history import WEAK_BRANCH
from dangjian.demo.spec import FIXED_DATE
from dangjian.orgs.models import CommitteePost, Organization
from dangjian.talks.facts import TalksFacts
from dangjian.talks.models import Talk

pytestmark = pytest.mark.django_db


def coverage(year: int) -> dict[str, float | None]:
    branches = list(Organization.objects.filter(kind="branch", dissolved_on__isnull=True))
    names = {b.pk: b.name for b in branches}
    facts = TalksFacts().compute(branches, Period.year(year))
    return {names[f.organization_id]: f.value for f in facts if f.key == "talks.coverage"}


def test_most_members_of_every_branch_are_talked_with_last_year_and_the_weak_branch_less(institute_demo):
    last = coverage(FIXED_DATE.year - 1)
    weak = last.pop(WEAK_BRANCH)
    assert weak is not None and 0 < weak < 60
    assert min(last.values()) >= 60 and sum(last.values()) / len(last) >= 80


def test_this_years_talks_are_held_by_the_reference_day_and_already_cover_members(institute_demo):
    assert not Talk.objects.filter(held_on__gt=FIXED_DATE).exists()
    this = coverage(FIXED_DATE.year)
    assert all(v and v > 0 for v in this.values())


def test_talks_are_held_by_committee_members_of_the_branch_or_the_institute(institute_demo):
    talkers = set(Talk.objects.values_list("talker_id", flat=True))
    assert talkers <= set(CommitteePost.objects.values_list("person_id", flat=True))
