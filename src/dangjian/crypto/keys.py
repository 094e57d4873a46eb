"""Where the field keys come from (PIPL art. 51: encryption; GB/T 39786-2021: keys kept apart from the data).

* ``DANGJIAN_FIELD_KEYS`` (setting or environment variable): base64 keys of 16, 24 or 32 random bytes, separated
  by commas or white space, oldest first. The last one encrypts new values; every one of them decrypts.
* ``DANGJIAN_HEALTH_KEY`` (setting or environment variable), the single key of earlier versions, still counts: it
  is taken as the oldest key of the ring.
* Neither set, embedded mode: ``<VAR_DIR>/health.key``, one base64 key a line, oldest first, created with one
  random key (mode 0600) on first use; ``dangjian rotate-key --new-key`` appends a key to it. Back this file up
  separately from the database: without it the encrypted values cannot be read. Production mode
  (``DANGJIAN_PRODUCTION=1``) never creates a key; a missing or malformed key is a system-check error.
* ``DANGJIAN_FIELD_CIPHER``: ``sm4-gcm`` (default, the national algorithm) or ``aes-gcm``: the algorithm of new
  values. Each value names its own algorithm and key, so changing this setting or adding a key loses nothing;
  ``dangjian rotate-key`` rewrites the existing values under the newest key and the configured algorithm.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from pathlib import Path

from django.conf import settings

from dangjian.core import keys

from .sealing import KEY_LENGTHS, SM4_GCM, KeyRing, SealError

HEALTH_ENV = "DANGJIAN_HEALTH_KEY"
KEYS_ENV = "DANGJIAN_FIELD_KEYS"
CIPHER_ENV = "DANGJIAN_FIELD_CIPHER"
KEY_FILE_NAME = "health.key"


def _setting(name: str) -> str:
    return (getattr(settings, name, "") or os.environ.get(name, "")).strip()


def parse_key(text: str, source: str = KEYS_ENV) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise SealError(f"{source} 中有无效的 base64 字符串") from None
    if len(key) not in KEY_LENGTHS:
        raise SealError(f"{source} 中的密钥解码后应为 16、24 或 32 字节（建议 32 字节），实际为 {len(key)} 字节")
    return key


def _split(text: str) -> list[str]:
    return [part for part in re.split(r"[\s,]+", text) if part]


def configured_keys() -> list[tuple[str, str]]:
    """``(source, base64 text)`` of the keys set in settings or the environment, oldest first."""
    return [(HEALTH_ENV, t) for t in _split(_setting(HEALTH_ENV))[:1]] + [
        (KEYS_ENV, t) for t in _split(_setting(KEYS_ENV))
    ]


def configured_algorithm() -> str:
    return _setting(CIPHER_ENV).lower() or SM4_GCM


def key_file() -> Path:
    return Path(settings.VAR_DIR) / KEY_FILE_NAME


def _file_keys() -> list[bytes]:
    """Read, or create once with mode 0600, the embedded mode's key file."""
    path = keys.private_key_file(KEY_FILE_NAME)
    return [parse_key(t, str(path)) for t in _split(path.read_text())]


def uses_key_file() -> bool:
    return not configured_keys() and not getattr(settings, "PRODUCTION", False)


def append_key_to_file() -> str:
    """Embedded mode: a new random key at the end of the key file (it encrypts from now on); its id."""
    if not uses_key_file():
        raise SealError(f"密钥由 {KEYS_ENV} 或 {HEALTH_ENV} 配置：请把新密钥追加到 {KEYS_ENV} 的末尾后再运行")
    _file_keys()  # the file exists with its first key before another one is added
    text = keys.new_key_text()
    fd = os.open(key_file(), os.O_WRONLY | os.O_APPEND)
    with os.fdopen(fd, "a") as fh:
        fh.write(text + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    return ring().key_id


def load_keys() -> tuple[list[bytes], str]:
    """The keys, oldest first, and where they come from (for messages)."""
    configured = configured_keys()
    if configured:
        sources = " / ".join(dict.fromkeys(source for source, _text in configured))
        return [parse_key(text, source) for source, text in configured], sources
    if getattr(settings, "PRODUCTION", False):
        raise SealError(f"生产模式必须设置环境变量 {KEYS_ENV}（base64 编码的 32 字节随机密钥）")
    return _file_keys(), str(key_file())


_cache: dict[tuple, KeyRing] = {}


def ring() -> KeyRing:
    """The configured key ring (built once per set of keys and algorithm)."""
    keys, source = load_keys()
    algorithm = configured_algorithm()
    cache_key = (tuple(keys), algorithm)
    found = _cache.get(cache_key)
    if found is None:
        found = _cache[cache_key] = KeyRing(keys, algorithm, source=source)
    return found
