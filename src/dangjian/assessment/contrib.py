"""What the assessment app contributes: the office's menu entry for indicator systems (考核指标体系)."""

from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import Contribution, MenuEntry, register

register(
    Contribution(
        app="assessment",
        menu=[
            MenuEntry(perm="assessment.manage", url_name="assessment:systems", label=_("考核指标体系"), order=187),
            MenuEntry(perm="orgs.view", url_name="assessment:cycles", label=_("党建工作责任制考核"), order=188),
        ],
        api_router="dangjian.assessment.api.router",
    )
)
