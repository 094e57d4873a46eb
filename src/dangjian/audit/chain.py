"""Hash chain over audit rows. SM3 (GB/T 32905) by default, SHA-256 as an option."""

from __future__ import annotations

import json
from typing import Any

from cryptography.hazmat.primitives import hashes

GENESIS = "0" * 64
_ALGORITHMS = {"sm3": hashes.SM3, "sha256": hashes.SHA256}


def canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def link(algorithm: str, prev_digest: str, payload: dict[str, Any]) -> str:
    h = hashes.Hash(_ALGORITHMS[algorithm]())
    h.update(prev_digest.encode())
    h.update(canonical(payload))
    return h.finalize().hex()


def payload_of(event) -> dict[str, Any]:
    return {
        "at": event.at.isoformat(),
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "channel": event.channel,
        "ip": event.ip,
        "request_id": event.request_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "before": event.before,
        "after": event.after,
        "detail": event.detail,
    }
