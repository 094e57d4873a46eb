from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from dangjian.audit.archive import archive_before
from dangjian.core import context


class Command(BaseCommand):
    help = "把早于某日的审计记录归档到文件（JSON Lines，含分界处的链头），写入并落盘后才从数据库移除；不得早于保存期限"

    def add_arguments(self, parser):
        parser.add_argument("--before", required=True, metavar="YYYY-MM-DD", help="归档此日（北京时间）之前的记录")
        parser.add_argument(
            "--output", metavar="FILE", help="归档文件（默认 var/audit-archive/audit-before-DATE.jsonl）"
        )

    def handle(self, *args, before: str, output: str | None = None, **options):
        day = parse_date(before)
        if day is None:
            raise CommandError(_("日期格式应为 YYYY-MM-DD：%(value)s") % {"value": before})
        path = Path(output) if output else Path(settings.VAR_DIR) / "audit-archive" / f"audit-before-{day}.jsonl"
        try:
            with context.acting(None, channel="cli"):
                result = archive_before(day, path)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"已归档第 {result.first}–{result.last} 号共 {result.count} 条审计记录到 {result.path}")
