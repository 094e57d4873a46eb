"""A cycle's course: 已开启 → 自评中 → 审核中 → 已签批 → 已公布, and the office's band adjustments (定档调整).

Each step is the office's (over the whole tree, ``services.require_manage``), one transaction with the cycle row
locked, and one audit event with the status before and after. The rules (issue 14 §2):

- review may start while some units have not submitted their self-assessment — the office confirms it explicitly,
  and the units left out are named in the audit event;
- sign-off (签批) is refused, with every reason at once, while a manual item is unscored or disputed, or while a
  band holds more units than its quota (名额) — the message names how many units must move down; the office moves
  them with a band adjustment, which only ever lowers a band and keeps the total and rank (what the unit earned
  stays visible; only its place among the bands changes);
- publication sets the objection window's last day (today at the earliest).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.audit.services import record, snapshot

from . import manual_scores, ranking, results
from .models import AssessmentCycle, BandAdjustment, CycleStatus, CycleUnit, Objection, ObjectionStatus, SelfAssessment
from .services import require_manage

# the order of the stepper on the cycle's page
STEPS = (
    CycleStatus.OPEN,
    CycleStatus.SELF_ASSESSMENT,
    CycleStatus.REVIEW,
    CycleStatus.SIGNED,
    CycleStatus.PUBLISHED,
)
# a band is adjusted before the cycle is signed off; after, the signed bands stand
ADJUSTABLE = (CycleStatus.OPEN, CycleStatus.SELF_ASSESSMENT, CycleStatus.REVIEW)
# the next step from each status: (action, button label)
NEXT = {
    CycleStatus.OPEN: ("self_assessment", gettext_lazy("开始自评")),
    CycleStatus.SELF_ASSESSMENT: ("review", gettext_lazy("开始审核")),
    CycleStatus.REVIEW: ("sign", gettext_lazy("签批")),
    CycleStatus.SIGNED: ("publish", gettext_lazy("公布结果")),
}


def _locked(pk: int) -> AssessmentCycle:
    cycle = AssessmentCycle.objects.select_for_update(of=("self",)).select_related("system").filter(pk=pk).first()
    if cycle is None:
        raise Http404(_("对象不存在"))
    return cycle


def _require_status(cycle: AssessmentCycle, *allowed: str) -> None:
    if cycle.status not in allowed:
        raise ValidationError(_("考核周期当前为“%(status)s”，不能进行此操作") % {"status": cycle.get_status_display()})


def _move(
    cycle: AssessmentCycle, to: str, *, fields: tuple[str, ...] = (), detail: dict[str, Any] | None = None
) -> None:
    before = cycle.status
    cycle.status = to
    cycle.save(update_fields=["status", *fields])
    row = snapshot(cycle)
    after: dict[str, Any] = {"status": to}
    for name in fields:
        after[name] = row[AssessmentCycle._meta.get_field(name).attname]
    record("update", cycle, before={"status": before}, after=after, detail=detail, object_repr=str(cycle))


def unsubmitted(cycle: AssessmentCycle) -> list[tuple[int, str]]:
    """The cycle's units without a submitted self-assessment (id, name), in tree order: one query."""
    submitted = SelfAssessment.objects.filter(cycle=cycle, submitted_at__isnull=False).values("unit_id")
    return list(
        CycleUnit.objects.filter(cycle=cycle)
        .exclude(organization_id__in=submitted)
        .order_by("organization__path")
        .values_list("organization_id", "organization__name")
    )


def figures(cycle: AssessmentCycle) -> dict[str, int]:
    """The progress the cycle's page shows: self-assessments submitted of all units, manual items scored and
    disputed of all items (a constant number of queries)."""
    units = cycle.cycle_units.count()
    submitted = (
        SelfAssessment.objects.filter(cycle=cycle, submitted_at__isnull=False)
        .filter(unit_id__in=CycleUnit.objects.filter(cycle=cycle).values("organization_id"))
        .count()
    )
    return {"units": units, "submitted": submitted, **manual_scores.progress(cycle)}


