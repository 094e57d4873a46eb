"""The people's part of the home page: 职工, 正式党员 and 预备党员 in the user's scope, in one query (``headcount``)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy

from dangjian.accounts.scope import assignments_of, has_perm
from dangjian.core.contributions import SummaryCard

from .models import MembershipStatus, Person
from .models.membership import on_rolls_q


def headcount(people: QuerySet[Person]) -> dict[str, int]:
    """职工, 正式党员 and 预备党员 among ``people``, today, in one query: the one definition of the figures, shown
    by the home page (over the user's scope) and printed by ``dangjian demo`` (over everyone). A party member is
    a person with a current membership (``on_rolls_q``), so a member whose party rights are stopped (停止党籍 ends
    the membership) or who moved out of the tree is not counted; the people list's status filter is the same."""
    counts = people.order_by().aggregate(
        people=Count("pk"),
        members=Count("pk", filter=on_rolls_q(MembershipStatus.FULL)),
        probationary=Count("pk", filter=on_rolls_q(MembershipStatus.PROBATIONARY)),
    )
    return {key: value or 0 for key, value in counts.items()}


def summary(user, today: date) -> list[SummaryCard]:
    """Nothing for a member (who sees only himself; the home page links his own record instead); only 职工 for
    those who hold no part in party life (health and care officers)."""
    if not has_perm(user, "people.view") or _self_only(user):
        return []
    counts = headcount(Person.objects.visible_to(user))
    url = reverse("people:list")
    staff = SummaryCard(gettext_lazy("职工"), counts["people"], url, order=30)
    if not has_perm(user, "meetings.view"):
        # a health or care officer: the staff they look after, not the party's figures (issue 13 §2)
        return [staff]
    return [
        staff,
        SummaryCard(gettext_lazy("正式党员"), counts["members"], url + "?status=member", order=40),
        SummaryCard(gettext_lazy("预备党员"), counts["probationary"], url + "?status=probationary", order=50),
    ]


def _self_only(user) -> bool:
    return all(a.role == "member" for a in assignments_of(user) if a.role != "auditor")
