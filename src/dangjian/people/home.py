"""The people's part of the home page: 职工, 正式党员 and 预备党员 in the user's scope, in one query."""

from __future__ import annotations

from datetime import date

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy

from dangjian.accounts.scope import assignments_of, has_perm
from dangjian.core.contributions import SummaryCard

from .models import Person


def summary(user, today: date) -> list[SummaryCard]:
    """Nothing for a member (who sees only himself; the home page links his own record instead); only 职工 for
    those who hold no part in party life (health and care officers)."""
    if not has_perm(user, "people.view") or _self_only(user):
        return []
    # One row per status, counted with COUNT(*): for a whole group the database counts the entries of the
    # person_live_status index without reading the people's rows.
    by_status = dict(Person.objects.visible_to(user).order_by().values_list("political_status").annotate(n=Count("*")))
    counts = {
        "people": sum(by_status.values()),
        "members": by_status.get("member", 0),
        "probationary": by_status.get("probationary", 0),
    }
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
