"""The demo's care rows: events in progress for the demo users, hardship support, practical matters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction

from dangjian.accounts.models import User
from dangjian.care.alerts import alerts
from dangjian.care.demo import generate_demo
from dangjian.care.models import CareEvent, HardshipEntry, Obligation, PracticalMatter, Support
from dangjian.demo.generator import generate
from dangjian.demo.spec import FIXED_DATE, dated

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic(), dated(FIXED_DATE):
        generate("institute", apps=False, on=FIXED_DATE)
        counts = generate_demo(2026)
        yield counts
        transaction.set_rollback(True)


def test_demo_counts_match_the_rows(demo):
    assert demo["care.CareEvent"] == CareEvent.objects.count() >= 50
    assert demo["care.Obligation"] == Obligation.objects.count()
    assert demo["care.Support"] == Support.objects.count() and HardshipEntry.objects.count() == 4
    assert 3 <= PracticalMatter.objects.count() <= 5


def test_demo_has_closed_in_time_late_and_open_overdue_obligations(demo):
    closed = list(Obligation.objects.filter(status="closed"))
    assert any(o.in_time for o in closed) and any(not o.in_time for o in closed)
    assert all(o.done_on <= FIXED_DATE for o in closed)
    assert Obligation.objects.filter(status="open", due_on__lt=FIXED_DATE).exists()


def test_demo_has_last_years_obligations_all_settled_mostly_in_time_across_many_branches(demo):
    """Without them last year's assessment found no obligation due in any branch (关怀 leaf: nothing measured)."""
    last = Obligation.objects.filter(due_on__year=FIXED_DATE.year - 1)
    assert last.count() >= 60 and not last.exclude(status="closed").exists()
    in_time = sum(o.in_time for o in last)
    assert 0.7 * last.count() <= in_time < last.count()
    assert last.values("event__branch").distinct().count() >= 30


def test_demo_secretary_and_care_officer_have_items(demo):
    for name in ("secretary", "care"):
        user = User.objects.get(username=name)
        assert Obligation.objects.filter(responsible_user=user, status="open").exists(), name
        assert alerts(user, FIXED_DATE + timedelta(days=1)), name


def test_demo_includes_the_annuity_for_external_staff(demo):
    annuity = PracticalMatter.objects.get(title__contains="企业年金")
    assert annuity.beneficiary_groups == "外聘职工" and annuity.beneficiary_count > 0
    assert annuity.milestones.filter(done_on__isnull=False).count() == 4


def test_demo_is_deterministic(demo):
    rows = lambda qs: list(qs.values_list("person_id", "kind", "occurred_on"))  # noqa: E731
    first = rows(CareEvent.objects.order_by("pk"))
    with transaction.atomic():
        sid = transaction.savepoint()
        last = CareEvent.objects.order_by("pk").last().pk
        with dated(FIXED_DATE):
            generate_demo(2026)
        again = rows(CareEvent.objects.filter(pk__gt=last).order_by("pk"))
        transaction.savepoint_rollback(sid)
    assert again == first
