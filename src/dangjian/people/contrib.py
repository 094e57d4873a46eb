"""What the people app adds to the platform (see ``dangjian.core.contributions``)."""

from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import Contribution, MenuEntry, register

from . import home, mine
from .documents import ROSTER
from .facts import PeopleFacts

register(
    Contribution(
        app="people",
        menu=(
            MenuEntry("people.view", "people:list", _("职工与党员"), order=30, group="organization"),
            MenuEntry("people.import", "people:import", _("花名册导入"), order=40, group="organization"),
        ),
        summary=home.summary,
        documents=(ROSTER,),
        home_items=mine.home_items,
        facts=[PeopleFacts()],
    )
)
