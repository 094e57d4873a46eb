"""Encrypted files (backups): a stream sealed with SM4-GCM or AES-GCM under a field key, written and read in chunks.

Format::

    b"DJBK" | 0x01 | algorithm (1 byte) | key id (8 bytes) | nonce (12 bytes) | ciphertext … | GCM tag (16 bytes)

The header is the associated data. Reading verifies the tag before anything is used: ``unseal`` writes the
plaintext to a file the caller only uses once ``unseal`` has returned without error (a restore never loads a
truncated or altered backup).
"""

from __future__ import annotations

import io
import os
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from .sealing import (
    AES_GCM,
    ALGORITHM_CODES,
    ALGORITHM_NAMES,
    KEY_ID_BYTES,
    NONCE_BYTES,
    TAG_BYTES,
    KeyRing,
    SealError,
    sm4_key,
)

MAGIC = b"DJBK"
VERSION = 1
HEADER_BYTES = len(MAGIC) + 2 + KEY_ID_BYTES + NONCE_BYTES
CHUNK = 1 << 20


def _block(algorithm: str, key: bytes):
    return algorithms.AES(key) if algorithm == AES_GCM else algorithms.SM4(sm4_key(key))


def is_sealed_file(path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(len(MAGIC)) == MAGIC


class SealingWriter(io.RawIOBase):
    """A binary stream that encrypts what is written to ``out`` under the ring's newest key; ``close`` writes the
    tag (and closes ``out``)."""

    def __init__(self, out: BinaryIO, ring: KeyRing):
        super().__init__()
        nonce = os.urandom(NONCE_BYTES)
        header = MAGIC + bytes((VERSION, ALGORITHM_CODES[ring.algorithm])) + bytes.fromhex(ring.key_id) + nonce
        self._out = out
        self._enc = Cipher(_block(ring.algorithm, ring.keys[ring.key_id]), modes.GCM(nonce)).encryptor()
        self._enc.authenticate_additional_data(header)
        out.write(header)

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._out.write(self._enc.update(bytes(data)))
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._out.write(self._enc.finalize() + self._enc.tag)
            self._out.close()
        super().close()


def unseal(path, out: BinaryIO, ring: KeyRing) -> None:
    """Decrypt the sealed file ``path`` into ``out``; SealError (nothing usable in ``out``) when the key is missing,
    wrong, or the file was altered or cut short."""
    size = os.path.getsize(path)
    with open(path, "rb") as fh:
        header = fh.read(HEADER_BYTES)
        if len(header) < HEADER_BYTES or size < HEADER_BYTES + TAG_BYTES or header[:4] != MAGIC or header[4] != VERSION:
            raise SealError("不是可识别的加密备份文件")
        algorithm = ALGORITHM_NAMES.get(header[5])
        if algorithm is None:
            raise SealError("加密备份文件使用了不支持的算法")
        key_id = header[6 : 6 + KEY_ID_BYTES].hex()
        key = ring.keys.get(key_id)
        if key is None:
            known = "、".join(ring.keys)
            raise SealError(f"备份由密钥 {key_id} 加密，当前可用的密钥为 {known}：请用 --key-file 指定该密钥")
        fh.seek(size - TAG_BYTES)
        tag = fh.read(TAG_BYTES)
        fh.seek(HEADER_BYTES)
        dec = Cipher(_block(algorithm, key), modes.GCM(header[-NONCE_BYTES:], tag)).decryptor()
        dec.authenticate_additional_data(header)
        left = size - HEADER_BYTES - TAG_BYTES
        while left:
            chunk = fh.read(min(CHUNK, left))
            left -= len(chunk)
            out.write(dec.update(chunk))
        try:
            out.write(dec.finalize())
        except InvalidTag:
            raise SealError("备份文件无法解密：密钥不正确或文件已被篡改、不完整") from None
