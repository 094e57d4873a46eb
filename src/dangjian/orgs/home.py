"""The organisations' part of the home page: the counts at the top and the structural warnings.

Structural warnings (党支部工作条例 art. 6–9: at least 3 full members, a committee from 7, terms) are checked
for the first ``MAX_ORGS`` organisations of the user's scope in tree order: beyond that the page would read
the whole group's memberships on every visit, and the tree and each organisation's page show them all.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy

from dangjian.accounts.scope import has_perm
from dangjian.core.contributions import HomeItem, SummaryCard

from .models import Organization
from .warnings import FIELDS, warnings_of, with_structure

MAX_ORGS = 500
KIND = gettext_lazy("组织建设")
ORDER = 90


# The party organisation's figures are for those in its life (the office, leaders, secretaries, committee members):
# a health or care officer reads the tree to find people, and their home is their own queue (issue 13 §2).
FIGURES_PERM = "meetings.view"


def summary(user, today: date) -> list[SummaryCard]:
    """党组织 and 党支部 in scope: one query."""
    if not (has_perm(user, "orgs.view") and has_perm(user, FIGURES_PERM)):
        return []
    counts = (
        Organization.objects.visible_to(user)
        .active(today)
        .aggregate(orgs=Count("id"), branches=Count("id", filter=Q(kind="branch")))
    )
    url = reverse("orgs:list")
    return [
        SummaryCard(gettext_lazy("党组织"), counts["orgs"], url, order=10),
        SummaryCard(gettext_lazy("党支部"), counts["branches"], url + "?kind=branch", order=20),
    ]


# The warnings are work for those who maintain the organisations (the office, a secretary): a health or care
# officer reads the tree to find people (orgs.view) but has nothing to do about a branch's committee or terms.
WARNINGS_PERM = "orgs.change"


def home_items(user, today: date) -> list[HomeItem]:
    if not has_perm(user, WARNINGS_PERM):
        return []
    orgs = (
        Organization.objects.visible_to(user, WARNINGS_PERM)
        .active(today)
        .filter(kind__in=["branch", "general_branch", "committee"])
        .order_by("path")
    )
    rows = with_structure(orgs, today).values_list(*FIELDS)[:MAX_ORGS]  # one statement, plain tuples
    more = reverse("orgs:tree")
    detail = reverse("orgs:detail", args=[_MARKER]).replace(str(_MARKER), "{}")  # reversed once, not per line
    return [
        HomeItem(
            "due",
            KIND,
            f"{row[1]}：{w.message}（{w.citation}）",
            detail.format(row[0]),
            "orgs",
            more=more,
            order=ORDER,
        )
        for row, ws in warnings_of(rows, today)
        for w in ws
    ]


_MARKER = 987654321
