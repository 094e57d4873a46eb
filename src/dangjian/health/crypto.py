"""Encryption at rest of checkup values (PIPL art. 28 and 51: sensitive personal information, technical measures).

Design:

* AES-256-GCM (``cryptography``'s AESGCM): authenticated, and decrypting ~150,000 small payloads takes a fraction
  of a second, which the screening run (≤5 s for 150,000 people) needs. Each ciphertext is
  ``nonce (12 bytes) ‖ ciphertext+tag`` and is bound to its row by associated data (e.g. ``checkup:<person>:<year>``),
  so a ciphertext copied onto another person's row does not decrypt.
* The key never enters the database. It comes from ``settings.DANGJIAN_HEALTH_KEY`` (tests) or the environment
  variable ``DANGJIAN_HEALTH_KEY``: base64 of 16, 24 or 32 random bytes (``python -c "import os, base64;
  print(base64.b64encode(os.urandom(32)).decode())"``).
* Embedded (non-production) mode without the variable: a random key is created on first use in
  ``<VAR_DIR>/health.key`` with permissions 0600 and reused afterwards. Back this file up separately from the
  database: without it the checkup values cannot be read. Production mode (``DANGJIAN_PRODUCTION=1``) never
  creates a key; a missing or malformed key is a system-check error (``health.E001``, see ``checks.py``).
* Every ciphertext row stores a key id (the first 16 hex digits of SHA-256 of the key) so that a later key rotation
  can tell which key wrote it; rotation itself is not implemented. Decrypting with another key fails with
  ``HealthKeyError`` naming both ids instead of returning garbage.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

ENV_NAME = "DANGJIAN_HEALTH_KEY"
KEY_FILE_NAME = "health.key"
NONCE_BYTES = 12


class HealthKeyError(Exception):
    """The health key is missing, malformed or not the one that encrypted the data; the message is Chinese."""


@dataclass(frozen=True)
class Cipher:
    key_id: str
    aead: AESGCM

    def encrypt(self, plaintext: bytes, context: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self.aead.encrypt(nonce, plaintext, context.encode())

    def decrypt(self, blob: bytes, context: str, key_id: str) -> bytes:
        if key_id != self.key_id:
            raise HealthKeyError(f"健康数据由密钥 {key_id} 加密，当前配置的密钥为 {self.key_id}：请检查 {ENV_NAME}")
        view = memoryview(blob)  # a bytea arrives as memoryview or bytes: slice without copying
        try:
            return self.aead.decrypt(view[:NONCE_BYTES], view[NONCE_BYTES:], context.encode())
        except InvalidTag:
            raise HealthKeyError("健康数据无法解密：密钥不正确或数据已被篡改") from None

    def encrypt_json(self, value: Any, context: str) -> bytes:
        return self.encrypt(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode(), context)

    def decrypt_json(self, blob: bytes, context: str, key_id: str) -> Any:
        return json.loads(self.decrypt(blob, context, key_id).decode())  # str: skips json's encoding sniffing


_cache: dict[bytes, Cipher] = {}


def key_id_of(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:16]


def parse_key(text: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise HealthKeyError(f"{ENV_NAME} 不是有效的 base64 字符串") from None
    if len(key) not in (16, 24, 32):
        raise HealthKeyError(f"{ENV_NAME} 解码后应为 16、24 或 32 字节（建议 32 字节），实际为 {len(key)} 字节")
    return key


def configured_key_text() -> str:
    return (getattr(settings, "DANGJIAN_HEALTH_KEY", "") or os.environ.get(ENV_NAME, "")).strip()


def key_file() -> Path:
    return Path(settings.VAR_DIR) / KEY_FILE_NAME


def _embedded_key() -> bytes:
    """Read, or create once with mode 0600, the embedded mode's key file."""
    path = key_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it first: use that one
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(base64.b64encode(os.urandom(32)).decode() + "\n")
    return parse_key(path.read_text())


def load_key() -> bytes:
    text = configured_key_text()
    if text:
        return parse_key(text)
    if getattr(settings, "PRODUCTION", False):
        raise HealthKeyError(f"生产模式必须设置环境变量 {ENV_NAME}（base64 编码的 32 字节随机密钥）")
    return _embedded_key()


def cipher() -> Cipher:
    key = load_key()
    found = _cache.get(key)
    if found is None:
        found = _cache[key] = Cipher(key_id_of(key), AESGCM(key))
    return found
