"""党员责任区: the branch sets a zone for one of its members, the member (or the branch) reports on it every month or
quarter with evidence, and the branch ends it. One report per zone and period. Every write in one transaction,
audited, scope re-checked (the member's own zone is theirs to report on); nothing is deleted.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scope import can
from dangjian.audit.services import record, snapshot
from dangjian.core.scoping import recheck
from dangjian.orgs.models import Organization, OrgKind

from . import evidence, periods
from .models import ReportEvery, ResponsibilityZone, ZoneReport
from .posts import CHANGE, VIEW, check_business, is_member_of

FIELDS = (
    "organization",
    "name",
    "member",
    "area",
    "commitments",
    "report_every",
    "project",
    "stage",
    "starts_on",
    "ends_on",
)


def create(user, data: dict) -> ResponsibilityZone:
    with transaction.atomic():
        org = recheck(Organization.objects.all(), user, CHANGE, data["organization"].pk)
        if org.kind != OrgKind.BRANCH:
            raise ValidationError({"organization": _("责任区由党支部设立")})
        check_business(user, data)
        values = {f: data.get(f) for f in FIELDS}
        values["organization"] = org
        if values.get("member") is None or not is_member_of(values["member"], org):
            raise ValidationError({"member": _("责任党员应为本支部的在册党员")})
        if values.get("ends_on") and values["ends_on"] < values["starts_on"]:
            raise ValidationError({"ends_on": _("结束日期不能早于开始日期")})
        zone = ResponsibilityZone(**values)
        zone.full_clean()
        zone.save()
        record("create", zone, after=snapshot(zone))
    return zone


def may_report(user, zone: ResponsibilityZone) -> bool:
    """The member answering for the zone, or whoever maintains its branch."""
    return bool(user.person_id and zone.member_id == user.person_id) or can(user, CHANGE, zone)


def report(
    user,
    zone_pk: int,
    *,
    period: str,
    content: str,
    results: str = "",
    reported_on: date | None = None,
    evidence_title: str = "",
    upload: Any = None,
) -> ZoneReport:
    period = (period or "").strip().upper()
    reported_on = reported_on or timezone.localdate()
    if not (content or "").strip():
        raise ValidationError({"content": _("请填写履责情况")})
    if reported_on > timezone.localdate():
        raise ValidationError({"reported_on": _("报告日期不能晚于今天")})
    with transaction.atomic():
        zone = (
            ResponsibilityZone.objects.visible_to(user, VIEW)
            .select_for_update()
            .filter(pk=zone_pk)
            .select_related("organization")
            .first()
        )
        if zone is None or not may_report(user, zone):
            raise Http404(_("对象不存在"))
        if not periods.matches(period, zone.report_every):
            if zone.report_every == ReportEvery.MONTH:
                raise ValidationError({"period": _("按月报告的报告期应写作“2026-03”（年-月）")})
            raise ValidationError({"period": _("按季度报告的报告期应写作“2026Q1”（年份Q季度）")})
        start, end = periods.bounds(period)  # type: ignore[misc]
        if start > reported_on:
            raise ValidationError({"period": _("报告期尚未开始，不能报告")})
        if end < zone.starts_on or (zone.ends_on and start > zone.ends_on):
            raise ValidationError({"period": _("报告期不在责任区的起止期间内")})
        if zone.reports.filter(period=period).exists():
            raise ValidationError(
                {
                    "period": _("责任区“%(zone)s”%(period)s的履责报告已提交，不能重复报告")
                    % {"zone": zone, "period": period}
                }
            )
        row = ZoneReport(
            zone=zone,
            period=period,
            reported_on=reported_on,
            content=content.strip(),
            results=(results or "").strip(),
            reported_by=user,
        )
        row.full_clean()
        row.save()
        record("create", row, after=snapshot(row), object_repr=f"{zone} · {period}")
        if upload is not None:
            evidence.attach(user, row, evidence_title or _("履责佐证材料"), upload)
    return row


def end(user, pk: int, *, ends_on: date) -> ResponsibilityZone:
    with transaction.atomic():
        zone = recheck(ResponsibilityZone.objects.select_related("organization"), user, CHANGE, pk)
        if zone.ends_on is not None and zone.ends_on <= timezone.localdate():
            raise ValidationError(_("该责任区已结束"))
        if ends_on is None:
            raise ValidationError({"ends_on": _("请填写结束日期")})
        if ends_on < zone.starts_on:
            raise ValidationError({"ends_on": _("结束日期不能早于开始日期")})
        before = snapshot(zone)
        zone.ends_on = ends_on
        zone.save()
        record("update", zone, before=before, after=snapshot(zone), detail={"change": "end"})
    return zone


def missing_last_report(zones: QuerySet, today: date) -> QuerySet:
    """The zones in force during their last finished period (a month or a quarter by ``report_every``) that have
    no report for it. One query, whatever the number of zones: the two periods' strings never collide."""
    last = periods.last_finished_all(today)
    due = Q()
    for every, period in last.items():
        start, end = periods.bounds(period)  # type: ignore[misc]
        due |= Q(report_every=every, starts_on__lte=end) & (Q(ends_on__isnull=True) | Q(ends_on__gte=start))
    reported = ZoneReport.objects.filter(zone=OuterRef("pk"), period__in=list(last.values()))
    return zones.filter(due).exclude(Exists(reported))


def with_last_report_flag(zones: QuerySet, today: date) -> QuerySet:
    """``zones`` annotated with ``last_missing`` (see ``missing_last_report``), for a list."""
    missing = missing_last_report(ResponsibilityZone.objects.all(), today).filter(pk=OuterRef("pk"))
    return zones.annotate(last_missing=Exists(missing))
