"""``dangjian rotate-key`` rewrites every encrypted value under the newest key without losing one; an interrupted run
is completed by running it again; each run is audited with counts only."""

from __future__ import annotations

import base64
import os
import stat
from datetime import date

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.management import call_command
from django.db import connection

from dangjian.accounts.models import User
from dangjian.audit.models import AuditEvent
from dangjian.care.models import CareEvent, HardshipEntry
from dangjian.crypto import SM4_GCM, SealError, key_id_of, keys, ring
from dangjian.crypto.rotation import encrypted_columns
from dangjian.crypto.sealing import parse_header
from dangjian.health.data import inputs_for_year
from dangjian.health.models import Checkup, CheckupImportJob, Consent, FollowUp, FollowUpRecord
from dangjian.pytest_plugin import TEST_HEALTH_KEY
from dangjian.testing import make_person

pytestmark = pytest.mark.django_db

NEW = base64.b64encode(b"\x42" * 32).decode()
TABLES = {  # every encrypted column in the schema
    "health_checkup": ["ciphertext"],
    "health_followuprecord": ["ciphertext"],
    "health_checkupimportjob": ["file_ciphertext", "report_ciphertext"],
    "care_hardshipentry": ["reason"],
    "care_careevent": ["description"],
}


def _raw_blobs() -> list[bytes]:
    out = []
    with connection.cursor() as cur:
        for table, columns in TABLES.items():
            for column in columns:
                cur.execute(f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL")  # noqa: S608 (fixed names)
                out += [bytes(v) for (v,) in cur.fetchall()]
    return out


def _data(n: int = 3) -> dict:
    """Values in every encrypted column, one checkup written before the header format (AES-GCM, no header)."""
    user = User.objects.create_user("rotator")
    made = {"checkups": [], "records": [], "entries": [], "events": []}
    for i in range(n):
        person = make_person(f"轮换{i}")
        Consent.objects.create(person=person, year=2026, given_on=date(2026, 1, 2), given_recorded_by=user)
        c = Checkup(person=person, year=2026, checked_on=date(2026, 5, 1))
        c.set_values({"sbp_mmhg": 120.0 + i, "fit_result": "positive"})
        c.save()
        made["checkups"].append(c.pk)
        f = FollowUp.objects.create(person=person, year=2026)
        r = FollowUpRecord(follow_up=f, contact_on=date(2026, 6, 1), recorded_by=user)
        r.set_text({"advice": f"转诊消化科{i}", "referral": True, "referral_to": "消化科"})
        r.save()
        made["records"].append(r.pk)
        made["entries"].append(
            HardshipEntry.objects.create(
                person=person, registered_on=date(2026, 2, 1), reason=f"重病{i}", recorded_by=user
            ).pk
        )
        made["events"].append(
            CareEvent.objects.create(
                person=person, kind="illness", occurred_on=date(2026, 2, 1), description=f"住院{i}", recorded_by=user
            ).pk
        )
    job = CheckupImportJob(user=user, year=2026, filename="体检.xlsx")
    job.store_file(b"PK\x03\x04 sheet")
    job.store_report({"errors": ["第3行 血压 300"]})
    job.save()
    made["job"] = job.pk
    # One checkup as the previous version wrote it: AES-GCM under the old key, no header.
    key = base64.b64decode(TEST_HEALTH_KEY)
    nonce = os.urandom(12)
    legacy = Checkup.objects.get(pk=made["checkups"][0])
    blob = nonce + AESGCM(key).encrypt(nonce, b"[1,120.0]", Checkup.context_for(legacy.person_id, 2026).encode())
    Checkup.objects.filter(pk=legacy.pk).update(ciphertext=blob, key_id=key_id_of(key))
    return made


def _everything_reads(made: dict, n: int = 3) -> None:
    assert [Checkup.objects.get(pk=pk).values()["sbp_mmhg"] for pk in made["checkups"]] == [120.0 + i for i in range(n)]
    assert sorted(i.values["sbp_mmhg"] for i in inputs_for_year(2026)) == [120.0 + i for i in range(n)]
    assert [FollowUpRecord.objects.get(pk=pk).text()["advice"] for pk in made["records"]] == [
        f"转诊消化科{i}" for i in range(n)
    ]
    assert [HardshipEntry.objects.get(pk=pk).reason for pk in made["entries"]] == [f"重病{i}" for i in range(n)]
    assert [CareEvent.objects.get(pk=pk).description for pk in made["events"]] == [f"住院{i}" for i in range(n)]
    job = CheckupImportJob.objects.get(pk=made["job"])
    assert job.file_bytes() == b"PK\x03\x04 sheet" and job.report() == {"errors": ["第3行 血压 300"]}


def _remove_old_key(settings, monkeypatch) -> None:
    settings.DANGJIAN_HEALTH_KEY = ""
    monkeypatch.delenv(keys.HEALTH_ENV, raising=False)


def test_every_encrypted_column_is_known_to_the_rotation():
    known = {(c.model._meta.db_table, f) for c in encrypted_columns() for f in c.sealed.fields}
    assert known == {(t, c) for t, columns in TABLES.items() for c in columns}


def test_rotate_key_rewrites_everything_and_an_interrupted_run_completes_when_run_again(settings, monkeypatch):
    made = _data()
    old_id, new_id = ring().key_id, key_id_of(base64.b64decode(NEW))
    total = len(_raw_blobs())
    assert total == 3 * 4 + 2
    settings.DANGJIAN_FIELD_KEYS = NEW  # the old key stays configured (DANGJIAN_HEALTH_KEY) until rotation is done
    assert ring().key_id == new_id

    call_command("rotate_key", limit=4, batch_size=2)  # stops after 4 values: as if interrupted
    moved = [b for b in _raw_blobs() if parse_header(b) and parse_header(b).key_id == new_id]
    assert 4 <= len(moved) < total
    _everything_reads(made)  # a half-rotated database reads normally

    call_command("rotate_key", batch_size=2)  # run again: finishes, skipping what is done
    blobs = _raw_blobs()
    assert all(parse_header(b) == parse_header(blobs[0]) for b in blobs)
    assert parse_header(blobs[0]).key_id == new_id and parse_header(blobs[0]).algorithm == SM4_GCM
    assert set(Checkup.objects.values_list("key_id", flat=True)) == {new_id}

    _remove_old_key(settings, monkeypatch)  # nothing is lost
    assert list(ring().keys) == [new_id]
    _everything_reads(made)

    events = AuditEvent.objects.filter(object_type="crypto.fieldkeys").order_by("id")
    assert [e.object_repr for e in events] == ["字段加密密钥轮换开始", "字段加密密钥轮换暂停"] + [
        "字段加密密钥轮换开始",
        "字段加密密钥轮换完成",
    ]
    first, second = events[1].detail["rewritten"], events[3].detail["rewritten"]
    assert sum(first.values()) + sum(second.values()) == total and events[3].detail["complete"] is True
    assert events[3].detail["key_id"] == new_id and old_id not in str(events[3].detail)
    assert "重病" not in str([e.detail for e in events]) and "120" not in str([e.detail for e in events])


def test_a_third_run_changes_nothing_and_status_reports_none_left(settings, capsys):
    _data(n=1)
    settings.DANGJIAN_FIELD_KEYS = NEW
    call_command("rotate_key")
    before = _raw_blobs()
    call_command("rotate_key")
    assert _raw_blobs() == before
    call_command("rotate_key", status=True)
    assert "全部数据已使用最新密钥" in capsys.readouterr().out


def test_removing_the_old_key_before_rotating_fails_naming_it_and_loses_nothing(settings, monkeypatch):
    made = _data(n=1)
    old_id = ring().key_id
    _remove_old_key(settings, monkeypatch)
    settings.DANGJIAN_FIELD_KEYS = NEW
    with pytest.raises(Exception, match=old_id):
        call_command("rotate_key")
    settings.DANGJIAN_HEALTH_KEY = TEST_HEALTH_KEY  # put it back: everything still reads, rotation completes
    call_command("rotate_key")
    _remove_old_key(settings, monkeypatch)
    _everything_reads(made, n=1)


def test_embedded_mode_adds_a_key_to_the_private_key_file(settings, tmp_path, monkeypatch):
    monkeypatch.delenv(keys.HEALTH_ENV, raising=False)
    settings.DANGJIAN_HEALTH_KEY = ""
    settings.PRODUCTION = False
    settings.VAR_DIR = tmp_path
    person, user = make_person("内置"), User.objects.create_user("embedded")
    entry = HardshipEntry.objects.create(person=person, registered_on=date(2026, 2, 1), reason="病", recorded_by=user)
    first = ring().key_id
    call_command("rotate_key", new_key=True)
    path = tmp_path / keys.KEY_FILE_NAME
    assert len(path.read_text().split()) == 2 and stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert ring().key_id != first
    [blob] = [b for b in _raw_blobs()]
    assert parse_header(blob).key_id == ring().key_id
    assert HardshipEntry.objects.get(pk=entry.pk).reason == "病"
    settings.PRODUCTION = True  # production never writes a key file
    with pytest.raises(SealError):
        keys.append_key_to_file()
