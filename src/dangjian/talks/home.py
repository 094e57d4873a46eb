"""A leader's part of the home page: their contact points with the visits still due this year (领导干部党建联系点,
the institute's minimum from the rule store), and their attendance at their own branch's meetings this year
(双重组织生活: a leading cadre takes part in the life of their own branch as an ordinary member)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts.scope import assignments_of, has_perm
from dangjian.core.contributions import HomeItem
from dangjian.core.ruletable import NoRuleInForce
from dangjian.meetings.models import Attendance
from dangjian.meetings.models.meeting import HELD_STATUSES
from dangjian.people.models import Membership
from dangjian.rules import services as rule_store

from .figures import year_bounds
from .models import ContactPoint
from .rule_data import TALKS_RULES
from .services import VIEW

VISITS = "contact_point.min_visits_per_year"
CONTACT_KIND = gettext_lazy("我的联系点")
DUAL_KIND = gettext_lazy("双重组织生活")
ORDER = 5
PRESENT = ("present", "elsewhere")


def home_items(user, today: date) -> list[HomeItem]:
    if not user.person_id or not has_perm(user, VIEW):
        return []
    return [*_contact_points(user, today), *_own_branch(user, today)]


def _contact_points(user, today: date) -> list[HomeItem]:
    """The leader's contact points in force today, each with this year's visits against the minimum set for its
    organisation (本单位设置, which the office may change per subtree). One query."""
    year_end = date(today.year, 12, 31)
    points = (
        ContactPoint.objects.filter(leader_id=user.person_id, since__lte=today)
        .filter(Q(until__isnull=True) | Q(until__gte=today))
        .select_related("organization")
        .annotate(visits_in_year=Count("visits", filter=Q(visits__visited_on__year=today.year)))
        .order_by("organization__path", "pk")
    )
    more = reverse("life:contact_points")
    out = []
    for p in points:
        try:
            minimum = int(rule_store.table(TALKS_RULES, p.organization).value(VISITS, year_end))
        except NoRuleInForce:
            minimum = None
        values = {"org": p.organization.name, "done": p.visits_in_year, "min": minimum}
        if minimum is not None and p.visits_in_year < minimum:
            text = _("%(org)s：本年已调研 %(done)d 次，应不少于 %(min)d 次") % values
            level, link = "due", reverse("life:visit_create", args=[p.pk])
        else:
            text = _("%(org)s：本年已调研 %(done)d 次") % values
            level, link = "info", more
        out.append(HomeItem(level, CONTACT_KIND, text, link, "talks", year_end, more=more, order=ORDER))
    return out


def _own_branch(user, today: date) -> list[HomeItem]:
    """For a leader: the held meetings of their own branch this year where they were due, and how many they
    attended. Two queries."""
    if not any(a.role == "leader" for a in assignments_of(user)):
        return []
    branch = Membership.objects.current().filter(person_id=user.person_id).select_related("organization").first()
    if branch is None:
        return []
    start, end = year_bounds(today.year)
    counts = Attendance.objects.filter(
        person_id=user.person_id,
        expected=True,
        meeting__organization_id=branch.organization_id,
        meeting__deleted_at__isnull=True,
        meeting__status__in=HELD_STATUSES,
        meeting__starts_at__gte=start,
        meeting__starts_at__lt=end,
    ).aggregate(due=Count("id"), present=Count("id", filter=Q(status__in=PRESENT)))
    values = {"org": branch.organization.name, **counts}
    missed = counts["due"] - counts["present"]
    if missed:
        values["missed"] = missed
        text = _("%(org)s：本年应参加 %(due)d 次，出席 %(present)d 次，未出席 %(missed)d 次") % values
    else:
        text = _("%(org)s：本年应参加 %(due)d 次，出席 %(present)d 次") % values
    link = reverse("meetings:list")
    return [HomeItem("due" if missed else "info", DUAL_KIND, text, link, "talks", more=link, order=ORDER)]
