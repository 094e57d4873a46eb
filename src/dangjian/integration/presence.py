"""Member presence (issue 15 §5): the carriers a person belongs to — model posts held, responsibility zones,
places on commando and tackling teams, this year's pledge — on their record page and their home.

Four queries per person, whatever the number of carriers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from dangjian.core import mine
from dangjian.core.contributions import HomeItem

from .active import VIEW
from .models import ModelPost, ModelPostStatus, Pledge, ResponsibilityZone, Taskforce, TaskforceMember

SHOWN = 10  # of each kind on the record page


@dataclass
class Presence:
    posts: list[Any] = field(default_factory=list)
    zones: list[Any] = field(default_factory=list)
    teams: list[Any] = field(default_factory=list)  # roster places, with their taskforce
    pledge: Any = None

    @property
    def empty(self) -> bool:
        return not (self.posts or self.zones or self.teams or self.pledge)


def _now(qs, today: date, start: str = "starts_on", end: str = "ends_on"):
    return qs.filter(Q(**{f"{start}__lte": today}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": today})))


def presence(person_id: int, today: date, user: Any = None) -> Presence:
    """The person's carriers in force ``today`` (only those ``user`` sees, when given). Four queries."""

    def seen(qs):
        return qs.visible_to(user, VIEW) if user is not None else qs

    posts = seen(_now(ModelPost.objects.filter(holder_id=person_id, status=ModelPostStatus.APPROVED), today))
    zones = seen(_now(ResponsibilityZone.objects.filter(member_id=person_id), today))
    teams = seen(_now(Taskforce.objects.filter(status="active"), today))
    places = (
        TaskforceMember.objects.filter(person_id=person_id, left_on__isnull=True, taskforce__in=teams.values("pk"))
        .select_related("taskforce__organization", "taskforce__project")
        .order_by("-taskforce__starts_on", "pk")
    )
    pledge = seen(Pledge.objects.filter(person_id=person_id, year=today.year)).select_related("project").first()
    return Presence(
        posts=list(posts.select_related("organization", "project").order_by("-starts_on", "pk")[:SHOWN]),
        zones=list(zones.select_related("organization", "project").order_by("-starts_on", "pk")[:SHOWN]),
        teams=list(places[:SHOWN]),
        pledge=pledge,
    )


def _link(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return reverse("integration:matrix")


def home_items(user, today: date) -> list[HomeItem]:
    """A member's carriers under "我的记录" with this year's pledge and its state (a pledge not yet written is the
    pledges' own to-do, ``team_home``). Four queries."""
    person_id = mine.own_person_id(user)
    if person_id is None:
        return []
    p = presence(person_id, today)
    out: list[HomeItem] = []

    def record(text: str, link: str) -> None:
        out.append(HomeItem("info", mine.MY_RECORD, text, link, mine.SOURCE, order=mine.ORDER_RECORD))

    for post in p.posts:
        record(_("党员示范岗：%(name)s") % {"name": post.name}, _link("integration:post_detail", post.pk))
    for z in p.zones:
        record(_("党员责任区：%(name)s") % {"name": z.name}, _link("integration:zone_detail", z.pk))
    for place in p.teams:
        team = place.taskforce
        values = {"kind": team.get_kind_display(), "name": team.name, "role": place.get_role_display()}
        record(_("%(kind)s：%(name)s（%(role)s）") % values, _link("integration:taskforce_detail", team.pk))
    if p.pledge is not None:
        values = {"year": today.year, "status": p.pledge.get_status_display()}
        record(_("%(year)d年党员承诺：%(status)s") % values, _link("integration:pledge_detail", p.pledge.pk))
    return out
