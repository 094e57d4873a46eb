"""``dangjian restore FILE``: replace the database with a backup, plain (``.json``, ``.json.gz``) or encrypted by
``dangjian backup --encrypt`` (recognised by its header, whatever its name). An encrypted backup is decrypted into a
private temporary directory and checked whole (GCM tag) before anything is loaded; the key is the field key that
sealed it (any key of the ring) or the one in ``--key-file``."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from dangjian.audit.services import record
from dangjian.core import context
from dangjian.crypto import SealError, ring
from dangjian.crypto.files import is_sealed_file, unseal

from .backup import key_from_file, private_file

GZIP_MAGIC = b"\x1f\x8b"


class Command(BaseCommand):
    help = "用备份文件替换整个数据库（当前数据将被清空）；可读取加密的备份"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--yes", action="store_true", help="不再询问，直接恢复")
        parser.add_argument("--key-file", help="加密备份的密钥文件（base64）；默认用字段加密密钥")

    def handle(self, *args, file: str, yes: bool, key_file: str | None, **options):
        path = Path(file)
        if not path.exists():
            raise CommandError(_("找不到备份文件：%(path)s") % {"path": path})
        with tempfile.TemporaryDirectory(prefix="dangjian-restore-") as tmp:  # mode 0700
            source = path
            if is_sealed_file(path):
                source = self._unseal(path, Path(tmp), key_file)
            if not yes:
                answer = input("恢复将清空当前数据库中的全部数据，输入 yes 继续：")
                if answer.strip().lower() != "yes":
                    raise CommandError(_("已取消"))
            with transaction.atomic():
                call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
                call_command("loaddata", str(source), verbosity=0)
        with context.acting(None, channel="cli"):
            record("restore", None, object_type_label="database", object_repr=path.name)
        self.stdout.write(f"已从 {path} 恢复")

    def _unseal(self, path: Path, tmp: Path, key_file: str | None) -> Path:
        plain = tmp / "backup.json"
        try:
            keys = key_from_file(key_file) if key_file else ring()
            with private_file(plain) as out:
                unseal(path, out, keys)
        except SealError as exc:
            raise CommandError(str(exc)) from None
        with open(plain, "rb") as fh:
            compressed = fh.read(2) == GZIP_MAGIC
        if compressed:  # loaddata tells the compression by the name
            plain = plain.rename(tmp / "backup.json.gz")
        return plain
