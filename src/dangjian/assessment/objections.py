"""Objections (异议) to a published cycle's result, and the office's answers.

Who objects: the unit's maintainers — whoever may change the organisation (``orgs.change``: its secretary, the
office above), as ``brands`` decides who keeps a branch's feature — on one leaf of their unit, with a reason, while
the cycle is published and today is not past its objection deadline. Who answers: the committee office over the
whole tree (``services.require_manage``), once: rejected with an answer, or upheld. Upholding a ``manual`` leaf gives
its corrected score as a new review entry (``manual_scores.enter``, kind 异议处理, linked to the objection), so the
history of the point is kept; upholding another leaf records the answer saying what was corrected. An upheld change
that would push a band over its quota is refused with the sign-off's message (issue 14 §2).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.audit.services import record, snapshot
from dangjian.orgs.models import Organization

from . import manual_scores, results
from .lifecycle import quota_errors
from .models import AssessmentCycle, CycleStatus, CycleUnit, EntryKind, Indicator, Method, Objection, ObjectionStatus
from .services import require_manage

CHANGE = "orgs.change"


def may_object(user: Any, unit_id: int) -> bool:
    """Whether the user maintains the unit (one query)."""
    return Organization.objects.visible_to(user, CHANGE).filter(pk=unit_id).exists()


def window_open(cycle: AssessmentCycle, today: date | None = None) -> bool:
    """Published, and today is on or before the objection deadline."""
    today = today or timezone.localdate()
    return (
        cycle.status == CycleStatus.PUBLISHED
        and cycle.objection_deadline is not None
        and today <= cycle.objection_deadline
    )


def raise_objection(user: Any, cycle_pk: int, unit_id: int, indicator_id: int | None, reason: str) -> Objection:
    """A unit's objection to one leaf of its result; one open objection per leaf at a time."""
    with transaction.atomic():
        cycle = AssessmentCycle.objects.filter(pk=cycle_pk).first()
        if (
            cycle is None
            or not CycleUnit.objects.filter(cycle=cycle, organization_id=unit_id).exists()
            or not may_object(user, unit_id)
        ):
            raise Http404(_("对象不存在"))
        if cycle.status != CycleStatus.PUBLISHED:
            raise ValidationError(_("考核结果尚未公布，不能提出异议"))
        if not window_open(cycle):
            raise ValidationError(_("异议期已于 %(day)s 结束") % {"day": cycle.objection_deadline})
        leaf = Indicator.objects.filter(pk=indicator_id or 0, system_id=cycle.system_id).exclude(method="").first()
        errors = {}
        if leaf is None:
            errors["indicator"] = _("请选择一个评分项")
        if not (reason or "").strip():
            errors["reason"] = _("请填写异议理由")
        if errors:
            raise ValidationError(errors)
        if Objection.objects.filter(cycle=cycle, unit_id=unit_id, indicator=leaf, status=ObjectionStatus.OPEN).exists():
            raise ValidationError(_("该评分项已有待答复的异议"))
        objection = Objection.objects.create(
            cycle=cycle, unit_id=unit_id, indicator=leaf, reason=reason.strip(), raised_by=user
        )
        record("create", objection, after=snapshot(objection), object_repr=str(leaf))
    return objection


def answer(user: Any, pk: int, *, uphold: bool, text: str, score: Any = None) -> Objection:
    """The office's answer. Upholding a manual leaf needs the corrected score; the change is refused (and nothing
    is written) when it would put a band over its quota."""
    require_manage(user)
    if not (text or "").strip():
        raise ValidationError({"answer": _("请填写答复意见")})
    with transaction.atomic():
        objection = (
            Objection.objects.select_for_update(of=("self",))
            .select_related("cycle__system", "indicator")
            .filter(pk=pk)
            .first()
        )
        if objection is None:
            raise Http404(_("对象不存在"))
        cycle, leaf = objection.cycle, objection.indicator
        if cycle.status != CycleStatus.PUBLISHED:
            raise ValidationError(_("考核结果尚未公布，不能答复异议"))
        if objection.status != ObjectionStatus.OPEN:
            raise ValidationError(_("该异议已答复"))
        before = snapshot(objection)
        if uphold and leaf.method == Method.MANUAL:
            if score in (None, ""):
                raise ValidationError({"score": _("采纳人工评分项的异议时请填写更正后的得分")})
            earlier = results.results(cycle, compare=False)
            manual_scores.enter(
                user, cycle, objection.unit_id, leaf, score, text, kind=EntryKind.OBJECTION, objection=objection
            )
            errors = quota_errors(cycle, results.results(cycle, compare=False), before=earlier)
            if errors:
                raise ValidationError(errors)  # the entry above is rolled back with the transaction
        objection.status = ObjectionStatus.UPHELD if uphold else ObjectionStatus.REJECTED
        objection.answer, objection.answered_by, objection.answered_at = text.strip(), user, timezone.now()
        objection.save(update_fields=["status", "answer", "answered_by", "answered_at"])
        record("update", objection, before=before, after=snapshot(objection), object_repr=str(leaf))
    return objection
