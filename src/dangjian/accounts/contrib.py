"""What the accounts app adds to the platform (see ``dangjian.core.contributions``)."""

from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import Contribution, MenuEntry, register

from . import home

register(
    Contribution(
        app="accounts",
        menu=(
            MenuEntry("accounts.provision", "accounts:provision", _("开通党员账号"), order=45, group="organization"),
            MenuEntry("accounts.manage", "accounts:users", _("账号管理"), order=190, group="system"),
            MenuEntry("accounts.assign_roles", "accounts:assignments", _("角色授权"), order=200, group="system"),
            MenuEntry("accounts.policy", "accounts:policy", _("安全策略"), order=210, group="system"),
        ),
        home_items=home.home_items,
    )
)
