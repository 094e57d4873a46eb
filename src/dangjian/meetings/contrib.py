"""What the meetings app adds to the platform (see ``dangjian.core.contributions``)."""

from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import Contribution, MenuEntry, register

from . import mine, roster_rules  # noqa: F401 - registers the roster rules in the catalogue (/rules/)
from .documents import PARTS
from .facts import MeetingFacts

register(
    Contribution(
        app="meetings",
        menu=(MenuEntry("meetings.view", "meetings:list", _("组织生活"), order=50, group="life"),),
        home_items=mine.home_items,
        documents=PARTS,
        facts=[MeetingFacts()],
        api_router="dangjian.meetings.api.router",
    )
)
