"""Document numbers taken at once (PostgreSQL only: SQLite serialises writers anyway): the first documents of a
year race to create the counter, and every one still gets its own number."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from dangjian.core.document_numbers import DocumentNumber, next_number
from dangjian.testing import make_tree

pytestmark = pytest.mark.django_db(transaction=True)
WORKERS = 6


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are a PostgreSQL matter")
def test_numbers_taken_at_once_are_distinct_and_consecutive():
    t = make_tree()
    taken: list[int] = []
    errors: list[Exception] = []
    barrier = threading.Barrier(WORKERS)

    def take() -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                taken.append(next_number(t.branch1.pk, 2026))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take) for _ in range(WORKERS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert sorted(taken) == list(range(1, WORKERS + 1))
    assert DocumentNumber.objects.get(organization=t.branch1, year=2026).last == WORKERS
