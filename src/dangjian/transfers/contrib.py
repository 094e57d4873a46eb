"""What the transfers app adds to the platform (see ``dangjian.core.contributions``)."""

from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import Contribution, MenuEntry, register

from . import alerts
from .documents import LOST, TRANSFERS
from .facts import TransferFacts

register(
    Contribution(
        app="transfers",
        menu=(
            MenuEntry("transfers.view", "transfers:list", _("组织关系转接"), order=100, group="organization"),
            MenuEntry("transfers.view", "transfers:lost_list", _("失联党员"), order=110, group="organization"),
        ),
        home_items=alerts.home_items,
        facts=[TransferFacts()],
        documents=(TRANSFERS, LOST),
        api_router="dangjian.transfers.api.router",
    )
)
