"""What the appraisal app adds to the platform (see ``dangjian.core.contributions``)."""

from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import Contribution, MenuEntry, register

from . import mine
from .documents import RECORD
from .facts import AppraisalFacts

register(
    Contribution(
        app="appraisal",
        menu=(MenuEntry("appraisal.view", "appraisal:list", _("民主评议"), order=70, group="life"),),
        home_items=mine.home_items,
        facts=[AppraisalFacts()],
        documents=(RECORD,),
        api_router="dangjian.appraisal.api.router",
    )
)
