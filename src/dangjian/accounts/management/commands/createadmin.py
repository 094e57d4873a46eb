from __future__ import annotations

import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from dangjian.accounts import second_factor, services
from dangjian.accounts.models import User
from dangjian.accounts.roles import GLOBAL_ROLES, Role
from dangjian.core import context
from dangjian.orgs.models import Organization


class Command(BaseCommand):
    help = "创建管理账号：系统管理员、安全管理员、审计员（三权分立）或党委办公室"

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument(
            "--role", default=Role.SYSADMIN, choices=[Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR, Role.OFFICE]
        )
        parser.add_argument("--password-env", default="DANGJIAN_ADMIN_PASSWORD", help="从该环境变量读取密码")

    def handle(self, *args, username: str, role: str, password_env: str, **options):
        password = os.environ.get(password_env) or getpass.getpass("密码：")
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(_("用户名 %(username)s 已存在") % {"username": username})
        try:
            validate_password(password, User(username=username))
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        organization = None
        if role not in GLOBAL_ROLES:
            organization = Organization.objects.filter(depth=1).order_by("path").first()
            if organization is None:
                raise CommandError(_("还没有党组织：请先导入或建立组织树"))
        # The console operator (actor None) is the one who may install a security administrator;
        # the separation rules of accounts.separation still apply to the new account.
        with context.acting(None, channel="cli"), transaction.atomic():
            user = services.create_user(None, username=username, password=password)
            services.grant(None, {"user": user, "role": role, "organization": organization, "subtree": True})
        self.stdout.write(f"已创建 {username}（{Role(role).label}）")
        if second_factor.requires_second_factor(user):
            self.stdout.write("首次登录时须在网页上绑定动态口令（身份验证器应用，TOTP）")
