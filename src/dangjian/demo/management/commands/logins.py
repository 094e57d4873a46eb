"""``dangjian logins``: where to sign in and with which demo account, printed by ``make run``."""

from __future__ import annotations

import unicodedata

from django.core.management.base import BaseCommand

from dangjian.accounts.models import RoleAssignment, User
from dangjian.accounts.roles import SELF_ROLES
from dangjian.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD

URL = "http://127.0.0.1:8000/"


def width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def table(rows: list[list[str]]) -> list[str]:
    widths = [max(width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [cell + " " * (w - width(cell)) for cell, w in zip(row, widths, strict=True)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def _scope(grant: RoleAssignment | None) -> str:
    if grant is None:
        return "—"
    if grant.organization_id:
        return grant.organization.name + ("及下级" if grant.subtree else "")
    return "本人" if grant.role in SELF_ROLES else "全局（无业务数据）"


class Command(BaseCommand):
    help = "显示访问地址和演示账号（仅当演示账号存在时）。"

    def handle(self, *args, **options) -> None:
        users = {u.username: u for u in User.objects.filter(is_demo=True, is_active=True)}
        self.stdout.write(f"访问地址：{URL}")
        if not users:
            self.stdout.write("尚无演示账号。创建管理员账号：dangjian createadmin")
            return
        active = RoleAssignment.objects.active().filter(user__in=users.values()).select_related("organization")
        grants = {a.user_id: a for a in active}
        rows = [["账号", "密码", "角色", "范围", "能看到什么"]]
        for account in DEMO_ACCOUNTS:
            user = users.get(account.username)
            if user is None:
                continue
            grant = grants.get(user.pk)
            role = grant.get_role_display() if grant else "（未授权）"
            scope = _scope(grant)
            rows.append([account.username, DEMO_PASSWORD, role, scope, account.sees])
        self.stdout.write("演示账号（密码相同，仅用于演示）：")
        for line in table(rows):
            self.stdout.write(line)
