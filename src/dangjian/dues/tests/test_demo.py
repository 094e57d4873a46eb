"""The demo's year of dues: everyone admitted has an account, a few members are in arrears, reliefs exist."""

from __future__ import annotations

import pytest

from dangjian.demo.spec import FIXED_DATE
from dangjian.dues.arrears import arrears_rows
from dangjian.dues.demo import ARREARS
from dangjian.dues.ledger import PAID, compute
from dangjian.dues.models import DuesAccount, DuesBase, DuesPayment, DuesRelief
from dangjian.dues.months import add_months, month_start
from dangjian.people.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(institute_demo):
    """The demo institute shared by the whole run (``dangjian.pytest_plugin.institute_demo``)."""
    return institute_demo


def test_demo_counts_match_the_rows(demo):
    assert demo["dues.DuesAccount"] == DuesAccount.objects.count() >= 50
    assert demo["dues.DuesBase"] == DuesBase.objects.count()
    assert demo["dues.DuesPayment"] == DuesPayment.objects.count() > demo["dues.DuesAccount"] * 3
    assert demo["dues.DuesRelief"] == DuesRelief.objects.count() == 2


def test_demo_has_a_few_members_in_arrears_and_most_paid(demo):
    members = Membership.objects.current()
    rows = arrears_rows(members, FIXED_DATE)
    assert len(rows) == ARREARS and all(r.months >= 6 for r in rows)
    last = add_months(month_start(FIXED_DATE), -1)
    lines = compute(members.filter(person__dues_account__isnull=False), [last])[last]
    paid = sum(1 for line in lines if line.status == PAID)
    assert paid >= 0.9 * len(lines)


def test_demo_has_an_approved_waiver_a_pending_reduction_and_a_voluntary_payment_for_the_centre(demo):
    assert set(DuesRelief.objects.values_list("kind", "status")) == {("waive", "approved"), ("reduce", "requested")}
    assert any(p.to_centre for p in DuesPayment.objects.filter(kind="voluntary"))
