"""Yearly figures computed set-wise: each person's study hours, talks received, and talk coverage per branch."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone

from dangjian.meetings.models import Attendance
from dangjian.meetings.models.meeting import HELD_STATUSES

from .models import HourRate, StudyRecord, Talk

ZERO = Value(Decimal("0.0"), output_field=DecimalField(max_digits=7, decimal_places=1))


def year_bounds(year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(date(year, 1, 1), time.min, tz),
        datetime.combine(date(year + 1, 1, 1), time.min, tz),
    )


def with_hours(people: QuerySet, year: int) -> QuerySet:
    """Annotate ``meeting_hours``, ``study_hours`` and ``hours`` for the year, in one query."""
    start, end = year_bounds(year)
    rates = [When(meeting__kind=r.kind, then=Value(r.hours)) for r in HourRate.objects.all()]
    credited = Case(*rates, default=ZERO, output_field=DecimalField(max_digits=7, decimal_places=1))
    attended = (
        Attendance.objects.filter(
            person=OuterRef("pk"),
            status__in=["present", "elsewhere"],
            meeting__status__in=HELD_STATUSES,
            meeting__deleted_at__isnull=True,
            meeting__starts_at__gte=start,
            meeting__starts_at__lt=end,
        )
        .values("person")
        .annotate(total=Sum(credited))
        .values("total")
    )
    studied = (
        StudyRecord.objects.filter(person=OuterRef("pk"), studied_on__year=year)
        .values("person")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    return people.annotate(
        meeting_hours=Coalesce(Subquery(attended), ZERO),
        study_hours=Coalesce(Subquery(studied), ZERO),
    ).annotate(hours=F("meeting_hours") + F("study_hours"))


def leader_in(year: int) -> Exists:
    """Whether the person (``OuterRef("pk")``) held a committee post in a term in office during ``year``: elected
    by the year's end and not yet replaced by a later term of the same organisation at the year's start."""
    from dangjian.orgs.models import CommitteePost, CommitteeTerm

    replaced = CommitteeTerm.objects.filter(
        organization=OuterRef("term__organization"),
        elected_on__gt=OuterRef("term__elected_on"),
        elected_on__lte=date(year, 1, 1),
    )
    return Exists(
        CommitteePost.objects.filter(person=OuterRef("pk"), term__elected_on__lte=date(year, 12, 31)).exclude(
            Exists(replaced)
        )
    )


def with_required_hours(people: QuerySet, year: int, members: int | None, leaders: int | None) -> QuerySet:
    """Annotate ``is_leader`` and ``required_hours``: the members' minimum, or the leaders' for secretaries and
    committee members (null where no rule is known for the year, so that nobody is marked short)."""
    required: Any = Value(members, output_field=IntegerField())
    if leaders is not None:
        required = Case(When(is_leader=True, then=Value(leaders)), default=Value(members), output_field=IntegerField())
    return people.annotate(is_leader=leader_in(year)).annotate(required_hours=required)


def with_talks(people: QuerySet, year: int) -> QuerySet:
    """Annotate ``talks`` (talks received in the year) and ``talked`` (at least one)."""
    received = Talk.objects.filter(talkee=OuterRef("pk"), held_on__year=year)
    return people.annotate(
        talks=Coalesce(Subquery(received.values("talkee").annotate(n=Count("id")).values("n")), Value(0)),
        talked=Exists(received),
    )


def talk_coverage(memberships: QuerySet, year: int, minimum: int = 1) -> list[dict]:
    """Per branch: members, and members talked with at least ``minimum`` times this year — one grouped query.

    ``minimum`` is the rule table's ``talks.min_per_member_per_year`` for that year. A membership that began after
    the year (joined or transferred in since) is left out: the member was not the branch's to talk with that year,
    and counting them made a past year's coverage fall with every member who joined later.
    """
    memberships = memberships.filter(started_on__lte=date(year, 12, 31))
    talks = Talk.objects.filter(talkee=OuterRef("person"), held_on__year=year)
    if minimum <= 1:
        annotated = memberships.annotate(talked=Exists(talks))
    else:
        counted = talks.order_by().values("talkee").annotate(n=Count("id")).values("n")
        annotated = memberships.annotate(talked=GreaterThanOrEqual(Coalesce(Subquery(counted), 0), minimum))
    rows = (
        annotated.values("organization_id", "organization__name")
        .annotate(members=Count("id"), covered=Count("id", filter=Q(talked=True)))
        .order_by("organization__path")
    )
    return [{**row, "missing": row["members"] - row["covered"]} for row in rows]
