"""Home-page alerts for the branch secretary and the committee office: members 6 months in arrears."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts.scope import has_perm, scope_for
from dangjian.core.contributions import HomeItem, listed
from dangjian.people.models import Membership
from dangjian.rules import services as rule_store

from .arrears import arrears_queryset, arrears_rows

CHANGE = "dues.change"
KIND = gettext_lazy("党费欠缴")
ORDER = 50
COUNT_CAP = 100


@dataclass(frozen=True)
class ArrearsAlert:
    person_id: int
    name: str
    branch_name: str
    months: int
    since: date
    message: str
    citation: str
    url: str


def _members(user):
    """Current memberships in the user's dues.change scope, or None when there are none to look at."""
    if not has_perm(user, CHANGE):
        return None
    scope = scope_for(user, CHANGE)
    if not (scope.everything or scope.has_orgs):
        return None
    return Membership.objects.current().visible_to(user, CHANGE)


@rule_store.holding()
def arrears_alerts(user, today: date, limit: int = 20) -> list[ArrearsAlert]:
    """Members in the user's dues.change scope unpaid for the rule's months in a row (≥6); a constant number of
    queries, the rule store read once for all of them."""
    members = _members(user)
    if members is None:
        return []
    out = []
    for row in arrears_rows(members, today, limit=limit):
        out.append(
            ArrearsAlert(
                person_id=row.person_id,
                name=row.name,
                branch_name=row.branch_name,
                months=row.months,
                since=row.first_unpaid,
                message=_("%(name)s（%(branch)s）自%(since)s起连续%(months)d个月未交纳党费")
                % {
                    "name": row.name,
                    "branch": row.branch_name,
                    "since": f"{row.first_unpaid:%Y年%m月}",
                    "months": row.months,
                },
                citation=row.citation,
                url=reverse("dues:person", args=[row.person_id]),
            )
        )
    return out


@rule_store.holding()
def home_items(user, today: date, limit: int = 10) -> list[HomeItem]:
    """The first ``limit`` members in arrears (党员教育管理工作条例 art. 31) and one line for the rest."""
    members = _members(user)
    if members is None:
        return []
    more = reverse("dues:arrears")
    items = [
        HomeItem("late", KIND, a.message, a.url, "dues", a.since, more=more, order=ORDER)
        for a in arrears_alerts(user, today, limit=limit)
    ]
    # Counted up to COUNT_CAP only: the exact count reads every membership of the tree (two anti-joins over
    # 150,000 rows at group scale) on each visit, while the capped one stops at the hundredth member found.
    total = arrears_queryset(members, today).order_by()[:COUNT_CAP].count()  # unordered: stops early
    if total >= COUNT_CAP:
        return listed(items, total, text=gettext_lazy("另有至少%(n)d名党员连续多月未交纳党费"), at_least=True)
    return listed(items, total, text=gettext_lazy("另有%(n)d名党员连续多月未交纳党费"))
