"""Home-page alerts for the branch secretary and the committee office: members 6 months in arrears."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.urls import reverse

from dangjian.accounts.scope import has_perm
from dangjian.people.models import Membership

from .arrears import arrears_rows

CHANGE = "dues.change"


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


def arrears_alerts(user, today: date, limit: int = 20) -> list[ArrearsAlert]:
    """Members in the user's dues.change scope unpaid for ≥6 consecutive months; a constant number of queries."""
    if not has_perm(user, CHANGE):
        return []
    members = Membership.objects.current().visible_to(user, CHANGE)
    out = []
    for row in arrears_rows(members, today, limit=limit):
        out.append(
            ArrearsAlert(
                person_id=row.person_id,
                name=row.name,
                branch_name=row.branch_name,
                months=row.months,
                since=row.first_unpaid,
                message=f"{row.name}（{row.branch_name}）自{row.first_unpaid:%Y年%m月}起连续{row.months}个月未交纳党费",
                citation=row.citation,
                url=reverse("dues:person", args=[row.person_id]),
            )
        )
    return out
