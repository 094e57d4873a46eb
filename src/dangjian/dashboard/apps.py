from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """Dashboards for the committee and leaders, and the exhibition hall's big screen, charting the registered facts."""

    name = "dangjian.dashboard"
    label = "dashboard"
    verbose_name = _("仪表盘")
