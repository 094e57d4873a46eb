"""Members to consider for 除名 (应按除名处置研究): 6 months without organisational life, or without dues.

党章 第九条: "党员如果没有正当理由，连续六个月不参加党的组织生活，或不交纳党费，或不做党所分配的工作，就被认为是自行
脱党。支部大会应当决定把这样的党员除名，并报上级党组织批准。" (党员教育管理工作条例 2019 第31条 lists the same among
the cases for 除名.) The platform flags; the branch members' meeting decides.

* **Organisational life.** A member took part in a month when he was present, attended elsewhere (异地参加) or was
  excused (请假) at a held meeting of his branch or one of its party groups. An excused absence is an absence the
  branch accepted a reason for, so it is not "没有正当理由"; an unexcused absence or no sign-in at all is. A member
  is flagged when the last ``compliance.lapse_life_months`` complete months (``rule_data.LAPSE_RULES``) hold no
  such meeting for him, he was expected at one at least (a branch that held nothing owes the meetings: the
  compliance heat map shows that, not this list), and he has belonged to the branch since before those months.
  The months counted run from the month after his last participation; with no participation on record, from the
  first meeting on record he was due at (the platform's records may begin long after he joined).
* **Dues.** The members ``dues.arrears`` finds (``dues.arrears_months``, the same article), within the user's dues
  scope.

One query for each half, whatever the number of members.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts.scope import has_perm, scope_for
from dangjian.core.collation import name_key
from dangjian.core.contributions import HomeItem, listed
from dangjian.dues.arrears import arrears_rows
from dangjian.dues.months import add_months, month_start, months_between
from dangjian.meetings.models import Attendance, AttendanceStatus
from dangjian.meetings.models.meeting import HELD_STATUSES
from dangjian.people.models import Membership

from .engine import local_tz
from .periods import local_midnight
from .rule_data import LAPSE_LIFE_MONTHS, LAPSE_RULES

PERM = "meetings.change"
DUES_PERM = "dues.change"
KIND = gettext_lazy("应按除名处置研究")
ORDER = 51  # next to the dues arrears (dues.alerts.ORDER = 50)
COUNT_CAP = 100
# taking part, or excused with a reason the branch accepted (请假): not "没有正当理由"
TOOK_PART = (AttendanceStatus.PRESENT, AttendanceStatus.ELSEWHERE, AttendanceStatus.EXCUSED)


@dataclass
class Lapse:
    """One member with the months counted for each ground; a ground not met is None."""

    person_id: int
    name: str
    branch_id: int
    branch_name: str
    life_months: int | None = None
    life_since: date | None = None
    last_meeting_id: int | None = None  # evidence: the last meeting he took part in
    dues_months: int | None = None
    dues_since: date | None = None


def life_window(today: date) -> tuple[date, date, int]:
    """(first month of the window, last complete month, window length) for ``today``."""
    n = LAPSE_RULES.value(LAPSE_LIFE_MONTHS, today)
    last = add_months(month_start(today), -1)
    return add_months(last, -(n - 1)), last, n


def _branch_meetings(**filters) -> QuerySet:
    """Attendance rows of the outer membership's person at held meetings of his branch or its groups."""
    return Attendance.objects.filter(
        person_id=OuterRef("person_id"),
        meeting__organization__path__startswith=OuterRef("organization__path"),
        meeting__status__in=HELD_STATUSES,
        meeting__deleted_at__isnull=True,
        **filters,
    )


def life_queryset(members: QuerySet, today: date) -> QuerySet:
    """Current memberships from ``members`` without organisational life for the rule's months (see the module)."""
    first, last, _n = life_window(today)
    tz = local_tz()
    start, end = local_midnight(first, tz), local_midnight(add_months(last, 1), tz)
    window = {"meeting__starts_at__gte": start, "meeting__starts_at__lt": end}
    took_part = _branch_meetings(status__in=TOOK_PART, meeting__starts_at__lt=end).order_by("-meeting__starts_at")
    return (
        members.filter(started_on__lt=first)
        .filter(Exists(_branch_meetings(expected=True, **window)))
        .filter(~Exists(_branch_meetings(status__in=TOOK_PART, **window)))
        .annotate(
            last_part_at=Subquery(took_part.values("meeting__starts_at")[:1]),
            last_part_meeting=Subquery(took_part.values("meeting_id")[:1]),
            first_due_at=Subquery(
                _branch_meetings(expected=True).order_by("meeting__starts_at").values("meeting__starts_at")[:1]
            ),
        )
    )


