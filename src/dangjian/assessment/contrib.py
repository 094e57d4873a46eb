"""What the assessment app contributes: the office's menu entries for indicator systems (考核指标体系) and 述职评议,
the menu entry for 一支部一特色 (every maintainer of a branch), the home-page links of a rater and a reporting
secretary (``report_home``), of a unit with a self-assessment to submit (``self_home``) and of a reviewer with
items to score (``review_home``), and the facts its bonus indicators read (``facts``, ``title_facts``)."""

from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import Contribution, MenuEntry, register

from . import rectifications, report_home, review_home, self_home
from .documents import RECTIFICATIONS, RESULT
from .facts import BandFacts, BrandFacts
from .title_facts import BenchmarkTitleFacts


def home_items(user, today):
    """述职评议's links, the overdue 整改清单 items, the self-assessment to submit and the items to review."""
    return [
        *report_home.home_items(user, today),
        *rectifications.home_items(user, today),
        *self_home.home_items(user, today),
        *review_home.home_items(user, today),
    ]


register(
    Contribution(
        app="assessment",
        menu=[
            MenuEntry(
                perm="assessment.view",
                url_name="assessment:cycles",
                label=_("党建工作责任制考核"),
                order=186,
                group="assessment",
            ),
            MenuEntry(
                perm="assessment.manage",
                url_name="assessment:systems",
                label=_("考核指标体系"),
                order=187,
                group="assessment",
            ),
            MenuEntry(
                perm="orgs.change", url_name="assessment:brands", label=_("一支部一特色"), order=188, group="assessment"
            ),
            MenuEntry(
                perm="assessment.manage",
                url_name="assessment:report_meetings",
                label=_("述职评议"),
                order=189,
                group="assessment",
            ),
            MenuEntry(
                perm="orgs.change",
                url_name="assessment:rectifications",
                label=_("整改清单"),
                order=189,
                group="assessment",
            ),
        ],
        home_items=home_items,
        facts=[BrandFacts(), BenchmarkTitleFacts(), BandFacts()],
        documents=(RESULT, RECTIFICATIONS),
        api_router="dangjian.assessment.api.router",
    )
)
