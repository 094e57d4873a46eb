"""What talks, study hours and contact points add to the platform (see ``dangjian.core.contributions``).

Their menu entries sit at the end of the domain entries, where they were when the pages were part of meetings.
"""

from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import Contribution, MenuEntry, register

from . import home, mine
from .documents import PARTS
from .facts import TalksFacts
from .services import VIEW

register(
    Contribution(
        app="talks",
        menu=(
            MenuEntry(VIEW, "life:talks", _("谈心谈话"), order=160, group="life"),
            MenuEntry(VIEW, "life:hours", _("学习学时"), order=170, group="life"),
            MenuEntry(VIEW, "life:contact_points", _("联系点"), order=180, group="life"),
        ),
        home_items=lambda user, today: [*mine.home_items(user, today), *home.home_items(user, today)],
        documents=PARTS,
        facts=[TalksFacts()],
        api_router="dangjian.talks.api.router",
    )
)
