"""Letter numbers under concurrent sending (PostgreSQL only: SQLite serialises writers anyway)."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connection, connections

from dangjian.core import context
from dangjian.testing import make_member, make_tree, make_user
from dangjian.transfers import services
from dangjian.transfers.models import Transfer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are a PostgreSQL matter")
def test_concurrent_sends_get_distinct_consecutive_numbers(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    t = make_tree()
    sec = make_user("sec", "secretary", t.branch1)
    with context.acting(sec):
        pks = [
            services.request_transfer(
                sec, make_member(t.branch1).pk, to_name="外单位", reason="调离", requested_on=date(2026, 3, 2)
            ).pk
            for _ in range(6)
        ]
    errors: list[Exception] = []
    barrier = threading.Barrier(len(pks))

    def send(pk: int) -> None:
        try:
            barrier.wait()
            with context.acting(sec):
                services.send(sec, pk, on=date(2026, 3, 3))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(pk,)) for pk in pks]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    seqs = sorted(Transfer.objects.values_list("letter_seq", flat=True))
    assert seqs == [1, 2, 3, 4, 5, 6]