def _life(members: QuerySet, today: date, limit: int | None = None) -> list[Lapse]:
    _first, last, _n = life_window(today)
    out = []
    tz = local_tz()
    qs = life_queryset(members, today).order_by("organization__path", "person__sort_key", "person__name", "person_id")
    if limit is not None:
        qs = qs[:limit]
    rows = qs.values_list(
        "person_id",
        "person__name",
        "organization_id",
        "organization__name",
        "started_on",
        "last_part_at",
        "last_part_meeting",
        "first_due_at",
    )
    for person_id, name, branch_id, branch_name, started_on, last_at, last_meeting, first_due_at in rows:
        if last_at is not None:  # counted from the month after he last took part
            since = add_months(month_start(timezone.localtime(last_at, tz).date()), 1)
        else:  # no record of taking part: from the first meeting on record he was due at, not from years before it
            since = max(month_start(started_on), month_start(timezone.localtime(first_due_at, tz).date()))
        out.append(
            Lapse(
                person_id,
                name,
                branch_id,
                branch_name,
                life_months=months_between(since, last),
                life_since=since,
                last_meeting_id=last_meeting,
            )
        )
    return out


def _members(user, perm: str) -> QuerySet | None:
    if not has_perm(user, perm):
        return None
    scope = scope_for(user, perm)
    if not (scope.everything or scope.has_orgs):
        return None
    return Membership.objects.current().visible_to(user, perm)


def lapsed(user, today: date) -> list[Lapse]:
    """The members in the user's scope on either ground, one entry per member, by branch and name.

    Organisational life in the ``meetings.change`` scope, dues in the ``dues.change`` scope (a secretary has both
    for his branch, the committee office for the tree). Two queries, whatever the number of members.
    """
    by_person: dict[int, Lapse] = {}
    members = _members(user, PERM)
    if members is not None:
        for row in _life(members, today):
            by_person[row.person_id] = row
    dues_members = _members(user, DUES_PERM)
    if dues_members is not None:
        for a in arrears_rows(dues_members, today):
            row = by_person.setdefault(a.person_id, Lapse(a.person_id, a.name, a.branch_id, a.branch_name))
            row.dues_months, row.dues_since = a.months, a.first_unpaid
    return sorted(by_person.values(), key=lambda r: (name_key(r.branch_name), name_key(r.name), r.person_id))


def citations(today: date) -> tuple[str, int]:
    """The article and the months of the organisational-life rule in force on ``today`` (shown on the page)."""
    rule = LAPSE_RULES.rule(LAPSE_LIFE_MONTHS, today)
    return rule.citation, rule.value


def home_items(user, today: date, limit: int = 10) -> list[HomeItem]:
    """The first ``limit`` members without organisational life for the rule's months, and one line for the rest;
    the dues ground has its own home items (``dues.alerts``). Two queries, the count capped as there."""
    members = _members(user, PERM)
    if members is None:
        return []
    more = reverse("compliance:lapsed")
    items = [
        HomeItem(
            "late",
            KIND,
            _("%(name)s（%(branch)s）自%(since)s起连续%(months)d个月未参加党的组织生活")
            % {"name": r.name, "branch": r.branch_name, "since": f"{r.life_since:%Y年%m月}", "months": r.life_months},
            more,
            "compliance",
            r.life_since,
            more=more,
            order=ORDER,
        )
        for r in _life(members, today, limit=limit)
    ]
    total = life_queryset(members, today).order_by()[:COUNT_CAP].count()
    if total >= COUNT_CAP:
        return listed(items, total, text=gettext_lazy("另有至少%(n)d名党员连续多月未参加组织生活"), at_least=True)
    return listed(items, total, text=gettext_lazy("另有%(n)d名党员连续多月未参加组织生活"))
