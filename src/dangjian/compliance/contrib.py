"""What the compliance app adds to the platform (see ``dangjian.core.contributions``)."""

from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import Contribution, MenuEntry, register

from . import home
from .facts import ComplianceFacts

register(
    Contribution(
        app="compliance",
        menu=(MenuEntry("meetings.view", "compliance:heatmap", _("组织生活合规"), order=60, group="life"),),
        home_items=home.all_home_items,
        notifications=home.notifications,
        facts=[ComplianceFacts()],
        api_router="dangjian.compliance.api.router",
    )
)
