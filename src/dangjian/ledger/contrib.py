"""What the ledger adds to the platform (see ``dangjian.core.contributions``): its menu entry and the
年度工作总结 part of every ledger."""

from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import Contribution, MenuEntry, register

from .summary import SUMMARY

register(
    Contribution(
        app="ledger",
        menu=(MenuEntry("ledger.view", "ledger:index", _("党建台账"), order=87, group="records"),),
        documents=(SUMMARY,),
    )
)
