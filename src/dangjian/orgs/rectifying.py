"""The write side of 软弱涣散 整顿 (``Rectifying``): the committee office puts a weak organisation under rectification
and lifts it when the committee finds it rectified. One intention, one transaction, one audit event each.

Who: the committee office over the organisation — the office's power ``assessment.manage`` (accounts.roles
OFFICE_POWERS), never the organisation's own secretary, who would otherwise lift their own status.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scope import can
from dangjian.audit.services import record, snapshot
from dangjian.core.scoping import recheck

from .models import Organization, Rectifying

PERM = "assessment.manage"


def may_decide(user: Any, org: Organization) -> bool:
    return can(user, PERM, org)


def current(org: Organization) -> Rectifying | None:
    return Rectifying.objects.open().filter(organization=org).select_related("set_by").first()


def start(user: Any, org_id: int, *, started_on: date, reason: str) -> Rectifying:
    """列入软弱涣散整顿: refused while a period is open (one at a time) and for a date still to come."""
    if not reason.strip():
        raise ValidationError({"reason": _("请填写列入整顿的原因")})
    if started_on > timezone.localdate():
        raise ValidationError({"started_on": _("列入整顿日期不能晚于今天")})
    with transaction.atomic():
        org = recheck(Organization.objects.all(), user, PERM, org_id)
        if Rectifying.objects.open().filter(organization=org).exists():
            raise ValidationError(_("该组织已在软弱涣散整顿中"))
        period = Rectifying.objects.create(organization=org, started_on=started_on, reason=reason.strip(), set_by=user)
        record("create", period, after=snapshot(period), detail={"organization": org.pk})
    return period


def lift(user: Any, org_id: int, *, lifted_on: date, reason: str) -> Rectifying:
    """The committee lifts the status (整顿摘帽); the period is kept with who lifted it, when and why."""
    if not reason.strip():
        raise ValidationError({"reason": _("请填写摘帽理由")})
    with transaction.atomic():
        org = recheck(Organization.objects.all(), user, PERM, org_id)
        period = Rectifying.objects.open().filter(organization=org).select_for_update().first()
        if period is None:
            raise ValidationError(_("该组织不在软弱涣散整顿中"))
        if lifted_on < period.started_on:
            raise ValidationError({"lifted_on": _("摘帽日期不能早于列入整顿日期")})
        before = snapshot(period)
        period.lifted_on, period.lifted_reason, period.lifted_by = lifted_on, reason.strip(), user
        period.save()
        record("update", period, before=before, after=snapshot(period), detail={"change": "lift"})
    return period
