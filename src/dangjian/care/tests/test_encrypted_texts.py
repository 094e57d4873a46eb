"""Hardship reasons and care event descriptions (illness and every other kind) are encrypted at rest like the
checkup values (PIPL art. 28, 51); the audit log does not copy them; existing rows are encrypted by a migration."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from dangjian.audit.models import AuditEvent
from dangjian.care import hardship, services
from dangjian.care.models import CareEvent, HardshipEntry
from dangjian.core import context
from dangjian.crypto import SM4_GCM, ring
from dangjian.crypto.sealing import parse_header
from dangjian.testing import make_person, make_user

REASON = "本人患胃癌住院化疗，配偶失业"
ILLNESS = "肺炎住院，第三人民医院呼吸科"


def _raw(table: str, column: str, pk: int) -> bytes:
    with connection.cursor() as cur:
        cur.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 (fixed names)
        return bytes(cur.fetchone()[0])


def _sealed_and_unreadable(raw: bytes, text: str) -> None:
    assert text.encode() not in raw and text[:2].encode() not in raw
    header = parse_header(raw)
    assert header is not None and header.algorithm == SM4_GCM and header.key_id == ring().key_id


@pytest.mark.django_db
def test_a_hardship_reason_is_stored_encrypted_and_reads_back(client, care_world):
    w = care_world
    with context.acting(w.sec1):
        entry = hardship.register(w.sec1, w.jia.pk, timezone.localdate(), REASON)
    _sealed_and_unreadable(_raw("care_hardshipentry", "reason", entry.pk), REASON)
    assert HardshipEntry.objects.get(pk=entry.pk).reason == REASON
    created = AuditEvent.objects.get(object_type="care.hardshipentry", object_id=str(entry.pk), action="create")
    assert REASON not in str(created.after) and "reason" not in created.after
    client.force_login(w.sec1)
    assert REASON in client.get(reverse("care:hardship_entry", args=[entry.pk])).content.decode()


@pytest.mark.django_db
def test_an_illness_event_description_is_stored_encrypted_and_reads_back(client, care_world):
    w = care_world
    with context.acting(w.sec1):
        event = services.record_event(w.sec1, w.jia.pk, "illness", timezone.localdate() - timedelta(days=1), ILLNESS)
    _sealed_and_unreadable(_raw("care_careevent", "description", event.pk), ILLNESS)
    assert CareEvent.objects.get(pk=event.pk).description == ILLNESS
    assert list(CareEvent.objects.values_list("description", flat=True)) == [ILLNESS]
    created = AuditEvent.objects.get(object_type="care.careevent", object_id=str(event.pk), action="create")
    assert ILLNESS not in str(created.after)
    client.force_login(w.sec1)
    assert ILLNESS in client.get(reverse("care:event", args=[event.pk])).content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_existing_rows_and_reversing_it_decrypts_them():
    executor = MigrationExecutor(connection)
    before, after = [("care", "0002_default_rules")], [("care", "0003_encrypt_hardship_reason_and_event_description")]
    executor.migrate(before)
    person, user = make_person("旧"), make_user("office_old", "office")
    with connection.cursor() as cur:
        now = timezone.now()
        cur.execute(
            "INSERT INTO care_hardshipentry (created_at, updated_at, person_id, registered_on, reason, recorded_by_id)"
            " VALUES (%s, %s, %s, %s, %s, %s)",
            [now, now, person.pk, date(2025, 3, 1), REASON, user.pk],
        )
        cur.execute(
            "INSERT INTO care_careevent (created_at, updated_at, person_id, kind, occurred_on, description, source,"
            " recorded_by_id) VALUES (%s, %s, %s, 'illness', %s, %s, 'form', %s)",
            [now, now, person.pk, date(2025, 3, 1), ILLNESS, user.pk],
        )
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    entry, event = HardshipEntry.all_objects.get(), CareEvent.all_objects.get()
    _sealed_and_unreadable(_raw("care_hardshipentry", "reason", entry.pk), REASON)
    _sealed_and_unreadable(_raw("care_careevent", "description", event.pk), ILLNESS)
    assert (entry.reason, event.description) == (REASON, ILLNESS)
    MigrationExecutor(connection).migrate(before)
    with connection.cursor() as cur:
        cur.execute("SELECT reason FROM care_hardshipentry")
        assert cur.fetchone()[0] == REASON
    call_command("migrate", verbosity=0)  # leave the schema as the other tests expect it
