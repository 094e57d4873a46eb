"""``dangjian logins``: where to sign in and with which demo account, printed by ``make run``.

``--json`` prints only a JSON array ``[{"username", "password", "roles", "totp_secret"}]`` for scripts and
testers; ``totp_secret`` is the account's authenticator secret in base32 (null where it has none).
"""

from __future__ import annotations

import json as _json
import unicodedata

from django.core.management.base import BaseCommand

from dangjian.accounts import second_factor
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

    def add_arguments(self, parser) -> None:
        parser.add_argument("--json", action="store_true", help="只输出 JSON 数组（用户名、密码、角色、动态口令密钥）")
        parser.add_argument("--url", default=URL, help="站点地址（make run 传入它实际监听的地址）")

    def handle(self, *args, json: bool = False, **options) -> None:
        users = {u.username: u for u in User.objects.filter(is_demo=True, is_active=True)}
        accounts = [(account, users[account.username]) for account in DEMO_ACCOUNTS if account.username in users]
        secrets = _totp_secrets([user for _, user in accounts])
        if json:
            self._json(accounts, secrets)
        else:
            self._table(accounts, secrets, options.get("url") or URL)

    def _json(self, accounts, secrets: dict[int, str]) -> None:
        roles: dict[int, list[str]] = {}
        for a in RoleAssignment.objects.active().filter(user__in=[u for _, u in accounts]).order_by("id"):
            roles.setdefault(a.user_id, []).append(a.role)
        rows = [
            {
                "username": user.username,
                "password": DEMO_PASSWORD,
                "roles": roles.get(user.pk, []),
                "totp_secret": secrets.get(user.pk),
            }
            for _, user in accounts
        ]
        self.stdout.write(_json.dumps(rows, ensure_ascii=False))

    def _table(self, accounts, secrets: dict[int, str], url: str) -> None:
        self.stdout.write(f"访问地址：{url}")
        if not accounts:
            self.stdout.write("尚无演示账号。创建管理员账号：dangjian createadmin")
            return
        active = (
            RoleAssignment.objects.active().filter(user__in=[u for _, u in accounts]).select_related("organization")
        )
        grants = {a.user_id: a for a in active}
        rows = [["账号", "密码", "角色", "范围", "能看到什么"]]
        for account, user in accounts:
            grant = grants.get(user.pk)
            role = grant.get_role_display() if grant else "（未授权）"
            scope = _scope(grant)
            rows.append([account.username, DEMO_PASSWORD, role, scope, account.sees])
        self.stdout.write("演示账号（密码相同，仅用于演示）：")
        for line in table(rows):
            self.stdout.write(line)
        enrolled = [(user.username, secrets[user.pk]) for _, user in accounts if user.pk in secrets]
        if enrolled:
            self.stdout.write("")
            self.stdout.write(
                "管理员账号须双因素登录：密码之后输入动态验证码。"
                "把 TOTP 密钥加入手机上的身份验证器应用（基于时间、30 秒、6 位），即可得到验证码："
            )
            for line in table([["账号", "TOTP 密钥（base32）"], *[[u, s] for u, s in enrolled]]):
                self.stdout.write(line)


def _totp_secrets(users: list[User]) -> dict[int, str]:
    """Each enrolled user's authenticator secret in base32, as an app takes it."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    out: dict[int, str] = {}
    for device in TOTPDevice.objects.filter(user__in=users, confirmed=True).order_by("-id"):
        out[device.user_id] = second_factor.base32_of(device.key)
    return out
