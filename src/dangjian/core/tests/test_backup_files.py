"""``dangjian backup`` writes files only their owner can read, and can encrypt them (SM4-GCM or AES-GCM); ``dangjian
restore`` reads plain and encrypted backups alike and refuses an altered one before touching the database."""

from __future__ import annotations

import base64
import gzip
import io
import json
import os
import stat
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dangjian.accounts.models import User
from dangjian.care.models import HardshipEntry
from dangjian.crypto import AES_GCM, SM4_GCM, key_id_of, ring
from dangjian.crypto.files import MAGIC
from dangjian.health.models import Checkup
from dangjian.people.models import Person
from dangjian.testing import make_person

pytestmark = pytest.mark.django_db(transaction=True)
BACKUP_KEY = b"\x07" * 32


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _data() -> tuple[int, int]:
    person, user = make_person("备份乙"), User.objects.create_user("backup")
    entry = HardshipEntry.objects.create(person=person, registered_on=date(2026, 1, 5), reason="重病", recorded_by=user)
    c = Checkup(person=person, year=2026, checked_on=date(2026, 5, 1))
    c.set_values({"sbp_mmhg": 166.0})
    c.save()
    return entry.pk, c.pk


def _spoil() -> None:
    Person.objects.update(name="被改")
    HardshipEntry.objects.update(closed_on=date(2026, 3, 1))


def _intact(entry_pk: int, checkup_pk: int) -> None:
    entry = HardshipEntry.objects.get(pk=entry_pk)
    assert entry.reason == "重病" and entry.closed_on is None and entry.person.name == "备份乙"
    assert Checkup.objects.get(pk=checkup_pk).values() == {"sbp_mmhg": 166.0}


@pytest.mark.parametrize("name", ["db.json", "db.json.gz"])
def test_a_plain_backup_is_private_even_over_an_existing_readable_file(tmp_path, name):
    path = tmp_path / name
    path.write_text("old")
    os.chmod(path, 0o644)
    call_command("backup", str(path), stdout=io.StringIO())
    assert _mode(path) == 0o600
    raw = path.read_bytes()
    assert json.loads(gzip.decompress(raw) if name.endswith(".gz") else raw)


def test_an_encrypted_backup_is_private_not_json_and_restores(tmp_path):
    entry_pk, checkup_pk = _data()
    path = tmp_path / "db.json.gz.enc"
    call_command("backup", str(path), "--encrypt", stdout=io.StringIO())
    assert _mode(path) == 0o600
    raw = path.read_bytes()
    assert raw.startswith(MAGIC) and raw[5] == 1 and raw[6:14].hex() == ring().key_id  # SM4-GCM, the field key
    assert ring().algorithm == SM4_GCM
    for reading in (json.loads, gzip.decompress):
        with pytest.raises(Exception):  # noqa: B017,PT011 (not JSON, not gzip: any error will do)
            reading(raw)
    assert "备份乙".encode() not in raw and b"hardshipentry" not in raw
    _spoil()
    call_command("restore", str(path), "--yes", stdout=io.StringIO())
    _intact(entry_pk, checkup_pk)


def test_an_aes_backup_under_its_own_key_needs_that_key_and_an_altered_one_is_refused(tmp_path):
    entry_pk, checkup_pk = _data()
    key_file = tmp_path / "backup.key"
    key_file.write_text(base64.b64encode(BACKUP_KEY).decode())
    path = tmp_path / "db.json.enc"
    call_command("backup", str(path), "--key-file", str(key_file), "--cipher", AES_GCM, stdout=io.StringIO())
    raw = path.read_bytes()
    assert raw[5] == 2 and raw[6:14].hex() == key_id_of(BACKUP_KEY)  # AES-GCM, the backup key
    _spoil()
    with pytest.raises(CommandError, match=key_id_of(BACKUP_KEY)):
        call_command("restore", str(path), "--yes")  # the field keys cannot open it
    damaged = bytearray(raw)
    damaged[len(raw) // 2] ^= 1
    altered = tmp_path / "altered.json.enc"
    altered.write_bytes(bytes(damaged))
    with pytest.raises(CommandError, match="篡改"):
        call_command("restore", str(altered), "--yes", "--key-file", str(key_file))
    with pytest.raises(CommandError, match="篡改"):
        (tmp_path / "cut.json.enc").write_bytes(raw[:-100])
        call_command("restore", str(tmp_path / "cut.json.enc"), "--yes", "--key-file", str(key_file))
    assert Person.objects.get().name == "被改"  # nothing was loaded from a bad file
    call_command("restore", str(path), "--yes", "--key-file", str(key_file), stdout=io.StringIO())
    _intact(entry_pk, checkup_pk)


def test_an_encrypted_backup_needs_an_enc_name(tmp_path):
    with pytest.raises(CommandError, match=r"\.json\.enc"):
        call_command("backup", str(tmp_path / "db.json"), "--encrypt")
    assert not (tmp_path / "db.json").exists()
