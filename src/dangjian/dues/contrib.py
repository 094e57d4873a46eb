"""What the dues app adds to the platform (see ``dangjian.core.contributions``)."""

from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import Contribution, MenuEntry, register

from . import alerts, mine
from .documents import MONTHS, YEAR
from .facts import DuesFacts

register(
    Contribution(
        app="dues",
        menu=(MenuEntry("dues.view", "dues:ledger", _("党费"), order=90, group="organization"),),
        home_items=lambda user, today: [*alerts.home_items(user, today), *mine.home_items(user, today)],
        documents=(MONTHS, YEAR),
        facts=[DuesFacts()],
        api_router="dangjian.dues.api.router",
    )
)
