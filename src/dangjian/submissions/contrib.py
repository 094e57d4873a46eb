"""What 请示报告 adds to the platform (see ``dangjian.core.contributions``): the menu entry, the home items of the
office and of the sender, reminders of answers due, its facts, its part of the yearly ledger and its API router."""

from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import Contribution, MenuEntry, register

from . import home
from .documents import RECORD
from .facts import SubmissionFacts

register(
    Contribution(
        app="submissions",
        menu=(MenuEntry("submissions.view", "submissions:list", _("请示报告"), order=115, group="records"),),
        home_items=home.home_items,
        notifications=home.notifications,
        facts=[SubmissionFacts()],
        documents=(RECORD,),
        api_router="dangjian.submissions.api.router",
    )
)
