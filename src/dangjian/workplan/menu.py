"""The work plan's menu entries (wired in contrib.py)."""

from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import MenuEntry

from .services import VIEW

MENU = (
    MenuEntry(VIEW, "workplan:plans", _("工作计划"), order=190),
    MenuEntry(VIEW, "workplan:deployments", _("任务部署"), order=191),
)
