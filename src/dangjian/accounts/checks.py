"""System check: DANGJIAN_2FA_ROLES names only roles that exist.

A misspelt role would silently leave its holders without the second factor that 等保 三级
(GB/T 22239-2019 8.1.4.1 d) asks of them, so the server refuses to start instead.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

from .roles import Role


@register(Tags.security)
def second_factor_roles_check(app_configs=None, **kwargs):
    unknown = sorted(set(settings.DANGJIAN_2FA_ROLES) - set(Role.values))
    if unknown:
        return [
            Error(
                f"DANGJIAN_2FA_ROLES 含有不存在的角色：{', '.join(unknown)}",
                hint=f"可用的角色：{','.join(Role.values)}",
                id="accounts.E001",
            )
        ]
    return []
