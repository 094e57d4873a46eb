from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    """The annual in-party statistics (党内统计年报) as of 31 December, computed from the roster and the records."""

    name = "dangjian.stats"
    label = "stats"
    verbose_name = _("党内统计")
