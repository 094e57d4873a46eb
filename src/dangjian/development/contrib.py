"""What the development app adds to the platform (see ``dangjian.core.contributions``)."""

from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import Contribution, MenuEntry, register

from . import home, mine
from .facts import DevelopmentFacts
from .year_record import REGISTERS

register(
    Contribution(
        app="development",
        menu=(MenuEntry("development.view", "development:funnel", _("发展党员"), order=80, group="organization"),),
        home_items=lambda user, today: [*home.home_items(user, today), *mine.home_items(user, today)],
        documents=REGISTERS,
        facts=[DevelopmentFacts()],
        api_router="dangjian.development.api.router",
    )
)
