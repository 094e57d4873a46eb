"""Keyed hash chain over audit rows (GB/T 39786-2021 8.1: integrity of audit records by a cryptographic MAC).

Each row's ``digest`` is HMAC(key, previous digest ‖ canonical JSON of every other column of the row), the hash
SM3 (GB/T 32905) by default, SHA-256 as an option (``DANGJIAN_AUDIT_HASH``). The key is held outside the database
(``DANGJIAN_AUDIT_KEY``, or ``var/audit.key`` in embedded mode, see ``core/keys.py``): whoever can write to the
database but does not hold the key can neither rewrite a row and re-chain the rest, nor move the stored head
(``AuditChainHead``, itself under an HMAC) after deleting the last rows.
"""

from __future__ import annotations

import datetime as dt
import hmac as std_hmac
import json
from typing import Any

from cryptography.hazmat.primitives import hashes, hmac

from dangjian.core import keys

GENESIS = "0" * 64
ENV_NAME = "DANGJIAN_AUDIT_KEY"
KEY_FILE_NAME = "audit.key"
_HASHES = {"sm3": hashes.SM3, "sha256": hashes.SHA256}
KEYED_PREFIX = "hmac-"


def key() -> bytes:
    return keys.load(ENV_NAME, KEY_FILE_NAME)


def keyed(hash_name: str) -> str:
    """The algorithm column of a keyed row, e.g. ``hmac-sm3`` for the setting ``sm3``."""
    return hash_name if hash_name.startswith(KEYED_PREFIX) else KEYED_PREFIX + hash_name


def canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def mac(algorithm: str, secret: bytes, label: str, *parts: bytes | str) -> str:
    """HMAC of ``parts`` under ``secret``, separated by the purpose ``label`` so a row's MAC never passes for a
    head's or a checkpoint's. Only keyed algorithms are accepted: a plain hash could be recomputed by anyone."""
    if not algorithm.startswith(KEYED_PREFIX) or algorithm[len(KEYED_PREFIX) :] not in _HASHES:
        raise ValueError(f"不支持的审计链算法：{algorithm}")
    h = hmac.HMAC(secret, _HASHES[algorithm[len(KEYED_PREFIX) :]]())
    h.update(label.encode() + b"\0")
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\0")
    return h.finalize().hex()


def same(a: str, b: str) -> bool:
    return std_hmac.compare_digest(a.encode(), b.encode())


def link(algorithm: str, secret: bytes, prev_digest: str, payload: dict[str, Any]) -> str:
    return mac(algorithm, secret, "event", prev_digest, canonical(payload))


def _value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.datetime | dt.date) else value


def payload_of(event) -> dict[str, Any]:
    """Every column of the row but the digest itself, by column name: a column added later is covered too."""
    return {f.attname: _value(getattr(event, f.attname)) for f in event._meta.concrete_fields if f.name != "digest"}


def head_mac(head, secret: bytes) -> str:
    """The stored head's MAC: position and count of the last event, its digest, and where the live chain starts
    (after an archive). Deleting the last rows and moving the head back needs the key to forge this."""
    return mac(
        head.algorithm,
        secret,
        "head",
        str(head.position),
        str(head.count),
        head.digest,
        str(head.genesis_position),
        head.genesis,
    )


def checkpoint_mac(checkpoint: dict[str, Any], secret: bytes) -> str:
    body = {k: v for k, v in checkpoint.items() if k != "mac"}
    return mac(checkpoint.get("algorithm", ""), secret, "checkpoint", canonical(body))
