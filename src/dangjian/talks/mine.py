"""The member's study hours of the year on their home page, against the yearly minimum read from the rule store
(党员教育管理工作条例 第20条: 32 学时; a secretary or committee member the institute's figure, 56 by default)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.core import mine
from dangjian.core.contributions import HomeItem
from dangjian.core.ruletable import NoRuleInForce
from dangjian.people.models import Membership, Person
from dangjian.rules import services as rule_store

from .figures import with_hours, with_required_hours
from .rule_data import LEADER_HOURS, TALKS_RULES

MEMBER_HOURS = "training.min_hours_per_year"


def _minimum(table, key: str, on: date) -> int | None:
    try:
        return int(table.value(key, on))
    except NoRuleInForce:
        return None


def home_items(user, today: date) -> list[HomeItem]:
    """Hours this year (meetings attended at the hour rates, and study records) in one query, the rule read for
    the member's branch (the store may hold its override). A line to do while short, and the figure on the
    record. Four queries."""
    person_id = mine.own_person_id(user)
    if person_id is None:
        return []
    branch_id = Membership.objects.current().filter(person_id=person_id).values_list("organization_id", flat=True)
    branch_id = next(iter(branch_id[:1]), None)
    if branch_id is None:
        return []  # not a party member: the yearly hours bind members
    year_end = date(today.year, 12, 31)
    table = rule_store.table_for_org_id(TALKS_RULES, branch_id)
    members, leaders = _minimum(table, MEMBER_HOURS, year_end), _minimum(table, LEADER_HOURS, year_end)
    row = (
        with_required_hours(with_hours(Person.objects.filter(pk=person_id), today.year), today.year, members, leaders)
        .values_list("hours", "required_hours")
        .first()
    )
    if row is None:
        return []
    hours, required = row[0] or Decimal("0"), row[1]
    link = reverse("life:hours")
    values = {"year": today.year, "hours": f"{hours:.1f}", "required": required}
    out = []
    if required is not None and hours < required:
        values["left"] = f"{Decimal(required) - hours:.1f}"
        out.append(
            HomeItem(
                "due",
                mine.MY_DUTIES,
                _("%(year)d年学习学时：已完成 %(hours)s，应不少于 %(required)s，还差 %(left)s") % values,
                link,
                mine.SOURCE,
                year_end,
                more=link,
                order=mine.ORDER_DUTIES,
            )
        )
    text = (
        _("%(year)d年学习学时 %(hours)s / %(required)s") % values
        if required is not None
        else _("%(year)d年学习学时 %(hours)s") % values
    )
    out.append(HomeItem("info", mine.MY_RECORD, text, link, mine.SOURCE, more=link, order=mine.ORDER_RECORD))
    return out
