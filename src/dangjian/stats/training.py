"""T3 党员教育培训情况: the year's training of the members on the rolls on 31 December.

Hours as the study-hours page counts them (``talks.figures.with_hours``: meetings attended, credited at the
office's hour rates, plus study records), but summed set-wise — one grouped query for the meetings and one for
the study records — instead of two correlated subqueries per member, which a whole group cannot afford. The same
sets give the figures and the names behind them.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Case, Count, DecimalField, Q, Sum, Value, When
from django.utils.translation import gettext_lazy as _

from dangjian.meetings.models import Attendance
from dangjian.meetings.models.meeting import HELD_STATUSES
from dangjian.people.models import Person
from dangjian.talks.figures import year_bounds
from dangjian.talks.models import HourRate, StudyRecord

from .flows import on_rolls
from .reuse import reused
from .scope import Period, Subtree
from .tables import ONE, Line, min_training_hours

TITLE = _("党员教育培训情况")
NOTE = _("学时含参加组织生活按学时标准折算的学时和其他学习记录；达标学时按学习学时规则（规则与依据）。")


def rows(period: Period) -> list[Line]:
    need = min_training_hours(period.end)
    return [
        Line("total", _("年底党员数")),
        Line("trained", _("参加学习培训的党员")),
        Line("lecture", _("其中：参加党课")),
        Line("study", _("其中：参加其他集中学习培训")),
        Line("enough", _("累计学时达到%(n)s学时") % {"n": need}),
        Line("none", _("未参加学习培训")),
    ]


COLUMNS = ONE


def people(scope: Subtree, period: Period) -> dict[str, set[int]]:
    """Each row's persons: four queries whatever the subtree."""
    members = on_rolls(scope, period.end).values("person_id")
    total = set(members.values_list("person_id", flat=True))
    start, end = year_bounds(period.year)
    rates = {r.kind: r.hours for r in HourRate.objects.all()}
    # each member's credited hours summed in the database (the rate of each attended meeting's kind), and whether
    # they attended a 党课: one row a member, where rows per member and kind were several times as many to sort
    # and to read (a group's year: two million attendances)
    credited = Case(
        *[When(meeting__kind=kind, then=Value(hours)) for kind, hours in rates.items()],
        default=Value(Decimal(0)),
        output_field=DecimalField(max_digits=12, decimal_places=1),
    )
    attended = (
        Attendance.objects.filter(
            person_id__in=members,
            status__in=["present", "elsewhere"],
            meeting__status__in=HELD_STATUSES,
            meeting__deleted_at__isnull=True,
            meeting__starts_at__gte=start,
            meeting__starts_at__lt=end,
        )
        .order_by()
        .values("person_id")
        .annotate(h=Sum(credited), lectures=Count("id", filter=Q(meeting__kind="lecture")))
        .values_list("person_id", "h", "lectures")
    )
    hours: dict[int, Decimal] = defaultdict(Decimal)
    lecture: set[int] = set()
    for person_id, h, lectures in attended:
        hours[person_id] += h or Decimal(0)
        if lectures:
            lecture.add(person_id)
    studied = (
        StudyRecord.objects.filter(person_id__in=members, studied_on__year=period.year)
        .values_list("person_id")
        .annotate(h=Sum("hours"))
    )
    study: set[int] = set()
    for person_id, h in studied:
        if h:
            hours[person_id] += h
            study.add(person_id)
    need = min_training_hours(period.end)
    trained = {p for p in total if hours.get(p, 0) > 0}
    return {
        "total": total,
        "trained": trained,
        "lecture": lecture & total,
        "study": study & total,
        "enough": {p for p in total if hours.get(p, 0) >= need},
        "none": total - trained,
    }


def reused_people(scope: Subtree, period: Period) -> dict[str, set[int]]:
    """``people``, reused while the data are unchanged (``reuse``): one query when reused."""
    return reused("training", scope, period, lambda: people(scope, period))


def listed(scope: Subtree, period: Period) -> tuple[dict[str, set[int]], list[int]]:
    """``people`` and the year-end members' ids in the drill-down lists' order (sort key, name, id), reused: a
    page of a row's list is a slice of ids, not a database sort of the tens of thousands of a group's members."""

    def compute() -> tuple[dict[str, set[int]], list[int]]:
        members = on_rolls(scope, period.end).values("person_id")
        ordered = Person.objects.filter(pk__in=members).order_by("sort_key", "name", "id")
        return reused_people(scope, period), list(ordered.values_list("id", flat=True))

    return reused("training-listed", scope, period, compute)
