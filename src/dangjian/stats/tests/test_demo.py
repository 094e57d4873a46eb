"""The statistics of the shared demo institute balance: every membership the demo writes carries its cause, and
every move has its two sides."""

from __future__ import annotations

import pytest

from dangjian.demo.spec import FIXED_DATE
from dangjian.stats.compute import compute, subtree_of

pytestmark = pytest.mark.django_db


def test_the_demo_institute_balances(institute_demo):
    stats = compute(subtree_of(None), FIXED_DATE.year)
    b = stats.balance
    listed = [(i.name, i.reasons) for i in b.imbalances[:5]]
    assert b.imbalances == [], listed
    assert b.last_year + b.increase_total - b.decrease_total == b.this_year
    assert b.balanced
