"""What the matrix, its facts and the pages count in a year: the key tasks of the year and the carriers active in it.

A carrier (any ``Attached`` record) is *active in year Y* when its span overlaps Y (``starts_on <= Y-12-31`` and
``ends_on`` empty or ``>= Y-01-01``), it is not deleted, and: a model post is approved, or was withdrawn during Y
(it stood for part of the year); a taskforce counts whatever its status (a disbanded team counts in the years it
ran); a pledge is approved (published). The two link columns put existing records in the matrix: a contact point
whose period overlaps Y, and a theme day or lecture held in Y (not cancelled), their link not removed.

Every function returns a queryset, unscoped unless ``user`` is given; ``user`` narrows it with the model's own
declaration (``visible_to(user, "integration.view")``), so a branch secretary counts only their branch's carriers.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from dangjian.meetings.models import MeetingStatus

from .models import (
    ActivityLink,
    ContactPointLink,
    JointBuilding,
    ModelPost,
    ModelPostStatus,
    Pledge,
    PledgeStatus,
    Project,
    ResponsibilityZone,
    Taskforce,
    TaskforceKind,
)

VIEW = "integration.view"

MODEL_POST, ZONE, COMMANDO, TACKLING = "model_post", "responsibility_zone", "commando_team", "tackling_team"
PLEDGE, JOINT, CONTACT_POINT, ACTIVITY = "pledge", "joint_building", "contact_point", "activity"
# the matrix's columns, in the order (§6)
CODES = (MODEL_POST, ZONE, COMMANDO, TACKLING, PLEDGE, JOINT, CONTACT_POINT, ACTIVITY)
LABELS = {
    MODEL_POST: _("党员示范岗"),
    ZONE: _("党员责任区"),
    COMMANDO: _("党员突击队"),
    TACKLING: _("党员攻关团队"),
    PLEDGE: _("党员承诺"),
    JOINT: _("支部共建"),
    CONTACT_POINT: _("党建联系点"),
    ACTIVITY: _("主题党日与业务讲座"),
}
# the column's model and the field naming its organisation (for the subtree of a fact)
MODELS: dict[str, Any] = {
    MODEL_POST: ModelPost,
    ZONE: ResponsibilityZone,
    COMMANDO: Taskforce,
    TACKLING: Taskforce,
    PLEDGE: Pledge,
    JOINT: JointBuilding,
    CONTACT_POINT: ContactPointLink,
    ACTIVITY: ActivityLink,
}
ORG_FIELD = {CONTACT_POINT: "contact_point__organization", ACTIVITY: "meeting__organization"}


def org_field(code: str) -> str:
    return ORG_FIELD.get(code, "organization")


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def spans(year: int, start: str = "starts_on", end: str = "ends_on") -> Q:
    """A span that overlaps the year."""
    first, last = year_bounds(year)
    return Q(**{f"{start}__lte": last}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": first}))


def key_tasks(year: int, user: Any = None) -> QuerySet:
    """The key tasks of the year: ``key``, not deleted, their span overlapping the year."""
    qs = Project.objects.visible_to(user, VIEW) if user is not None else Project.objects.all()
    return qs.filter(spans(year), key=True)


def _model_posts(year: int) -> QuerySet:
    first, last = year_bounds(year)
    withdrawn_in_year = Q(status=ModelPostStatus.WITHDRAWN, withdrawn_on__gte=first, withdrawn_on__lte=last)
    return ModelPost.objects.filter(spans(year)).filter(Q(status=ModelPostStatus.APPROVED) | withdrawn_in_year)


def _zones(year: int) -> QuerySet:
    return ResponsibilityZone.objects.filter(spans(year))


def _commando(year: int) -> QuerySet:
    return Taskforce.objects.filter(spans(year), kind=TaskforceKind.COMMANDO)


def _tackling(year: int) -> QuerySet:
    return Taskforce.objects.filter(spans(year), kind=TaskforceKind.TACKLING)


def _pledges(year: int) -> QuerySet:
    return Pledge.objects.filter(spans(year), status=PledgeStatus.APPROVED)


def _joint(year: int) -> QuerySet:
    return JointBuilding.objects.filter(spans(year))


def _contact_points(year: int) -> QuerySet:
    return ContactPointLink.objects.filter(
        spans(year, "contact_point__since", "contact_point__until"),
        removed_at__isnull=True,
        contact_point__deleted_at__isnull=True,
    )


def _activities(year: int) -> QuerySet:
    first, last = year_bounds(year)
    return ActivityLink.objects.filter(
        removed_at__isnull=True,
        meeting__deleted_at__isnull=True,
        meeting__starts_at__date__gte=first,
        meeting__starts_at__date__lte=last,
    ).exclude(meeting__status=MeetingStatus.CANCELLED)


_ACTIVE: dict[str, Callable[[int], QuerySet]] = {
    MODEL_POST: _model_posts,
    ZONE: _zones,
    COMMANDO: _commando,
    TACKLING: _tackling,
    PLEDGE: _pledges,
    JOINT: _joint,
    CONTACT_POINT: _contact_points,
    ACTIVITY: _activities,
}


def active(code: str, year: int, user: Any = None) -> QuerySet:
    """The carriers of column ``code`` active in ``year``; only those ``user`` sees when given."""
    qs = _ACTIVE[code](year)
    return qs.visible_to(user, VIEW) if user is not None else qs


def active_project_ids(year: int, user: Any = None) -> QuerySet:
    """The ids of the projects with at least one active carrier of any column: one query (a UNION)."""
    parts = [
        active(code, year, user).filter(project__isnull=False).order_by().values_list("project_id") for code in CODES
    ]
    first, *rest = parts
    return first.union(*rest)
