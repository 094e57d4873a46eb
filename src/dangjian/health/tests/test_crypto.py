"""Checkup values are encrypted at rest with a key that is not in the database (PIPL art. 28, 51)."""

from __future__ import annotations

import base64
import os
import stat
from datetime import date

import pytest
from django.core.checks import run_checks
from django.db import connection

from dangjian.crypto import SealError, key_id_of, keys, ring
from dangjian.health.checks import health_key_check
from dangjian.health.models import Checkup
from dangjian.testing import make_person

OTHER_KEY = base64.b64encode(b"\x01" * 32).decode()


def _checkup(person, values) -> Checkup:
    c = Checkup(person=person, year=2026, checked_on=date(2026, 5, 1))
    c.set_values(values)
    c.save()
    return c


@pytest.mark.django_db
def test_the_raw_column_holds_no_value_and_decrypts_with_the_key():
    person = make_person("王五")
    c = _checkup(person, {"sbp_mmhg": 187.5, "h_pylori_positive": True, "fit_result": "positive"})
    with connection.cursor() as cur:
        cur.execute("SELECT ciphertext, key_id FROM health_checkup WHERE id = %s", [c.pk])
        raw, key_id = cur.fetchone()
    raw = bytes(raw)
    for plain in (b"187.5", b"sbp", b"positive", b"true"):
        assert plain not in raw
    assert key_id == ring().key_id
    expected = {"sbp_mmhg": 187.5, "h_pylori_positive": True, "fit_result": "positive"}
    assert Checkup.objects.get(pk=c.pk).values() == expected


@pytest.mark.django_db
def test_a_wrong_key_fails_clearly_naming_both_key_ids(settings):
    c = _checkup(make_person(), {"sbp_mmhg": 120})
    stored_id = c.key_id
    settings.DANGJIAN_HEALTH_KEY = OTHER_KEY
    with pytest.raises(SealError, match=stored_id):
        Checkup.objects.get(pk=c.pk).values()


@pytest.mark.django_db
def test_a_ciphertext_copied_to_another_person_does_not_decrypt():
    a, b = _checkup(make_person(), {"sbp_mmhg": 120}), _checkup(make_person(), {"sbp_mmhg": 160})
    Checkup.objects.filter(pk=b.pk).update(ciphertext=a.ciphertext)
    with pytest.raises(SealError, match="无法解密"):
        Checkup.objects.get(pk=b.pk).values()


@pytest.mark.django_db
def test_the_same_values_encrypt_differently_each_time():
    c1, c2 = _checkup(make_person(), {"sbp_mmhg": 120}), _checkup(make_person(), {"sbp_mmhg": 120})
    assert bytes(c1.ciphertext)[12:] != bytes(c2.ciphertext)[12:]


def test_embedded_mode_creates_a_private_key_file_once(settings, tmp_path, monkeypatch):
    monkeypatch.delenv(keys.HEALTH_ENV, raising=False)
    settings.DANGJIAN_HEALTH_KEY = ""
    settings.PRODUCTION = False
    settings.VAR_DIR = tmp_path
    first = keys.load_keys()[0]
    path = tmp_path / keys.KEY_FILE_NAME
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert len(first) == 1 and len(first[0]) == 32
    assert keys.load_keys()[0] == first


def test_production_mode_without_a_key_refuses_and_fails_the_system_check(settings, tmp_path, monkeypatch):
    monkeypatch.delenv(keys.HEALTH_ENV, raising=False)
    settings.DANGJIAN_HEALTH_KEY = ""
    settings.PRODUCTION = True
    settings.VAR_DIR = tmp_path
    with pytest.raises(SealError, match=keys.KEYS_ENV):
        ring()
    assert not (tmp_path / keys.KEY_FILE_NAME).exists()
    assert [e.id for e in health_key_check()] == ["health.E001"]
    assert "health.E001" in [e.id for e in run_checks()]


def test_the_key_comes_from_the_environment_when_settings_have_none(settings, monkeypatch):
    settings.DANGJIAN_HEALTH_KEY = ""
    settings.PRODUCTION = True
    monkeypatch.setenv(keys.HEALTH_ENV, OTHER_KEY)
    assert ring().key_id == key_id_of(b"\x01" * 32)
    assert health_key_check() == []


@pytest.mark.parametrize("bad", ["not base64!", base64.b64encode(b"short").decode()])
def test_a_malformed_key_is_a_check_error(settings, bad):
    settings.DANGJIAN_HEALTH_KEY = bad
    assert [e.id for e in health_key_check()] == ["health.E002"]
    with pytest.raises(SealError):
        ring()


def test_every_checkup_field_has_a_place_in_the_payload_format():
    from dangjian.health.fields import FIELDS
    from dangjian.health.models.checkup import PAYLOAD_V1, decode, encode

    assert set(PAYLOAD_V1) == {f.name for f in FIELDS} and len(PAYLOAD_V1) == len(set(PAYLOAD_V1))
    assert encode({"sbp_mmhg": 120.0, "north": None}) == [1, 120.0]
    values = {"fit_result": "negative", "diabetes": False}
    assert decode(encode(values)) == values
    with pytest.raises(KeyError):
        encode({"dbp": 80})


@pytest.mark.django_db
def test_a_year_decrypts_in_one_query():
    from dangjian.health.models.checkup import decrypt_rows

    people = [make_person() for _ in range(3)]
    for i, p in enumerate(people):
        _checkup(p, {"sbp_mmhg": 120.0 + i})
    rows = Checkup.objects.filter(year=2026).order_by("person_id")
    rows = rows.values_list("person_id", "year", "key_id", "ciphertext")
    assert list(decrypt_rows(rows)) == [(p.pk, {"sbp_mmhg": 120.0 + i}) for i, p in enumerate(people)]
