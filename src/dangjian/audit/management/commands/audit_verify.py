from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dangjian.audit.integrity import check_chain, load_checkpoint


class Command(BaseCommand):
    help = "校验审计日志的完整性（带密钥的哈希链与链头，可对照检查点文件）；完整时返回 0，否则指明第一个断裂位置"

    def add_arguments(self, parser):
        parser.add_argument("--checkpoint", metavar="FILE", help="审计员导出并保存在系统之外的检查点文件")

    def handle(self, *args, checkpoint: str | None = None, **options):
        loaded = None
        if checkpoint:
            path = Path(checkpoint)
            if not path.is_file():
                raise CommandError(_("找不到检查点文件：%(path)s") % {"path": path})
            try:
                loaded = load_checkpoint(path.read_bytes())
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
        report = check_chain(loaded)
        if not report.intact:
            raise CommandError(
                _("审计日志在第 %(id)s 号记录处断裂：%(reason)s") % {"id": report.broken_at, "reason": report.reason}
            )
        self.stdout.write(f"审计日志完整：共 {report.count} 条，末条为第 {report.position} 号。{report.note}")
