"""What the assessment app contributes: the office's menu entry for indicator systems (考核指标体系), the menu entry
for 一支部一特色 (every maintainer of a branch) and the facts its bonus indicators read (``facts``)."""

from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import Contribution, MenuEntry, register

from .facts import BrandFacts

register(
    Contribution(
        app="assessment",
        menu=[
            MenuEntry(perm="assessment.manage", url_name="assessment:systems", label=_("考核指标体系"), order=187),
            MenuEntry(perm="orgs.change", url_name="assessment:brands", label=_("一支部一特色"), order=188),
        ],
        facts=[BrandFacts()],
    )
)
