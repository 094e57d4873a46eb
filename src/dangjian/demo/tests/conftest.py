"""One institute-scale load per test module, rolled back afterwards.

Loading takes about a second; doing it once per module (inside an outer transaction that
is rolled back) keeps the suite quick without leaking demo rows into other apps' tests.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from dangjian.demo.generator import generate
from dangjian.demo.spec import FIXED_DATE


@pytest.fixture(scope="module")
def demo_counts(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        counts = generate("institute", apps=False, on=FIXED_DATE)  # the apps test their own demo rows on the full load
        yield counts
        transaction.set_rollback(True)
