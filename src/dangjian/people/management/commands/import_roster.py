"""``dangjian import-roster FILE [--dry-run]``: the operator's console import of a roster.

A console import has full access (no user scope) and is audited on the
"console" channel. It prints progress, then every error as
"第N行 [列名] 原因", and exits non-zero when anything is wrong, so that it can
be used in scripts.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from dangjian.core import context
from dangjian.people.roster import RosterFileError, import_roster


class Command(BaseCommand):
    help = "导入职工花名册（.xlsx 或 .csv）：先检查全部行，全部正确才写入"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="花名册文件路径（.xlsx 或 .csv）")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            unreadable = _("无法读取文件 %(path)s：%(error)s") % {"path": path, "error": exc.strerror or exc}
            raise CommandError(unreadable) from exc
        dry_run: bool = options["dry_run"]
        last = -1

        def progress(done: int, total: int) -> None:
            nonlocal last
            percent = done * 100 // total if total else 100
            if percent // 10 != last // 10 or (percent == 100 and last != 100):
                last = percent
                self.stdout.write(f"进度 {percent}%（{done}/{total}）")

        with context.acting(None, channel="console"):
            try:
                report = import_roster(data, path.name, dry_run=dry_run, progress=progress)
            except RosterFileError as exc:
                raise CommandError(str(exc)) from exc
        for error in report.errors:
            self.stderr.write(str(error))
        if report.more_errors:
            self.stderr.write(f"另有 {report.more_errors} 处错误")
        for note in report.notes:
            self.stdout.write(f"提示：{note}")
        if not report.ok:
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))
