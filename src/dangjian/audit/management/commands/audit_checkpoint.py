from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dangjian.audit.integrity import checkpoint_bytes, make_checkpoint
from dangjian.audit.services import record
from dangjian.core import context


class Command(BaseCommand):
    help = "导出审计日志的签名检查点（链头、位置、时间），保存在系统之外，日后用 audit-verify --checkpoint 核对"

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        path = Path(file)
        if path.exists():
            raise CommandError(_("文件已存在，不会覆盖：%(path)s") % {"path": path})
        with context.acting(None, channel="cli"):
            record("export", None, object_type_label="audit.checkpoint", object_repr=path.name[:200])
        try:
            checkpoint = make_checkpoint()
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(checkpoint_bytes(checkpoint))
        self.stdout.write(f"已导出检查点到 {path}：第 {checkpoint['position']} 号，{checkpoint['at']}")
