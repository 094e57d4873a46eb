from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dangjian.accounts"
    label = "accounts"
    verbose_name = "账号与权限"

    def ready(self) -> None:
        from . import checks, signals  # noqa: F401  (signals: audit of logins; checks: DANGJIAN_2FA_ROLES)
