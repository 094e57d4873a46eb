"""The demo's checkups: two years, most staff, consent gaps and withdrawals, some gastric labs missing."""

from __future__ import annotations

import pytest
from django.db import transaction

from dangjian.demo.generator import generate
from dangjian.demo.spec import FIXED_DATE, dated
from dangjian.health.demo import checkup_years, generate_demo
from dangjian.health.models import Checkup, Consent
from dangjian.health.units import SPECS

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    import base64

    from django.conf import settings

    settings.DANGJIAN_HEALTH_KEY = base64.b64encode(bytes(range(32))).decode()  # module-scoped: before `settings`
    with django_db_blocker.unblock(), transaction.atomic(), dated(FIXED_DATE):
        generate("institute", apps=False, on=FIXED_DATE)
        counts = generate_demo(2026)
        yield counts
        transaction.set_rollback(True)
    del settings.DANGJIAN_HEALTH_KEY


def test_two_years_of_checkups_for_most_staff(demo):
    years = checkup_years(FIXED_DATE)
    assert demo["health.Checkup"] == Checkup.objects.count() > 500
    assert demo["health.Consent"] == Consent.objects.count()
    assert set(Checkup.objects.values_list("year", flat=True)) == set(years)
    assert not Checkup.objects.filter(checked_on__gte=FIXED_DATE).exists()
    both = Checkup.objects.filter(year=years[0]).values("person_id")
    assert (
        Checkup.objects.filter(year=years[1], person_id__in=both).count()
        > 0.8 * Checkup.objects.filter(year=years[1]).count()
    )


def test_consent_is_mostly_given_with_a_few_missing_and_a_few_withdrawn(demo):
    this_year = FIXED_DATE.year
    checked = Checkup.objects.filter(year=this_year)
    consenting = Consent.objects.active().filter(year=this_year).values("person_id")
    without = checked.exclude(person_id__in=Consent.objects.filter(year=this_year).values("person_id")).count()
    withdrawn = Consent.objects.filter(year=this_year, withdrawn_on__isnull=False).count()
    assert checked.filter(person_id__in=consenting).count() > 0.85 * checked.count()
    assert 0 < without < 0.1 * checked.count() and 0 < withdrawn < 0.1 * checked.count()


def test_values_are_plausible_in_range_and_some_gastric_labs_are_missing(demo):
    values = [c.values() for c in Checkup.objects.select_related("person")]
    for v in values:
        for name, spec in SPECS.items():
            if name in v:
                assert spec.unit(spec.canonical).accepts(v[name]), (name, v[name])
    sbp = sorted(v["sbp_mmhg"] for v in values)
    assert 115 <= sbp[len(sbp) // 2] <= 135
    with_labs = sum("gastrin17_pmol_l" in v for v in values)
    assert 0.1 * len(values) < with_labs < 0.9 * len(values)
    assert any("gastrin17_pmol_l" not in v and "sbp_mmhg" in v for v in values)


def test_the_demo_is_deterministic(demo):
    from dangjian.health.models import FollowUp, FollowUpRecord, ScreeningResult, ScreeningRun

    first = {(c.person_id, c.year): c.values() for c in Checkup.objects.all()}
    followed = set(FollowUp.objects.values_list("person_id", "next_check_on"))
    for model in (FollowUpRecord, FollowUp, ScreeningResult, ScreeningRun, Checkup, Consent):
        model.objects.all().delete()
    with dated(FIXED_DATE):
        generate_demo(2026)
    assert {(c.person_id, c.year): c.values() for c in Checkup.objects.all()} == first
    assert set(FollowUp.objects.values_list("person_id", "next_check_on")) == followed


def test_both_years_screened_and_the_top_of_the_queue_followed_up(demo):
    from dangjian.health.models import FollowUp, FollowUpRecord, ScreeningResult, ScreeningRun

    years = checkup_years(FIXED_DATE)
    assert set(ScreeningRun.objects.filter(status="done").values_list("year", flat=True)) == set(years)
    for year in years:
        consenting = Consent.objects.filter(year=year, withdrawn_on__isnull=True).values("person_id")
        expected = Checkup.objects.filter(year=year, person_id__in=consenting).count()
        assert ScreeningResult.objects.filter(year=year).count() == expected > 400
    assert ScreeningResult.objects.filter(year=years[1], cvd_category="high").exists()
    assert ScreeningResult.objects.filter(year=years[1], missing__has_key="gastric").exists()
    assert demo["health.FollowUp"] == FollowUp.objects.count() == 24
    assert FollowUpRecord.objects.count() == demo["health.FollowUpRecord"] == 18
    assert FollowUp.objects.filter(next_check_on__lt=FIXED_DATE).exists()  # overdue ones for the to-do list
    assert FollowUp.objects.filter(last_contact_on__isnull=True).count() == 6
    record = FollowUpRecord.objects.first()
    assert record.text()["advice"]
