"""Writes for talks, study records, contact points and hour rates; each audited, scope re-checked.

The pages and the API call the same functions, so a write answers the same from either channel.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts.models import RoleAssignment
from dangjian.accounts.roles import Role
from dangjian.accounts.scope import WHOLE_TREE, can
from dangjian.audit.services import record, snapshot
from dangjian.core.scoping import recheck
from dangjian.orgs.models import CommitteePost, CommitteeTerm, Organization, OrgKind
from dangjian.people.models import Membership, Person

from .models import ContactPoint, ContactVisit, HourRate, StudyRecord, Talk

# The permission names of the pages before the app had its own name; roles and saved assignments use them.
VIEW = "life.view"
CHANGE = "life.change"
ASSIGN = "life.assign"
MAX_RATE = Decimal("24")  # hours credited for one meeting: no meeting lasts longer than a day
NO_LEADERS = gettext_lazy(
    "暂无可选的领导：党建联系点由党委委员或持有领导角色账号的党员领导干部联系，请先录入党委届次及委员"
)
LEADER_REQUIRED = gettext_lazy("只能为党委委员或持有领导角色账号的党员领导干部设立党建联系点")


def leaders(user, on: date | None = None):
    """Who may hold a contact point in the subtree ``user`` assigns over: its 党员领导干部.

    党建联系点 are kept by the members of the party committee's 班子: "每个党委班子成员都要结合分管工作，确定1-2个
    基层支部作为自己的党建工作联系点" (党委班子成员党建联系点制度, a common local rule; 参考做法 S), and a 机关党委's
    rule says the same of its members ("每位党委委员固定联系1-4个党支部"). So: the members of the sitting term of
    every 党委 (not 党总支 or 支部) in scope — the latest term elected by ``on``, which stays in office past its
    end until the next election — and the people whose accounts hold the leader role (a 所领导 outside the
    committee). Both must be current party members (the points are for 党员领导干部).
    """
    on = on or timezone.localdate()
    committees = Organization.objects.visible_to(user, ASSIGN).filter(kind=OrgKind.COMMITTEE).values("pk")
    replaced = CommitteeTerm.objects.filter(
        organization=OuterRef("term__organization"), elected_on__gt=OuterRef("term__elected_on"), elected_on__lte=on
    )
    sitting = (
        CommitteePost.objects.filter(term__organization__in=committees, term__elected_on__lte=on)
        .exclude(Exists(replaced))
        .values("person_id")
    )
    role_holders = RoleAssignment.objects.active().filter(role=Role.LEADER, user__is_active=True)
    members = Membership.objects.current().values("person_id")
    return (
        Person.objects.visible_to(user, ASSIGN)
        .filter(Q(pk__in=sitting) | Q(pk__in=role_holders.values("user__person_id")))
        .filter(pk__in=members)
        .order_by("sort_key", "name", "pk")
    )


def assignable_branches(user):
    """The active branches inside the subtree the user assigns contact points over (an institute's office: its
    own institute)."""
    return Organization.objects.visible_to(user, ASSIGN).active().filter(kind="branch").order_by("path")


def record_talk(user, data: dict) -> Talk:
    with transaction.atomic():
        org = recheck(Organization.objects.all(), user, CHANGE, data["organization"].pk)
        visible = Person.objects.visible_to(user, CHANGE)
        for role in ("talker", "talkee"):
            if not visible.filter(pk=data[role].pk).exists():
                raise ValidationError({role: _("该人员不在您的管理范围内")})
        talk = Talk(**{**data, "organization": org})
        talk.full_clean()
        talk.save()
        record("create", talk, after=snapshot(talk))
    return talk


def add_study(user, data: dict) -> StudyRecord:
    with transaction.atomic():
        person = recheck(Person.objects.all(), user, CHANGE, data["person"].pk)
        row = StudyRecord(**{**data, "person": person})
        row.full_clean()
        row.save()
        record("create", row, after=snapshot(row))
    return row


def assign_contact_point(user, data: dict) -> ContactPoint:
    """The office assigns a leader a contact point inside the subtree it holds ``life.assign`` over."""
    organization = data.get("organization")
    if not (can(user, ASSIGN) and (organization is None or can(user, ASSIGN, organization))):
        raise ValidationError(_("只有党委办公室可以在其管理范围内设立党建联系点"))
    with transaction.atomic():
        leader = data.get("leader")
        if leader is not None and not leaders(user).filter(pk=leader.pk).exists():
            raise ValidationError({"leader": LEADER_REQUIRED})
        point = ContactPoint(**data)
        point.full_clean()
        if point.until and point.until < point.since:
            raise ValidationError({"until": _("结束日期不能早于起始日期")})
        point.save()
        record("create", point, after=snapshot(point))
    return point


def record_visit(user, point_id: int, data: dict) -> ContactVisit:
    """The leader records a visit to their own contact point, or the committee office does it for them."""
    with transaction.atomic():
        point = ContactPoint.objects.select_for_update().filter(pk=point_id).first()
        if point is None or not (point.leader_id == user.person_id or can(user, ASSIGN, point)):
            raise Http404
        if point.since > data["visited_on"] or (point.until and data["visited_on"] > point.until):
            raise ValidationError({"visited_on": _("调研日期不在联系点的起止期间内")})
        visit = ContactVisit(contact_point=point, created_by=user, **data)
        visit.full_clean()
        visit.save()
        record("create", visit, after=snapshot(visit))
    return visit


def set_hour_rates(user, rates: dict[str, Decimal]) -> int:
    """New hours per meeting kind; kinds left out keep theirs. Returns how many changed."""
    if not can(user, "rules.edit", WHOLE_TREE):  # the rates count for every organisation
        raise ValidationError(_("只有党委办公室可以进行此项设置"))
    wrong = {kind: _("学时应在0到24之间") for kind, hours in rates.items() if not 0 <= hours <= MAX_RATE}
    if wrong:
        raise ValidationError(wrong)
    changed = 0
    with transaction.atomic():
        for rate in HourRate.objects.select_for_update():
            new = rates.get(rate.kind)
            if new is not None and new != rate.hours:
                before = snapshot(rate)
                rate.hours = new
                rate.full_clean()
                rate.save(update_fields=["hours", "updated_at"])
                record("update", rate, before=before, after=snapshot(rate))
                changed += 1
    return changed
