"""``dangjian backup FILE``: the whole database as Django JSON, in a file only its owner can read (mode 0600).

With ``--encrypt`` the file is sealed with SM4-GCM (or AES-GCM: ``--cipher``) under the newest field key, or under
the key in ``--key-file`` (base64, as in ``DANGJIAN_FIELD_KEYS``); its name then ends in ``.enc``. The encrypted
values inside (checkups, hardship reasons …) stay encrypted in either case. Keep the key that sealed a backup for as
long as the backup is kept: after ``rotate-key`` and the removal of an old key, ``restore --key-file`` reads it.
"""

from __future__ import annotations

import gzip
import io
import os
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dangjian.audit.services import record
from dangjian.core import context
from dangjian.crypto import KeyRing, SealError, ring
from dangjian.crypto.files import CHUNK, SealingWriter
from dangjian.crypto.keys import configured_algorithm, parse_key
from dangjian.crypto.sealing import ALGORITHM_CODES

# Rebuilt by migrate or transient: leaving them out keeps restore exact.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes"]
PLAIN, SEALED = (".json", ".json.gz"), (".json.enc", ".json.gz.enc")


def key_from_file(path: str, algorithm: str | None = None) -> KeyRing:
    try:
        text = Path(path).read_text()
    except OSError as exc:
        raise CommandError(_("无法读取密钥文件 %(path)s：%(error)s") % {"path": path, "error": exc.strerror}) from None
    try:
        return KeyRing([parse_key(text, path)], algorithm or configured_algorithm())
    except SealError as exc:
        raise CommandError(str(exc)) from None


def private_file(path: Path):
    """Open ``path`` for writing with mode 0600, also when it already existed with a wider mode."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    return os.fdopen(fd, "wb")


class Command(BaseCommand):
    help = "把整个数据库备份到一个 JSON 文件（.json 或 .json.gz；加密时 .json.enc 或 .json.gz.enc），文件权限 0600"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--encrypt", action="store_true", help="加密备份文件（默认用最新的字段加密密钥）")
        parser.add_argument("--key-file", help="用该文件中的密钥（base64）加密，而不是字段加密密钥")
        parser.add_argument("--cipher", choices=sorted(ALGORITHM_CODES), help="加密算法（默认 DANGJIAN_FIELD_CIPHER）")

    def handle(self, *args, file: str, encrypt: bool, key_file: str | None, cipher: str | None, **options):
        path = Path(file)
        encrypt = encrypt or bool(key_file)
        if not path.name.endswith(SEALED if encrypt else PLAIN):
            names = "、".join(SEALED if encrypt else PLAIN)
            wrong = _("加密备份文件名应以 %(names)s 结尾") if encrypt else _("备份文件名应以 %(names)s 结尾")
            raise CommandError(wrong % {"names": names})
        keys = None
        if encrypt:
            try:
                keys = key_from_file(key_file, cipher) if key_file else ring()
            except SealError as exc:
                raise CommandError(str(exc)) from None
            if cipher and not key_file:
                keys = KeyRing(list(keys.keys.values()), cipher)
        path.parent.mkdir(parents=True, exist_ok=True)
        with context.acting(None, channel="cli"):
            detail = {"encrypted": encrypt}
            if keys is not None:
                detail.update(algorithm=keys.algorithm, key_id=keys.key_id)
            record("backup", None, object_type_label="database", object_repr=path.name, detail=detail)
            try:
                self._dump(path, keys)
            except BaseException:
                path.unlink(missing_ok=True)  # never leave a partial backup that looks complete
                raise
        size = path.stat().st_size
        self.stdout.write(f"已备份到 {path}（{size} 字节{'，已加密' if encrypt else ''}）")

    def _dump(self, path: Path, keys: KeyRing | None) -> None:
        """file (0600) ← [SM4/AES-GCM] ← [gzip] ← UTF-8 text ← dumpdata; each layer closed in turn (a GzipFile does
        not close the stream under it, and the GCM tag is written when the sealing layer closes)."""
        layers = [private_file(path)]
        if keys is not None:
            layers.append(io.BufferedWriter(SealingWriter(layers[-1], keys), CHUNK))
        if path.name.endswith((".gz", ".gz.enc")):
            layers.append(gzip.GzipFile(fileobj=layers[-1], mode="wb", filename=""))
        layers.append(io.TextIOWrapper(layers[-1], encoding="utf-8"))
        try:
            call_command("dumpdata", exclude=EXCLUDED, stdout=layers[-1], indent=None, verbosity=0)
        finally:
            for layer in reversed(layers):
                layer.close()
