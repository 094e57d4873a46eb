"""所领导与基层单位"联席" (issue 15 §4): a leader meets a grassroots unit — topics, decisions, a follow-up with its
due date — and the count per leader for a year, read together with the leader's contact points and their visits.

The unit's maintainers (its secretary, the office above it: ``integration.change``) record the meeting and mark
the follow-up done; a leader sees their own 联席.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.models import RoleAssignment
from dangjian.accounts.roles import Role
from dangjian.accounts.scope import scope_for
from dangjian.audit.services import record, snapshot
from dangjian.core.scoping import recheck
from dangjian.orgs.models import CommitteePost, CommitteeTerm, Organization, OrgKind
from dangjian.people.models import Membership, Person
from dangjian.talks import services as talks
from dangjian.talks.models import ContactPoint, ContactVisit

from .links import ancestor_paths
from .models import LeaderLiaison

VIEW = "integration.view"
CHANGE = "integration.change"


def eligible_leaders(user, on: date | None = None, unit: Organization | None = None):
    """The leaders a 联席 may be recorded with: the same 党员领导干部 who hold contact points (``talks.services.
    leaders``: the sitting members of a 党委 and the leader-role holders, current party members), seen from the
    unit — the 党委 above ``unit`` (or above the units the user maintains) and the leaders assigned there — as well
    as those the office assigns contact points to. A branch secretary records the 联席 of their branch with the
    institute's leaders, who sit outside the branch."""
    on = on or timezone.localdate()
    if unit is not None:
        paths = [unit.path]
        inside = Q(pk__in=[])
    else:
        scope = scope_for(user, CHANGE)
        paths = [*scope.subtree_paths, *scope.exact_paths]
        inside = scope.org_q("path") if (scope.everything or scope.has_orgs) else Q(pk__in=[])
    above = Q(path__in=ancestor_paths(paths)) | inside
    committees = Organization.objects.filter(above, kind=OrgKind.COMMITTEE).values("pk")
    replaced = CommitteeTerm.objects.filter(
        organization=OuterRef("term__organization"), elected_on__gt=OuterRef("term__elected_on"), elected_on__lte=on
    )
    sitting = (
        CommitteePost.objects.filter(term__organization__in=committees, term__elected_on__lte=on)
        .exclude(Exists(replaced))
        .values("person_id")
    )
    assigned = Organization.objects.filter(above).values("pk")
    holders = RoleAssignment.objects.active().filter(role=Role.LEADER, user__is_active=True, organization__in=assigned)
    members = Membership.objects.current().values("person_id")
    return (
        Person.objects.filter(
            Q(pk__in=sitting)
            | Q(pk__in=holders.values("user__person_id"))
            | Q(pk__in=talks.leaders(user, on).values("pk"))
        )
        .filter(pk__in=members)
        .order_by("sort_key", "name", "pk")
    )


def record_liaison(user, data: dict[str, Any]) -> LeaderLiaison:
    with transaction.atomic():
        org = recheck(Organization.objects.all(), user, CHANGE, data["organization"].pk)
        leader = data.get("leader")
        if leader is None or not eligible_leaders(user, data["held_on"], org).filter(pk=leader.pk).exists():
            raise ValidationError({"leader": _("只能记录党委委员或持有领导角色账号的党员领导干部参加的联席")})
        if data["held_on"] > timezone.localdate():
            raise ValidationError({"held_on": _("联席日期不能晚于今天")})
        follow_up = (data.get("follow_up") or "").strip()
        due = data.get("follow_up_due")
        if due is not None and not follow_up:
            raise ValidationError({"follow_up": _("填写落实期限时请写明跟进落实事项")})
        if due is not None and due < data["held_on"]:
            raise ValidationError({"follow_up_due": _("落实期限不能早于联席日期")})
        liaison = LeaderLiaison(
            leader=leader,
            organization=org,
            held_on=data["held_on"],
            topics=data["topics"].strip(),
            decisions=(data.get("decisions") or "").strip(),
            follow_up=follow_up,
            follow_up_due=due,
            created_by=user,
        )
        liaison.full_clean()
        liaison.save()
        record("create", liaison, after=snapshot(liaison))
    return liaison


def mark_follow_up_done(user, liaison_id: int, done_on: date) -> LeaderLiaison:
    with transaction.atomic():
        liaison = recheck(LeaderLiaison.objects.all(), user, CHANGE, liaison_id)
        if not liaison.follow_up:
            raise ValidationError(_("该联席没有需要跟进落实的事项"))
        if liaison.follow_up_done_on is not None:
            raise ValidationError(_("该联席的跟进事项已于 %(d)s 落实") % {"d": liaison.follow_up_done_on})
        if done_on < liaison.held_on:
            raise ValidationError({"done_on": _("落实日期不能早于联席日期")})
        if done_on > timezone.localdate():
            raise ValidationError({"done_on": _("落实日期不能晚于今天")})
        before = snapshot(liaison)
        liaison.follow_up_done_on = done_on
        liaison.save(update_fields=["follow_up_done_on", "updated_at"])
        record("update", liaison, before=before, after=snapshot(liaison), detail={"change": "follow_up_done"})
    return liaison


@dataclass
class LeaderYear:
    leader: Person
    liaisons: int
    points: int
    visits: int


def per_leader(user, year: int) -> list[LeaderYear]:
    """Each leader with a 联席 or a contact point the user sees in ``year``: their 联席, the contact points held
    that year and the visits to them. Four queries, whatever the number of leaders."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    liaisons = dict(
        LeaderLiaison.objects.visible_to(user, VIEW)
        .filter(held_on__gte=start, held_on__lte=end)
        .values("leader_id")
        .annotate(n=Count("id"))
        .values_list("leader_id", "n")
    )
    points = (
        ContactPoint.objects.visible_to(user, talks.VIEW)
        .filter(since__lte=end)
        .filter(Q(until__isnull=True) | Q(until__gte=start))
    )
    held = dict(points.values("leader_id").annotate(n=Count("id")).values_list("leader_id", "n"))
    visits = dict(
        ContactVisit.objects.filter(contact_point__in=points.values("pk"), visited_on__gte=start, visited_on__lte=end)
        .values("contact_point__leader_id")
        .annotate(n=Count("id"))
        .values_list("contact_point__leader_id", "n")
    )
    ids = set(liaisons) | set(held)
    people = Person.all_objects.filter(pk__in=ids).order_by("sort_key", "name", "pk")
    return [LeaderYear(p, liaisons.get(p.pk, 0), held.get(p.pk, 0), visits.get(p.pk, 0)) for p in people]
