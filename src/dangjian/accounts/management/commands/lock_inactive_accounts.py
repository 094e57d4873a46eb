"""Lock the accounts nobody has used for DANGJIAN_INACTIVE_LOCK_DAYS (等保 三级, GB/T 22239 8.1.4.2 c).
Run it daily (cron or a systemd timer); a login attempt on a dormant account also locks it."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from dangjian.accounts import hygiene
from dangjian.core import context


class Command(BaseCommand):
    help = "停用长期未使用的账号（DANGJIAN_INACTIVE_LOCK_DAYS，默认 90 天）；每天运行一次"

    def handle(self, *args, **options):
        if not settings.INACTIVE_LOCK_DAYS:
            self.stdout.write("DANGJIAN_INACTIVE_LOCK_DAYS=0：不停用长期未使用的账号")
            return
        with context.acting(None, channel="cli"):
            locked = hygiene.lock_dormant_accounts()
        days = settings.INACTIVE_LOCK_DAYS
        if locked:
            self.stdout.write(f"已停用 {len(locked)} 个超过 {days} 天未使用的账号：{'、'.join(locked)}")
        else:
            self.stdout.write(f"没有超过 {days} 天未使用的启用账号")
