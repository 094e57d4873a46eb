"""Break-glass: reset a password from the server's console, e.g. an administrator's that nobody may reset
from the web (三权分立, accounts.separation). Whoever runs it holds the server, which no web administrator
does; the reset is audited (channel cli, break_glass) and the new password is one-time."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dangjian.accounts import services
from dangjian.accounts.models import User
from dangjian.core import context


class Command(BaseCommand):
    help = "紧急重置账号密码（含管理员账号）：生成一次性密码并只显示一次，持有人下次登录时须修改；记入审计日志"

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        if not User.objects.filter(username=username).exists():
            raise CommandError(_("没有用户名为 %(username)s 的账号") % {"username": username})
        with context.acting(None, channel="cli"):
            password = services.break_glass_reset(username)
        self.stdout.write(f"已重置 {username} 的密码（已记入审计日志）。一次性密码（只显示这一次）：")
        self.stdout.write(password)
        self.stdout.write("持有人用它登录后必须先设置自己的新密码。")
