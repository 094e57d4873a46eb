from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkplanConfig(AppConfig):
    """The yearly work plan (党建工作要点) planned, deployed, advanced and assessed with the business (四同)."""

    name = "dangjian.workplan"
    label = "workplan"
    verbose_name = _("年度工作计划")
