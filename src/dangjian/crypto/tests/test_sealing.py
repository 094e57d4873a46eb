"""SM4-GCM by default, AES-GCM as a setting; every value names its algorithm and key; old AES-GCM values still read."""

from __future__ import annotations

import base64
import os
from datetime import date

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from dangjian.accounts.models import User
from dangjian.crypto import AES_GCM, SM4_GCM, KeyRing, SealError, key_id_of, ring
from dangjian.crypto.sealing import HEADER_BYTES, Sm4Gcm, parse_header
from dangjian.health.data import inputs_for_year
from dangjian.health.models import Checkup, Consent
from dangjian.pytest_plugin import TEST_HEALTH_KEY
from dangjian.testing import make_person

OLD, NEW = os.urandom(32), os.urandom(32)


def b64(key: bytes) -> str:
    return base64.b64encode(key).decode()


def legacy_blob(key: bytes, plaintext: bytes, context: str) -> bytes:
    """A value as it was written before the format had a header: AES-GCM, nonce ‖ ciphertext+tag."""
    nonce = os.urandom(12)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, context.encode())


def test_sm4_gcm_gives_the_rfc_8998_test_vector():
    # RFC 8998 appendix A.1: SM4 (GB/T 32907-2016) in GCM mode; proves the cipher really is SM4-GCM.
    key = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
    nonce = bytes.fromhex("00001234567800000000ABCD")
    aad = bytes.fromhex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2")
    plain = bytes.fromhex("AA" * 8 + "BB" * 8 + "CC" * 8 + "DD" * 8 + "EE" * 8 + "FF" * 8 + "EE" * 8 + "AA" * 8)
    expected = bytes.fromhex(
        "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735"
        "D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D"
        "83DE3541E4C2B58177E065A9BF7B62EC"
    )
    assert Sm4Gcm(key).encrypt(nonce, plain, aad) == expected
    assert Sm4Gcm(key).decrypt(nonce, expected, aad) == plain


def test_sm4_gcm_is_the_default_and_round_trips():
    r = KeyRing([NEW])
    blob = r.encrypt("困难情况：本人重病".encode(), "care.hardship.reason")
    header = parse_header(blob)
    assert header.algorithm == SM4_GCM and header.key_id == key_id_of(NEW) == r.key_id
    assert "重病".encode() not in blob
    assert r.decrypt(blob, "care.hardship.reason").decode() == "困难情况：本人重病"
    assert r.encrypt(b"x", "c") != r.encrypt(b"x", "c")  # a fresh nonce each time


@pytest.mark.parametrize("algorithm", [SM4_GCM, AES_GCM])
def test_tampering_with_any_part_is_detected(algorithm):
    r = KeyRing([OLD, NEW], algorithm)
    blob = r.encrypt(b'{"sbp_mmhg":187.5}', "checkup:1:2026")
    for index in (3, 5, HEADER_BYTES + 1, HEADER_BYTES + 13, len(blob) - 1):  # algorithm, key id, nonce, data, tag
        damaged = bytearray(blob)
        damaged[index] ^= 1
        with pytest.raises(SealError):
            r.decrypt(bytes(damaged), "checkup:1:2026")
    with pytest.raises(SealError, match="无法解密"):
        r.decrypt(blob, "checkup:2:2026")  # copied onto another row
    with pytest.raises(SealError, match="无法解密"):
        r.decrypt(blob[:-1], "checkup:1:2026")


def test_aes_gcm_is_a_setting_and_both_algorithms_read_under_either_setting():
    aes, sm4 = KeyRing([NEW], AES_GCM), KeyRing([NEW], SM4_GCM)
    a, s = aes.encrypt(b"a", "c"), sm4.encrypt(b"s", "c")
    assert parse_header(a).algorithm == AES_GCM and parse_header(s).algorithm == SM4_GCM
    assert [sm4.decrypt(a, "c"), aes.decrypt(s, "c")] == [b"a", b"s"]


def test_the_newest_key_encrypts_and_every_key_decrypts():
    old_value = KeyRing([OLD]).encrypt(b"old", "c")
    r = KeyRing([OLD, NEW])
    assert r.key_id == key_id_of(NEW) and parse_header(r.encrypt(b"new", "c")).key_id == key_id_of(NEW)
    assert r.decrypt(old_value, "c") == b"old"
    with pytest.raises(SealError, match=key_id_of(OLD)):
        KeyRing([NEW]).decrypt(old_value, "c")  # the old key removed too early: named, never garbage


def test_a_value_written_before_the_header_still_reads():
    blob = legacy_blob(OLD, b'{"x":1}', "checkup:7:2025")
    r = KeyRing([OLD, NEW])
    assert parse_header(blob) is None or parse_header(blob).key_id not in r.keys
    assert r.decrypt_json(blob, "checkup:7:2025", key_id_of(OLD)) == {"x": 1}
    with pytest.raises(SealError):
        r.decrypt(blob, "checkup:7:2025")  # without the row's key id column it cannot be read
    with pytest.raises(SealError, match="无法解密"):
        r.decrypt(blob, "checkup:8:2025", key_id_of(OLD))


def test_a_legacy_value_that_happens_to_look_like_a_header_still_reads():
    # An old value starts with a random nonce; one in 2³¹ parses as a header. Worst case: it even names a key of the
    # ring. The header reading fails its tag, then the legacy reading opens it.
    nonce = b"DJ\x01\x01" + bytes.fromhex(key_id_of(OLD))
    blob = nonce + AESGCM(OLD).encrypt(nonce, b"v" * 20, b"c")
    assert parse_header(blob).key_id == key_id_of(OLD)
    assert KeyRing([OLD, NEW]).decrypt(blob, "c", key_id_of(OLD)) == b"v" * 20


@pytest.mark.django_db
def test_an_old_checkup_still_reads_and_screens_with_the_default_sm4_setting(settings):
    settings.DANGJIAN_HEALTH_KEY = TEST_HEALTH_KEY
    key = base64.b64decode(TEST_HEALTH_KEY)
    person = make_person("旧值")
    officer = User.objects.create_user("ho")
    Consent.objects.create(person=person, year=2026, given_on=date(2026, 1, 5), given_recorded_by=officer)
    c = Checkup(person=person, year=2026, checked_on=date(2026, 5, 1))
    c.set_values({"sbp_mmhg": 150.0})
    c.save()
    old = legacy_blob(key, b"[1,150.0]", Checkup.context_for(person.pk, 2026))  # the v1 payload, AES-GCM, no header
    Checkup.objects.filter(pk=c.pk).update(ciphertext=old, key_id=key_id_of(key))
    assert ring().algorithm == SM4_GCM
    assert Checkup.objects.get(pk=c.pk).values() == {"sbp_mmhg": 150.0}
    [screened] = inputs_for_year(2026)
    assert screened.values["sbp_mmhg"] == 150.0


def test_the_algorithm_and_keys_come_from_settings(settings):
    settings.DANGJIAN_HEALTH_KEY = b64(OLD)
    settings.DANGJIAN_FIELD_KEYS = f"{b64(OLD)}, {b64(NEW)}"
    settings.DANGJIAN_FIELD_CIPHER = "AES-GCM"
    r = ring()
    assert list(r.keys) == [key_id_of(OLD), key_id_of(NEW)] and r.key_id == key_id_of(NEW)
    assert r.algorithm == AES_GCM
    settings.DANGJIAN_FIELD_CIPHER = "des"
    with pytest.raises(SealError, match="des"):
        ring()
