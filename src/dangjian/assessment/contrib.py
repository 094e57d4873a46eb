"""What the assessment app contributes: the office's menu entries for indicator systems (考核指标体系) and 述职评议,
and the home-page links of a rater and a reporting secretary (``report_home``)."""

from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import Contribution, MenuEntry, register

from . import report_home

register(
    Contribution(
        app="assessment",
        menu=[
            MenuEntry(perm="assessment.manage", url_name="assessment:systems", label=_("考核指标体系"), order=187),
            MenuEntry(perm="assessment.manage", url_name="assessment:report_meetings", label=_("述职评议"), order=188),
        ],
        home_items=report_home.home_items,
    )
)
