"""Encryption at rest of sensitive fields (PIPL art. 28 and 51; GB/T 39786-2021 prefers the national algorithms).

``sealing``: the format and the algorithms (SM4-GCM by default, AES-GCM as a setting), no Django; ``keys``: where the
keys come from; ``fields``: a model field that stores a text sealed; ``rotation``: ``dangjian rotate-key``;
``files``: encrypted backup files. Health (checkups, follow-up records, import files) and care (hardship reasons,
care events) store their sensitive values through it.
"""

from __future__ import annotations

from .keys import ring
from .sealing import AES_GCM, SM4_GCM, KeyRing, SealError, key_id_of

__all__ = ["AES_GCM", "SM4_GCM", "KeyRing", "SealError", "key_id_of", "ring"]
