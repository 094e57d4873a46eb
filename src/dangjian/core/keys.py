"""Secret keys held outside the database (GB/T 39786-2021 8.2: keys kept apart from the data they protect).

One pattern for every key the platform needs (the audit chain's HMAC key here; the field keys of ``crypto/keys.py``
keep their files with ``private_key_file`` too):

* The key comes from a setting of the same name (tests) or the environment variable: base64 of 16, 24 or 32 random
  bytes (``python -c "import os, base64; print(base64.b64encode(os.urandom(32)).decode())"``).
* Embedded (non-production) mode without the variable: a random 32-byte key is created on first use in
  ``<VAR_DIR>/<file name>`` with permissions 0600 and reused afterwards. Back the file up apart from the database.
* Production mode (``DANGJIAN_PRODUCTION=1``) never creates a key: a missing or malformed one is a system-check
  error, so the service does not start with a key an operator never chose.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from pathlib import Path

from django.conf import settings


class KeyConfigError(Exception):
    """The key is missing or malformed; the message is Chinese and names the variable."""


def parse(text: str, env_name: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise KeyConfigError(f"{env_name} 不是有效的 base64 字符串") from None
    if len(key) not in (16, 24, 32):
        raise KeyConfigError(f"{env_name} 解码后应为 16、24 或 32 字节（建议 32 字节），实际为 {len(key)} 字节")
    return key


def configured_text(env_name: str) -> str:
    return (getattr(settings, env_name, "") or os.environ.get(env_name, "")).strip()


def key_file(file_name: str) -> Path:
    return Path(settings.VAR_DIR) / file_name


def new_key_text() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def private_key_file(file_name: str) -> Path:
    """The embedded mode's key file, created once with one random key and mode 0600 (readable by its owner only)."""
    path = key_file(file_name)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it first: use that one
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(new_key_text() + "\n")
    return path


def _embedded(file_name: str, env_name: str) -> bytes:
    return parse(private_key_file(file_name).read_text(), env_name)


def load(env_name: str, file_name: str) -> bytes:
    text = configured_text(env_name)
    if text:
        return parse(text, env_name)
    if getattr(settings, "PRODUCTION", False):
        raise KeyConfigError(f"生产模式必须设置环境变量 {env_name}（base64 编码的 32 字节随机密钥）")
    return _embedded(file_name, env_name)


def key_id(key: bytes) -> str:
    """Names a key without revealing it: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(key).hexdigest()[:16]