def overview(cycle: AssessmentCycle) -> dict[str, Any]:
    """What the cycle's page shows of its course: the stepper, the progress figures, the next action, whether bands
    may still be adjusted, and the objections awaiting an answer (a constant number of queries)."""
    at = STEPS.index(CycleStatus(cycle.status))
    steps = [
        {"label": s.label, "state": "done" if i < at else "current" if i == at else "todo"} for i, s in enumerate(STEPS)
    ]
    waiting = 0
    if cycle.status == CycleStatus.PUBLISHED:
        waiting = Objection.objects.filter(cycle=cycle, status=ObjectionStatus.OPEN).count()
    return {
        "steps": steps,
        "figures": figures(cycle),
        "next": NEXT.get(CycleStatus(cycle.status)),
        "adjustable": cycle.status in ADJUSTABLE,
        "open_objections": waiting,
    }


def quota_errors(
    cycle: AssessmentCycle, out: results.CycleResults, before: results.CycleResults | None = None
) -> list[str]:
    """One message per band holding more units than its quota, naming how many must move down. With ``before``,
    only the bands whose excess grew since (an objection's change must not push a band over its quota)."""
    quotas = cycle.system.quotas or {}
    bands = cycle.system.bands
    grown_from = (
        {b.band: b.excess for b in ranking.distribution([r.result for r in before.rows], bands, quotas)}
        if before is not None
        else {}
    )
    return [
        _("“%(band)s”等次超出名额：限 %(allowed)d 个，现 %(count)d 个，需调整 %(excess)d 个单位")
        % {"band": b.band, "allowed": b.allowed, "count": b.count, "excess": b.excess}
        for b in ranking.distribution([r.result for r in out.rows], bands, quotas)
        if b.excess > grown_from.get(b.band, 0)
    ]


def sign_off_problems(cycle: AssessmentCycle, out: results.CycleResults | None = None) -> list[str]:
    """Every reason the cycle cannot be signed off yet (empty when it can)."""
    errors: list[str] = []
    done = manual_scores.progress(cycle)
    if done["scored"] < done["items"]:
        errors.append(_("人工评分项尚有 %(n)d 项未评分") % {"n": done["items"] - done["scored"]})
    if done["disputed"]:
        errors.append(_("人工评分项尚有 %(n)d 项评分差异待裁定") % {"n": done["disputed"]})
    return errors + quota_errors(cycle, out or results.results(cycle, compare=False))


def start_self_assessment(user: Any, pk: int) -> AssessmentCycle:
    """OPEN → SELF_ASSESSMENT: the units may now enter their self-scores."""
    require_manage(user)
    with transaction.atomic():
        cycle = _locked(pk)
        _require_status(cycle, CycleStatus.OPEN)
        _move(cycle, CycleStatus.SELF_ASSESSMENT)
    return cycle


def start_review(user: Any, pk: int, *, confirmed: bool = False) -> AssessmentCycle:
    """SELF_ASSESSMENT → REVIEW. Units that have not submitted are named; going on without them takes the office's
    explicit confirmation, and they are kept in the audit event."""
    require_manage(user)
    with transaction.atomic():
        cycle = _locked(pk)
        _require_status(cycle, CycleStatus.SELF_ASSESSMENT)
        missing = unsubmitted(cycle)
        if missing and not confirmed:
            raise ValidationError(
                _("以下 %(n)d 个单位尚未提交自评：%(units)s。确认后仍可开始审核。")
                % {"n": len(missing), "units": "、".join(name for _pk, name in missing)}
            )
        _move(
            cycle,
            CycleStatus.REVIEW,
            detail={"unsubmitted": [{"id": pk_, "name": name} for pk_, name in missing]},
        )
    return cycle


