from __future__ import annotations

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from dangjian.audit.services import record
from dangjian.core import context

# Rebuilt by migrate or transient: leaving them out keeps restore exact.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes"]


class Command(BaseCommand):
    help = "把整个数据库备份到一个 JSON 文件（.json 或 .json.gz）"

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        path = Path(file)
        if not path.name.endswith((".json", ".json.gz")):
            raise CommandError("备份文件名应以 .json 或 .json.gz 结尾")
        path.parent.mkdir(parents=True, exist_ok=True)
        with context.acting(None, channel="cli"):
            record("backup", None, object_type_label="database", object_repr=path.name)
            call_command("dumpdata", exclude=EXCLUDED, output=str(path), indent=None, verbosity=0)
        self.stdout.write(f"已备份到 {path}（{path.stat().st_size} 字节）")
