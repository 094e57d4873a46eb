"""Authenticated encryption of stored values with SM4-GCM or AES-GCM under a ring of keys; no Django here.

Worker processes of the health screening run import this module without Django settings (``health.batch``).

Format of a sealed value (version 1)::

    b"DJ" | 0x01 | algorithm (1 byte) | key id (8 bytes) | nonce (12 bytes) | ciphertext | GCM tag (16 bytes)

* The algorithm byte names SM4-GCM (GB/T 32907-2016 block cipher in GCM mode, the national algorithm that
  GB/T 39786-2021 prefers; the default) or AES-256-GCM; the key id is the first 8 bytes of SHA-256 of the key,
  shown as 16 hex digits (the value the health tables' ``key_id`` column has always held).
* The associated data is the 12-byte header followed by the caller's context (e.g. ``checkup:<person>:<year>``):
  neither the header nor the row a value belongs to can be changed without decryption failing.
* Values written before this format (AES-GCM, ``nonce | ciphertext+tag``, the key named only by the row's
  ``key_id`` column) still decrypt: pass that column as ``legacy_key_id``.
* SM4 takes a 128-bit key. A ring key (16, 24 or 32 random bytes) is used by SM4 through HKDF-SM3 (RFC 5869 with
  the SM3 hash of GB/T 32905-2016) with a fixed label, so one key never serves both algorithms as the same bytes;
  AES-GCM uses the key as it is, as the values written before this format did.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"DJ"
VERSION = 1
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_ID_BYTES = 8
HEADER_BYTES = len(MAGIC) + 2 + KEY_ID_BYTES

SM4_GCM, AES_GCM = "sm4-gcm", "aes-gcm"
ALGORITHM_CODES = {SM4_GCM: 1, AES_GCM: 2}
ALGORITHM_NAMES = {code: name for name, code in ALGORITHM_CODES.items()}
KEY_LENGTHS = (16, 24, 32)


class SealError(Exception):
    """A value cannot be sealed or opened: missing key, wrong key, tampered data. The message is Chinese."""


def key_id_of(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[: 2 * KEY_ID_BYTES]


def sm4_key(key: bytes) -> bytes:
    return HKDF(algorithm=hashes.SM3(), length=16, salt=None, info=b"dangjian field encryption sm4-gcm").derive(key)


class Sm4Gcm:
    """SM4-GCM with the AEAD interface of ``AESGCM`` (``cryptography`` has SM4 only as a block cipher; its GCM mode
    runs in OpenSSL)."""

    def __init__(self, sm4_key: bytes):
        self._algorithm = algorithms.SM4(sm4_key)

    def encrypt(self, nonce: bytes, data: bytes, associated: bytes) -> bytes:
        enc = Cipher(self._algorithm, modes.GCM(nonce)).encryptor()
        enc.authenticate_additional_data(associated)
        return enc.update(data) + enc.finalize() + enc.tag

    def decrypt(self, nonce: bytes, data: bytes, associated: bytes) -> bytes:
        if len(data) < TAG_BYTES:
            raise InvalidTag
        dec = Cipher(self._algorithm, modes.GCM(bytes(nonce), bytes(data[-TAG_BYTES:]))).decryptor()
        dec.authenticate_additional_data(associated)
        return dec.update(data[:-TAG_BYTES]) + dec.finalize()


def aead_for(algorithm: str, key: bytes):
    if algorithm == SM4_GCM:
        return Sm4Gcm(sm4_key(key))
    if algorithm == AES_GCM:
        return AESGCM(key)
    raise SealError(f"不支持的加密算法 {algorithm}（可选 {SM4_GCM}、{AES_GCM}）")


@dataclass(frozen=True)
class Header:
    algorithm: str
    key_id: str

    def encode(self) -> bytes:
        return MAGIC + bytes((VERSION, ALGORITHM_CODES[self.algorithm])) + bytes.fromhex(self.key_id)


def parse_header(blob) -> Header | None:
    """The header of a value in this format, or None (a value written before it)."""
    if len(blob) < HEADER_BYTES + NONCE_BYTES + TAG_BYTES or bytes(blob[:2]) != MAGIC or blob[2] != VERSION:
        return None
    algorithm = ALGORITHM_NAMES.get(blob[3])
    if algorithm is None:
        return None
    return Header(algorithm, bytes(blob[4:HEADER_BYTES]).hex())


class KeyRing:
    """Keys by id, oldest first: the newest seals, all of them open. ``algorithm`` is the one new values use."""

    def __init__(self, keys: list[bytes], algorithm: str = SM4_GCM, *, source: str = ""):
        if not keys:
            raise SealError("没有配置字段加密密钥")
        if algorithm not in ALGORITHM_CODES:
            raise SealError(f"不支持的加密算法 {algorithm}（可选 {SM4_GCM}、{AES_GCM}）")
        self.keys = {key_id_of(k): k for k in keys}  # dicts keep insertion order: the last one is the newest
        self.key_id = key_id_of(keys[-1])
        self.algorithm = algorithm
        self.source = source  # where the keys come from, for error messages
        self._aeads: dict[tuple[str, str], Any] = {}
        self._header = Header(algorithm, self.key_id).encode()

    def portable(self) -> tuple[tuple[bytes, ...], str]:
        """What a worker process needs to rebuild this ring (``KeyRing(*ring.portable())``)."""
        return tuple(self.keys.values()), self.algorithm

    def _aead(self, algorithm: str, key_id: str):
        found = self._aeads.get((algorithm, key_id))
        if found is None:
            key = self.keys.get(key_id)
            if key is None:
                where = f"：请检查 {self.source}" if self.source else ""
                configured = "、".join(self.keys)
                raise SealError(f"数据由密钥 {key_id} 加密，当前配置的密钥为 {configured}{where}")
            found = self._aeads[(algorithm, key_id)] = aead_for(algorithm, key)
        return found

    def is_current(self, blob) -> bool:
        """Sealed with the newest key and the configured algorithm (``rotate-key`` leaves such values alone)."""
        return parse_header(blob) == Header(self.algorithm, self.key_id)

    def encrypt(self, plaintext: bytes, context: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        aead = self._aead(self.algorithm, self.key_id)
        return self._header + nonce + aead.encrypt(nonce, plaintext, self._header + context.encode())

    def decrypt(self, blob, context: str, legacy_key_id: str | None = None) -> bytes:
        """The plaintext of ``blob`` (bytes or a memoryview of a bytea); ``legacy_key_id``: the row's key id column,
        needed only for values written before this format."""
        view = memoryview(blob)  # slice without copying
        header = parse_header(view)
        # A value written before this format starts with a random nonce: it can look like a header (chance 2⁻³¹),
        # so when the header's key is unknown or does not open it, the legacy reading is tried too.
        attempts = []
        if header is not None:
            attempts.append((header.algorithm, header.key_id, view[:HEADER_BYTES], view[HEADER_BYTES:]))
        if legacy_key_id:
            attempts.append((AES_GCM, legacy_key_id, b"", view))
        if not attempts:
            raise SealError("数据格式无法识别：缺少算法和密钥标识")
        missing: SealError | None = None
        opened_with_a_key = False
        for algorithm, key_id, head, body in attempts:
            try:
                aead = self._aead(algorithm, key_id)
            except SealError as exc:
                missing = missing or exc
                continue
            opened_with_a_key = True
            try:
                return aead.decrypt(body[:NONCE_BYTES], body[NONCE_BYTES:], bytes(head) + context.encode())
            except InvalidTag:
                continue
        if missing is not None and not opened_with_a_key:
            raise missing
        raise SealError("数据无法解密：密钥不正确或数据已被篡改")

    def reseal(self, blob, context: str, legacy_key_id: str | None = None) -> bytes:
        return self.encrypt(self.decrypt(blob, context, legacy_key_id), context)

    def encrypt_json(self, value: Any, context: str) -> bytes:
        return self.encrypt(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode(), context)

    def decrypt_json(self, blob, context: str, legacy_key_id: str | None = None) -> Any:
        return json.loads(self.decrypt(blob, context, legacy_key_id).decode())  # str: skips encoding sniffing
