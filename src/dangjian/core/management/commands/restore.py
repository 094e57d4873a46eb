from __future__ import annotations

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from dangjian.audit.services import record
from dangjian.core import context


class Command(BaseCommand):
    help = "用备份文件替换整个数据库（当前数据将被清空）"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--yes", action="store_true", help="不再询问，直接恢复")

    def handle(self, *args, file: str, yes: bool, **options):
        path = Path(file)
        if not path.exists():
            raise CommandError(f"找不到备份文件：{path}")
        if not yes:
            answer = input("恢复将清空当前数据库中的全部数据，输入 yes 继续：")
            if answer.strip().lower() != "yes":
                raise CommandError("已取消")
        with transaction.atomic():
            call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
            call_command("loaddata", str(path), verbosity=0)
        with context.acting(None, channel="cli"):
            record("restore", None, object_type_label="database", object_repr=path.name)
        self.stdout.write(f"已从 {path} 恢复")
