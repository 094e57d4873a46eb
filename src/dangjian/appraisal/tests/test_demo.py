"""The demo institute's democratic appraisals (``appraisal.demo``): without them no branch had done its appraisal."""

from __future__ import annotations

from fractions import Fraction

import pytest
from django.utils import timezone

from dangjian.appraisal.facts import AppraisalFacts
from dangjian.appraisal.models import Appraisal, AppraisalStatus
from dangjian.core.contributions import Period
from dangjian.demo.history import WEAK_BRANCH
from dangjian.demo.spec import FIXED_DATE
from dangjian.orgs.models import Organization

pytestmark = pytest.mark.django_db
LAST = FIXED_DATE.year - 1


def test_nearly_every_branch_confirmed_last_years_appraisal_but_the_weak_branch(institute_demo):
    branches = list(Organization.objects.filter(kind="branch", dissolved_on__isnull=True))
    done = {f.organization_id: f.value for f in AppraisalFacts().compute(branches, Period.year(LAST))}
    weak = next(b for b in branches if b.name == WEAK_BRANCH)
    assert done.pop(weak.pk) == 0
    assert sum(done.values()) >= 0.9 * len(done)


def test_a_confirmed_appraisal_was_confirmed_by_a_members_meeting_after_the_review_closed(institute_demo):
    confirmed = Appraisal.objects.filter(status=AppraisalStatus.CONFIRMED).select_related("confirmed_meeting")
    assert confirmed.filter(year=LAST).exists()
    for a in confirmed:
        meeting = a.confirmed_meeting
        assert meeting.organization_id == a.organization_id and meeting.kind == "members_meeting"
        assert a.opened_on <= a.review_closed_on <= timezone.localdate(meeting.starts_at) <= FIXED_DATE
        assert timezone.localdate(meeting.starts_at).year == a.year


def test_graded_members_get_a_grade_and_excellent_stays_within_a_third(institute_demo):
    a = Appraisal.objects.filter(status=AppraisalStatus.CONFIRMED).order_by("pk").first()
    entries = list(a.participants.all())
    graded = [e for e in entries if e.graded]
    assert graded and all(e.final_grade for e in graded)
    assert all(not e.final_grade for e in entries if not e.graded)  # probationary members take part ungraded
    assert Fraction(sum(e.final_grade == "excellent" for e in graded), len(graded)) <= Fraction(1, 3)


def test_no_appraisal_is_dated_after_the_reference_day(institute_demo):
    assert not Appraisal.objects.filter(created_at__date__gt=FIXED_DATE).exists()


def test_the_office_sees_the_demo_appraisals_and_a_confirmed_ones_grades(institute_demo, client):
    from django.urls import reverse

    from dangjian.accounts.models import User
    from dangjian.testing import login_with_second_factor

    login_with_second_factor(client, User.objects.get(username="office"))
    listing = client.get(reverse("appraisal:list"), {"year": LAST})
    assert listing.status_code == 200 and WEAK_BRANCH in listing.content.decode()
    a = Appraisal.objects.filter(year=LAST, status=AppraisalStatus.CONFIRMED).order_by("pk").first()
    page = client.get(reverse("appraisal:detail", args=[a.pk]))
    assert page.status_code == 200
    entry = a.participants.filter(graded=True).select_related("person").first()
    assert entry.person.name in page.content.decode()
