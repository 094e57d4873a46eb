from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    """The yearly ledger (台账) of an organisation, assembled from every app's document providers; the
    missing-records checklist; the year's summary text."""

    name = "dangjian.ledger"
    label = "ledger"
    verbose_name = _("台账")
