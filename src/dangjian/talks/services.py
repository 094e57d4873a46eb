"""Writes for talks, study records, contact points and hour rates; each audited, scope re-checked.

The pages and the API call the same functions, so a write answers the same from either channel.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from dangjian.accounts.scope import WHOLE_TREE, can
from dangjian.audit.services import record, snapshot
from dangjian.core.scoping import recheck
from dangjian.orgs.models import Organization
from dangjian.people.models import Person

from .models import ContactPoint, ContactVisit, HourRate, StudyRecord, Talk

# The permission names of the pages before the app had its own name; roles and saved assignments use them.
VIEW = "life.view"
CHANGE = "life.change"
ASSIGN = "life.assign"
MAX_RATE = Decimal("24")  # hours credited for one meeting: no meeting lasts longer than a day


def leaders():
    """Who may hold a contact point: people with the leader role (领导干部联系点)."""
    return Person.objects.filter(user__assignments__role="leader").distinct()


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