def sign_off(user: Any, pk: int) -> AssessmentCycle:
    """REVIEW → SIGNED (签批): refused with every reason at once (see ``sign_off_problems``)."""
    require_manage(user)
    with transaction.atomic():
        cycle = _locked(pk)
        _require_status(cycle, CycleStatus.REVIEW)
        errors = sign_off_problems(cycle)
        if errors:
            raise ValidationError(errors)
        cycle.signed_by, cycle.signed_at = user, timezone.now()
        _move(cycle, CycleStatus.SIGNED, fields=("signed_by", "signed_at"))
    return cycle


def publish(user: Any, pk: int, objection_deadline: date | None) -> AssessmentCycle:
    """SIGNED → PUBLISHED: each unit sees its result and may object until the deadline (inclusive)."""
    require_manage(user)
    if objection_deadline is None:
        raise ValidationError(_("请填写异议截止日期"))
    if objection_deadline < timezone.localdate():
        raise ValidationError(_("异议截止日期不能早于今天"))
    with transaction.atomic():
        cycle = _locked(pk)
        _require_status(cycle, CycleStatus.SIGNED)
        cycle.published_at, cycle.objection_deadline = timezone.now(), objection_deadline
        _move(cycle, CycleStatus.PUBLISHED, fields=("published_at", "objection_deadline"))
    return cycle


def adjust_band(user: Any, pk: int, unit_id: int, band: str, reason: str) -> BandAdjustment:
    """The office lowers a unit's band (定档调整) with its reason, before sign-off; never to an equal or higher band
    than the one the unit holds now."""
    require_manage(user)
    if not (reason or "").strip():
        raise ValidationError(_("请填写调整原因"))
    with transaction.atomic():
        cycle = _locked(pk)
        if cycle.status not in ADJUSTABLE:
            raise ValidationError(_("考核周期签批后不能调整等次"))
        if not CycleUnit.objects.filter(cycle=cycle, organization_id=unit_id).exists():
            raise Http404(_("对象不存在"))
        row = results.results(cycle, compare=False).row_of(unit_id)
        current = row.result.band if row is not None else ""
        if band not in ranking.band_names(cycle.system.bands):
            raise ValidationError(_("请选择本考核指标体系的等次"))
        if not ranking.is_lower(band, current, cycle.system.bands):
            raise ValidationError(_("只能调整到比当前等次“%(band)s”更低的等次") % {"band": current})
        adjustment = BandAdjustment.objects.create(
            cycle=cycle, unit_id=unit_id, band=band, reason=reason.strip(), by=user
        )
        AssessmentCycle.results_changed(cycle.pk)
        record("create", adjustment, after=snapshot(adjustment), detail={"from": current}, object_repr=band)
    return adjustment


def withdraw_adjustment(user: Any, pk: int, reason: str) -> BandAdjustment:
    """An adjustment recorded by mistake is withdrawn (kept, with the reason); the unit's band is recomputed."""
    require_manage(user)
    if not (reason or "").strip():
        raise ValidationError(_("请填写撤回原因"))
    with transaction.atomic():
        adjustment = BandAdjustment.objects.select_for_update().filter(pk=pk).first()
        if adjustment is None:
            raise Http404(_("对象不存在"))
        cycle = _locked(adjustment.cycle_id)
        if cycle.status not in ADJUSTABLE:
            raise ValidationError(_("考核周期签批后不能调整等次"))
        if adjustment.withdrawn_at is not None:
            raise ValidationError(_("该调整已撤回"))
        before = snapshot(adjustment)
        adjustment.withdrawn_at, adjustment.withdrawn_reason = timezone.now(), reason.strip()
        adjustment.save(update_fields=["withdrawn_at", "withdrawn_reason"])
        AssessmentCycle.results_changed(adjustment.cycle_id)
        record("update", adjustment, before=before, after=snapshot(adjustment), object_repr=adjustment.band)
    return adjustment
