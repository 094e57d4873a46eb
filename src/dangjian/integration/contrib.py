"""What party work inside the business adds to the platform (see ``dangjian.core.contributions``).

One menu entry (the section page, ``hub``) keeps the main menu short; the home items of each part are listed
together.
"""

from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import Contribution, MenuEntry, register

from . import joint_home, posts_home, presence, team_home
from .facts import IntegrationFacts

VIEW = "integration.view"


def home_items(user, today):
    return [
        *posts_home.home_items(user, today),
        *team_home.home_items(user, today),
        *joint_home.home_items(user, today),
        *presence.home_items(user, today),
    ]


register(
    Contribution(
        app="integration",
        menu=(MenuEntry(VIEW, "integration:hub", _("党建与业务融合"), order=189, group="assessment"),),
        home_items=home_items,
        facts=[IntegrationFacts()],
        api_router="dangjian.integration.api.router",
    )
)
