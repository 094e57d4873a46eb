"""Upgrading an unkeyed (plain SM3) chain: migrate re-keys it only if it verifies as it stands."""

from __future__ import annotations

import datetime as dt
import importlib
import io

import pytest
from django.core.management import call_command
from django.db import connection

from dangjian.audit.models import AuditEvent
from dangjian.audit.services import verify_chain

pytestmark = pytest.mark.django_db(transaction=True)
legacy = importlib.import_module("dangjian.audit.migrations.0002_keyed_chain_head")


class _Row:
    def __init__(self, **kw):
        self.__dict__.update(kw)


def _legacy_chain(n: int) -> list[str]:
    """Write ``n`` rows and the head the way audit 0001 did (plain SM3 over 13 columns)."""
    call_command("migrate", "audit", "0001", verbosity=0, stdout=io.StringIO())
    prev, digests = legacy.GENESIS, []
    at = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditchainhead")
        for i in range(n):
            row = _Row(
                at=at + dt.timedelta(minutes=i),
                actor_id=None,
                actor_name="cli",
                channel="cli",
                ip="",
                request_id=f"r{i}",
                action="export",
                object_type="x",
                object_id="",
                object_repr=f"e{i}",
                before=None,
                after=None,
                detail=None,
            )
            digest = legacy._legacy_link("sm3", prev, row)
            cursor.execute(
                "INSERT INTO audit_auditevent (id, at, actor_name, channel, ip, request_id, action, object_type,"
                " object_id, object_repr, algorithm, prev_digest, digest) VALUES"
                " (%s, %s, 'cli', 'cli', '', %s, 'export', 'x', '', %s, 'sm3', %s, %s)",
                [i * 2 + 1, row.at, row.request_id, row.object_repr, prev, digest],  # ids with gaps, as sequences leave
            )
            prev = digest
            digests.append(digest)
        cursor.execute("INSERT INTO audit_auditchainhead (id, digest) VALUES (1, %s)", [prev])
    return digests


def test_migrate_rekeys_an_intact_legacy_chain():
    _legacy_chain(4)
    call_command("migrate", "audit", verbosity=0, stdout=io.StringIO())
    assert set(AuditEvent.objects.values_list("algorithm", flat=True)) == {"hmac-sm3"}
    assert verify_chain() == (True, None)
    assert list(AuditEvent.objects.order_by("id").values_list("object_repr", flat=True)) == ["e0", "e1", "e2", "e3"]


def test_migrate_leaves_a_broken_legacy_chain_unkeyed_and_reported():
    _legacy_chain(4)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET object_repr = 'tampered' WHERE id = 5")
    out = io.StringIO()
    call_command("migrate", "audit", verbosity=0, stdout=out)
    assert set(AuditEvent.objects.values_list("algorithm", flat=True)) == {"sm3"}
    assert verify_chain() == (False, 1)


def test_migrate_refuses_to_rekey_a_legacy_chain_whose_tail_was_deleted():
    _legacy_chain(4)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = 7")
    call_command("migrate", "audit", verbosity=0, stdout=io.StringIO())
    assert set(AuditEvent.objects.values_list("algorithm", flat=True)) == {"sm3"}
    assert verify_chain()[0] is False
