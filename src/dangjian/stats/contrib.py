"""What the annual in-party statistics add to the platform: the menu entry, next to the roster's."""

from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import Contribution, MenuEntry, register

register(
    Contribution(
        app="stats", menu=(MenuEntry("stats.view", "stats:report", _("党内统计"), order=35, group="records"),)
    ),
)
