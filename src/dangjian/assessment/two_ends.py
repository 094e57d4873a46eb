"""The write side of 抓两头促中间 (issue 14 §3) over a signed cycle: the office grants a top unit a title (先进党支部 or
标杆党支部) or withdraws one granted by mistake (with the reason), records a 约谈 with a 后进 unit, and rates every unit
of the cycle 星级党支部 (``stars``, thresholds and quotas from the rule store).

Who: the committee office over the whole tree (``assessment.manage``), as for the cycle's ranking. Each function is
one intention, one transaction, one audit event per row written; nothing is deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.audit.services import record, record_many, snapshot
from dangjian.rules import services as rule_store

from . import results, stars
from .models import AssessmentCycle, CycleStatus, CycleUnit, Interview, StarRating, Title, TitleKind
from .rule_data import (
    ASSESSMENT_RULES,
    BOTTOM_BELOW,
    BOTTOM_PERCENT,
    STAR_LEVELS,
    TOP_COUNT,
    TOP_PERCENT,
    star_minimum,
    star_quota,
)
from .services import require_manage

SIGNED = (CycleStatus.SIGNED, CycleStatus.PUBLISHED)


def is_signed(cycle: AssessmentCycle) -> bool:
    return cycle.status in SIGNED


def _signed_cycle(user: Any, cycle_id: int) -> AssessmentCycle:
    require_manage(user)
    cycle = AssessmentCycle.objects.select_for_update().filter(pk=cycle_id).first()
    if cycle is None:
        raise Http404(_("对象不存在"))
    if not is_signed(cycle):
        raise ValidationError(_("考核周期签批后才能抓两头促中间"))
    return cycle


def _member(cycle: AssessmentCycle, unit_id: int) -> CycleUnit:
    member = CycleUnit.objects.filter(cycle=cycle, organization_id=unit_id).select_related("organization").first()
    if member is None:
        raise Http404(_("对象不存在"))
    return member


def grant(user: Any, cycle_id: int, unit_id: int, kind: str) -> Title:
    """先进党支部 / 标杆党支部 of the cycle's year for one of its units; a title already held is refused."""
    if kind not in TitleKind.values:
        raise ValidationError(_("请选择称号"))
    with transaction.atomic():
        cycle = _signed_cycle(user, cycle_id)
        org = _member(cycle, unit_id).organization
        if Title.objects.filter(organization=org, year=cycle.year, kind=kind, withdrawn_at__isnull=True).exists():
            raise ValidationError(_("该单位已获得本年度的这一称号"))
        title = Title.objects.create(
            organization=org, year=cycle.year, kind=kind, cycle=cycle, granted_by=user, granted_at=timezone.now()
        )
        record("create", title, after=snapshot(title), detail={"organization": org.pk})
    return title


def withdraw(user: Any, title_id: int, reason: str) -> Title:
    if not reason.strip():
        raise ValidationError({"reason": _("请填写撤销原因")})
    with transaction.atomic():
        require_manage(user)
        title = Title.objects.select_for_update().filter(pk=title_id).first()
        if title is None:
            raise Http404(_("对象不存在"))
        if title.withdrawn_at is not None:
            raise ValidationError(_("该称号已撤销"))
        before = snapshot(title)
        title.withdrawn_at, title.withdrawn_reason, title.withdrawn_by = timezone.now(), reason.strip()[:300], user
        title.save()
        record("update", title, before=before, after=snapshot(title), detail={"change": "withdraw"})
    return title


@dataclass
class InterviewData:
    held_on: date
    attendees: str
    notes: str


def record_interview(user: Any, cycle_id: int, unit_id: int, data: InterviewData) -> Interview:
    """约谈 with a unit of the cycle (the page offers it for the 后进 units; the office may talk to any unit)."""
    errors = {}
    if not data.attendees.strip():
        errors["attendees"] = _("请填写参加人员")
    if not data.notes.strip():
        errors["notes"] = _("请填写约谈内容")
    if data.held_on and data.held_on > timezone.localdate():
        errors["held_on"] = _("约谈日期不能晚于今天")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        cycle = _signed_cycle(user, cycle_id)
        org = _member(cycle, unit_id).organization
        item = Interview.objects.create(
            organization=org,
            cycle=cycle,
            held_on=data.held_on,
            attendees=data.attendees.strip(),
            notes=data.notes.strip(),
            recorded_by=user,
        )
        record("create", item, after=snapshot(item), detail={"organization": org.pk})
    return item


def levels(on: date) -> list[stars.Level]:
    """The star levels in force on ``on`` from the rule store (本单位设置); a quota of 100 % is no quota."""
    table = rule_store.table(ASSESSMENT_RULES)
    out = []
    for s in STAR_LEVELS:
        quota = Decimal(str(table.value(star_quota(s), on)))
        out.append(
            stars.Level(s, Decimal(str(table.value(star_minimum(s), on))), None if quota >= 100 else quota / 100)
        )
    return out


def rate(user: Any, cycle_id: int) -> list[StarRating]:
    """Every unit of the signed cycle rated for the cycle's year; a unit's earlier rating of that year is kept as
    history (``current=False``), and last year's current rating gives ``previous_stars``."""
    with transaction.atomic():
        cycle = _signed_cycle(user, cycle_id)
        rows = results.results(cycle, compare=False).rows
        totals = {r.organization.pk: r.result.total for r in rows}
        vetoed = {r.organization.pk for r in rows if r.result.veto}
        assigned = stars.assign(totals, levels(date(cycle.year, 12, 31)), vetoed)
        last_year = dict(
            StarRating.objects.filter(organization_id__in=totals, year=cycle.year - 1, current=True).values_list(
                "organization_id", "stars"
            )
        )
        replaced = list(StarRating.objects.filter(organization_id__in=totals, year=cycle.year, current=True))
        StarRating.objects.filter(pk__in=[r.pk for r in replaced]).update(current=False)
        now = timezone.now()
        made = StarRating.objects.bulk_create(
            StarRating(
                organization_id=pk,
                year=cycle.year,
                stars=assigned[pk],
                total=totals[pk],
                previous_stars=last_year.get(pk),
                cycle=cycle,
                set_by=user,
                set_at=now,
            )
            for pk in totals
        )
        entries: list[dict[str, Any]] = [
            {"action": "update", "obj": r, "before": {"current": True}, "after": {"current": False}} for r in replaced
        ]
        entries += [{"action": "create", "obj": r, "after": snapshot(r), "detail": {"cycle": cycle.pk}} for r in made]
        record_many(entries)
    return made


def defaults(on: date) -> dict[str, Decimal]:
    """The page's starting choices for the two ends, from the rule store."""
    table = rule_store.table(ASSESSMENT_RULES)
    return {k: Decimal(str(table.value(k, on))) for k in (TOP_COUNT, TOP_PERCENT, BOTTOM_BELOW, BOTTOM_PERCENT)}
