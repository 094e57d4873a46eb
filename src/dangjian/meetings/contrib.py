"""What the meetings app adds to the platform (see ``dangjian.core.contributions``).

Talks, study hours and contact points (``life*.py``) are part of this app for now; their menu entries sit at
the end of the domain entries, where they have always been.
"""

from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import Contribution, MenuEntry, register

from .documents import RECORD
from .facts import LifeFacts, MeetingFacts

register(
    Contribution(
        app="meetings",
        menu=(
            MenuEntry("meetings.view", "meetings:list", _("组织生活"), order=50),
            MenuEntry("life.view", "life:talks", _("谈心谈话"), order=160),
            MenuEntry("life.view", "life:hours", _("学习学时"), order=170),
            MenuEntry("life.view", "life:contact_points", _("联系点"), order=180),
        ),
        documents=(RECORD,),
        facts=[MeetingFacts(), LifeFacts()],
        api_router="dangjian.meetings.api.router",
    )
)
