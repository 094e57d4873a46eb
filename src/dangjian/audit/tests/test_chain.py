"""The audit chain detects truncation and rewriting (issue 10, section 5).

Every tamper below is done as an attacker with database access would do it: raw SQL, around the application.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os

import pytest
from cryptography.hazmat.primitives import hashes
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from dangjian.audit import chain
from dangjian.audit.models import AuditChainHead, AuditEvent
from dangjian.audit.services import record, record_many, verify_chain
from dangjian.testing import login_with_second_factor, make_user

pytestmark = pytest.mark.django_db


def _events(n: int = 6) -> list[AuditEvent]:
    for i in range(n // 2):
        record("export", None, object_type_label="x", object_repr=f"e{i}", detail={"i": i})
    record_many([{"action": "import", "object_type_label": "y", "object_repr": f"r{i}"} for i in range(n - n // 2)])
    return list(AuditEvent.objects.order_by("id"))


def _sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _delete_from(position: int) -> None:
    _sql("DELETE FROM audit_auditevent WHERE id >= %s", [position])


def test_deleting_the_last_rows_breaks_the_chain_at_the_first_deleted_position(client):
    events = _events()
    assert verify_chain() == (True, None)
    _delete_from(events[-2].id)
    assert verify_chain() == (False, events[-2].id)
    login_with_second_factor(client, make_user("aud", "auditor"))
    html = client.get(reverse("audit:verify")).content.decode()
    assert "哈希链完整" not in html and f"第 {events[-2].id} 号" in html


def test_deleting_the_tail_and_moving_the_head_back_is_detected():
    events = _events()
    _delete_from(events[-2].id)
    kept = events[-3]
    _sql(
        "UPDATE audit_auditchainhead SET digest = %s, position = %s, count = %s WHERE id = 1",
        [kept.digest, kept.id, len(events) - 2],
    )
    assert verify_chain() == (False, events[-2].id)


def _plain_sm3(prev: str, payload: dict) -> str:
    h = hashes.Hash(hashes.SM3())
    h.update(prev.encode())
    h.update(chain.canonical(payload))
    return h.finalize().hex()


def test_rewriting_a_row_and_rechaining_with_plain_sm3_is_detected():
    events = _events()
    victim = events[2]
    prev = victim.prev_digest
    for event in events[2:]:  # the attacker rewrites one row, then recomputes every digest after it
        if event.pk == victim.pk:
            event.object_repr = "tampered"
        event.algorithm, event.prev_digest = "sm3", prev
        event.digest = _plain_sm3(prev, chain.payload_of(event))
        _sql(
            "UPDATE audit_auditevent SET object_repr = %s, algorithm = %s, prev_digest = %s, digest = %s WHERE id = %s",
            [event.object_repr, event.algorithm, event.prev_digest, event.digest, event.id],
        )
        prev = event.digest
    _sql("UPDATE audit_auditchainhead SET digest = %s WHERE id = 1", [prev])
    assert verify_chain() == (False, victim.id)


def test_rechaining_under_another_key_is_detected():
    events = _events()
    victim = events[3]
    wrong = os.urandom(32)
    prev = victim.prev_digest
    for event in events[3:]:
        if event.pk == victim.pk:
            event.actor_name = "someone else"
        event.prev_digest = prev
        event.digest = chain.link(event.algorithm, wrong, prev, chain.payload_of(event))
        _sql(
            "UPDATE audit_auditevent SET actor_name = %s, prev_digest = %s, digest = %s WHERE id = %s",
            [event.actor_name, event.prev_digest, event.digest, event.id],
        )
        prev = event.digest
    head = AuditChainHead.objects.get(pk=1)
    head.digest = prev
    _sql("UPDATE audit_auditchainhead SET digest = %s, mac = %s WHERE id = 1", [prev, chain.head_mac(head, wrong)])
    assert verify_chain() == (False, victim.id)


def _changed(field, value):
    if field.name == "id":
        return value + 1000
    if field.name == "at":
        return value + dt.timedelta(seconds=1)
    if field.name == "actor":
        return make_user("intruder", "office").pk
    if field.get_internal_type() == "JSONField":
        return json.dumps({"changed": True})
    if field.name == "algorithm":
        return "hmac-sha256"
    value = value or ""
    return value[:-1] + ("y" if value.endswith("x") else "x")  # same length: the column may be full


def test_every_column_of_an_event_is_in_its_digest():
    events = _events()
    victim = events[2]
    fields = [f for f in AuditEvent._meta.concrete_fields if f.name != "digest"]
    assert {f.attname for f in fields} == set(chain.payload_of(victim))
    for field in fields:
        value = _changed(field, getattr(victim, field.attname))
        try:
            with transaction.atomic():
                _sql(f"UPDATE audit_auditevent SET {field.column} = %s WHERE id = %s", [value, victim.id])
                intact, broken = verify_chain()
                assert not intact, field.name
                assert broken in (victim.id, victim.id + 1000 if field.name == "id" else victim.id), field.name
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
    assert verify_chain() == (True, None)


def test_a_missing_head_with_rows_is_detected():
    events = _events(2)
    _sql("DELETE FROM audit_auditchainhead", [])
    assert verify_chain() == (False, events[-1].id + 1)
    record("export", None, object_type_label="x")  # the application keeps working, the break stays visible
    assert verify_chain()[0] is False


def test_the_auditor_exports_a_checkpoint_and_verifies_against_it(client, tmp_path):
    _events()
    login_with_second_factor(client, make_user("aud", "auditor"))
    response = client.post(reverse("audit:checkpoint"))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    checkpoint = json.loads(response.content)
    export = AuditEvent.objects.order_by("id").last()
    assert export.object_type == "audit.checkpoint" and checkpoint["position"] == export.id
    assert set(checkpoint) >= {"position", "digest", "at", "mac"}
    path = tmp_path / "cp.json"
    path.write_bytes(response.content)
    record("export", None, object_type_label="x", object_repr="after the checkpoint")

    upload = io.BytesIO(response.content)
    upload.name = "cp.json"
    html = client.post(reverse("audit:verify"), {"checkpoint": upload}).content.decode()
    assert 'id="chain-intact"' in html and "与检查点" in html
    out = io.StringIO()
    call_command("audit_verify", "--checkpoint", str(path), stdout=out)
    assert "完整" in out.getvalue()

    # Someone holding the key deletes everything from the checkpoint's row on and re-signs the head:
    # the chain alone looks intact, the checkpoint kept outside does not agree.
    last_kept = AuditEvent.objects.filter(id__lt=checkpoint["position"]).order_by("id").last()
    _delete_from(checkpoint["position"])
    head = AuditChainHead.objects.get(pk=1)
    head.digest, head.position, head.count = last_kept.digest, last_kept.id, head.count - 2
    _sql(
        "UPDATE audit_auditchainhead SET digest = %s, position = %s, count = %s, mac = %s WHERE id = 1",
        [head.digest, head.position, head.count, chain.head_mac(head, chain.key())],
    )
    assert verify_chain() == (True, None)
    with pytest.raises(CommandError, match=f"第 {checkpoint['position']} 号"):
        call_command("audit_verify", "--checkpoint", str(path))
    upload.seek(0)
    html = client.post(reverse("audit:verify"), {"checkpoint": upload}).content.decode()
    assert 'id="chain-broken"' in html


def test_a_checkpoint_rewritten_in_the_history_is_detected_by_position(tmp_path):
    events = _events()
    path = tmp_path / "cp.json"
    call_command("audit_checkpoint", str(path), stdout=io.StringIO())
    assert os.stat(path).st_mode & 0o777 == 0o600
    checkpoint = json.loads(path.read_text())
    # Key holder rewrites a row before the checkpoint and re-chains everything properly under the key.
    secret = chain.key()
    rows = list(AuditEvent.objects.order_by("id"))
    prev = rows[0].prev_digest
    for event in rows:
        if event.id == events[1].id:
            event.object_repr = "rewritten"
        event.prev_digest = prev
        event.digest = chain.link(event.algorithm, secret, prev, chain.payload_of(event))
        prev = event.digest
    with transaction.atomic():
        _sql("UPDATE audit_auditevent SET digest = 'tmp' || id", [])
        for event in rows:
            _sql(
                "UPDATE audit_auditevent SET object_repr = %s, prev_digest = %s, digest = %s WHERE id = %s",
                [event.object_repr, event.prev_digest, event.digest, event.id],
            )
    head = AuditChainHead.objects.get(pk=1)
    head.digest = prev
    _sql("UPDATE audit_auditchainhead SET digest = %s, mac = %s WHERE id = 1", [prev, chain.head_mac(head, secret)])
    assert verify_chain() == (True, None)
    with pytest.raises(CommandError, match=f"第 {checkpoint['position']} 号"):
        call_command("audit_verify", "--checkpoint", str(path))


def test_a_forged_checkpoint_is_refused(tmp_path):
    _events(2)
    path = tmp_path / "cp.json"
    call_command("audit_checkpoint", str(path), stdout=io.StringIO())
    checkpoint = json.loads(path.read_text())
    checkpoint["position"] -= 1
    path.write_text(json.dumps(checkpoint))
    with pytest.raises(CommandError, match="签名无效"):
        call_command("audit_verify", "--checkpoint", str(path))


@pytest.mark.django_db(transaction=True)  # the console command closes the connections when it ends
def test_the_console_command_exits_0_when_intact_and_names_the_first_broken_position(capsys):
    from dangjian.cli import main

    events = _events()
    main(["dangjian", "audit-verify"])  # returns normally: exit status 0
    assert "审计日志完整" in capsys.readouterr().out
    _delete_from(events[-1].id)
    with pytest.raises(SystemExit) as exc:
        main(["dangjian", "audit-verify"])
    assert exc.value.code != 0
    assert f"第 {events[-1].id} 号" in capsys.readouterr().err


def _old_events(days_ago: int, n: int, monkeypatch) -> None:
    moment = timezone.now() - dt.timedelta(days=days_ago)
    with monkeypatch.context() as m:
        m.setattr(timezone, "now", lambda: moment)
        for i in range(n):
            record("login", None, object_type_label="accounts.user", object_repr=f"old{days_ago}-{i}")


def test_archive_moves_old_rows_to_a_file_and_the_chain_still_verifies(tmp_path, monkeypatch):
    _old_events(400, 3, monkeypatch)
    _old_events(200, 2, monkeypatch)
    _old_events(10, 2, monkeypatch)
    first_recent = AuditEvent.objects.order_by("id")[5]
    cut = timezone.localdate() - dt.timedelta(days=190)
    out = tmp_path / "archive.jsonl"
    call_command("audit_archive", "--before", cut.isoformat(), "--output", str(out), stdout=io.StringIO())
    assert os.stat(out).st_mode & 0o777 == 0o600
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    header, rows = lines[0], lines[1:]
    assert len(rows) == 5 and header["count"] == 5 and header["head_digest"] == rows[-1]["digest"]
    assert AuditEvent.objects.order_by("id").first() == first_recent
    assert verify_chain() == (True, None)
    assert AuditEvent.objects.filter(action="archive", detail__count=5).exists()
    # The archived rows re-chain from the header's genesis to the head at the cut (the digests need the key).
    prev, secret = header["genesis"], chain.key()
    for row in rows:
        digest = row.pop("digest")
        assert row["prev_digest"] == prev and chain.link(row["algorithm"], secret, prev, row) == digest
        prev = digest
    assert prev == AuditChainHead.objects.get(pk=1).genesis
    record("export", None, object_type_label="x")
    assert verify_chain() == (True, None)


def test_archive_refuses_a_date_within_the_retention_period(tmp_path, monkeypatch):
    _old_events(400, 2, monkeypatch)
    recent = timezone.localdate() - dt.timedelta(days=179)
    with pytest.raises(CommandError, match="180"):
        call_command("audit_archive", "--before", recent.isoformat(), "--output", str(tmp_path / "a.jsonl"))
    assert AuditEvent.objects.count() == 2 and not (tmp_path / "a.jsonl").exists()


def test_archive_refuses_a_broken_chain(tmp_path, monkeypatch):
    _old_events(400, 3, monkeypatch)
    _delete_from(AuditEvent.objects.order_by("id").last().id)
    cut = timezone.localdate() - dt.timedelta(days=200)
    with pytest.raises(CommandError, match="不完整"):
        call_command("audit_archive", "--before", cut.isoformat(), "--output", str(tmp_path / "a.jsonl"))
    assert AuditEvent.objects.count() == 2
