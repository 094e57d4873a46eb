"""What the organisations app adds to the platform (see ``dangjian.core.contributions``)."""

from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import Contribution, MenuEntry, register

from . import home
from .documents import BASICS, COMMITTEE

register(
    Contribution(
        app="orgs",
        menu=(
            MenuEntry("orgs.view", "orgs:tree", _("党组织"), order=10, group="organization"),
            MenuEntry("orgs.view", "orgs:departments", _("行政部门"), order=20, group="organization"),
        ),
        summary=home.summary,
        documents=(BASICS, COMMITTEE),
        home_items=home.home_items,
    )
)
