"""The business part's menu entries; ``contrib.py`` (wired by the lead) adds them to the app's Contribution."""

from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import MenuEntry

MENU = [
    MenuEntry("integration.view", "integration:project_list", _("重点任务"), order=190),
    MenuEntry("integration.view", "integration:line_list", _("主业与业务流程"), order=191),
]
