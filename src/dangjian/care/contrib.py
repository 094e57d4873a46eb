"""What the care app adds to the platform (see ``dangjian.core.contributions``)."""

from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import Contribution, MenuEntry, register

from . import alerts
from .documents import HARDSHIP, MATTERS, OBLIGATIONS
from .facts import CareFacts

register(
    Contribution(
        app="care",
        menu=(
            MenuEntry("care.view", "care:obligations", _("关心关爱"), order=120, group="care"),
            MenuEntry("care.view", "care:matters", _("为群众办实事"), order=130, group="care"),
        ),
        home_items=alerts.home_items,
        facts=[CareFacts()],
        documents=(OBLIGATIONS, HARDSHIP, MATTERS),
        api_router="dangjian.care.api.router",
    )
)
