"""What the health app adds to the platform (see ``dangjian.core.contributions``)."""

from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import Contribution, MenuEntry, register

from . import alerts
from .facts import HealthFacts

register(
    Contribution(
        app="health",
        menu=(
            MenuEntry("health.values", "health:index", _("健康筛查"), order=140, group="care"),
            # Health officers reach the statistics from their own 健康筛查 page: their menu keeps one entry.
            MenuEntry(
                "health.aggregates",
                "health:aggregates",
                _("健康筛查统计"),
                order=150,
                hidden_with="health.values",
                group="care",
            ),
        ),
        home_items=alerts.home_items,
        facts=[HealthFacts()],
        api_router="dangjian.health.api.router",
    )
)
