from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import Contribution, MenuEntry, register

register(
    Contribution(
        app="dashboard",
        # first in the menu: what leaders open the platform for
        menu=[
            MenuEntry(perm="dashboard.view", url_name="dashboard:index", label=_("仪表盘"), order=5, group="dashboard")
        ],
    )
)
