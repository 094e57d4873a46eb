"""The write side of 自评 (issue 14 §2): a unit enters its own score, narrative and evidence files on each ``manual``
leaf of its cycle's system, writes an overall narrative and submits; the committee office may return a submission
for completion.

Who: a unit's self-assessment is kept by whoever maintains the unit (``orgs.change`` over it: its secretary, the
office above — the same people as its 一支部一特色 in ``brands``) or by the office over the whole tree
(``services.may_manage``). Anyone else is told the unit does not exist (404).

When: only while the cycle is in 自评中. A submitted self-assessment is read-only to the unit until the office
returns it. Submitting is refused after the cycle's 自评截止日期, unless the office returned it (the return is then
the office's leave to finish late). Editing before submission stays open so that a returned unit can complete it.

Each function is one intention in one transaction with its audit event, as in ``services``; evidence is withdrawn
with a reason, never deleted.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.audit.services import record, snapshot
from dangjian.core.uploads import check_upload
from dangjian.orgs.models import Organization

from . import scoring
from .brands import EVIDENCE_KINDS, EVIDENCE_TYPES, MAX_EVIDENCE
from .models import AssessmentCycle, CycleStatus, CycleUnit, Evidence, Indicator, Method, SelfAssessment, SelfScore
from .services import may_manage

CHANGE = "orgs.change"
VIEW = "assessment.view"


def may_act(user: Any, unit_id: int) -> bool:
    """The unit's maintainers (``orgs.change`` over it) and the office over the whole tree."""
    return may_manage(user) or Organization.objects.visible_to(user, CHANGE).filter(pk=unit_id).exists()


def may_view(user: Any, unit_id: int) -> bool:
    """Whoever may act, and those who read the unit's assessment (a committee member, a leader): read-only."""
    return may_act(user, unit_id) or Organization.objects.visible_to(user, VIEW).filter(pk=unit_id).exists()


def manual_leaves(cycle: AssessmentCycle) -> list[Indicator]:
    return list(Indicator.objects.filter(system_id=cycle.system_id, method=Method.MANUAL).order_by("position", "pk"))


def _require_open(cycle: AssessmentCycle) -> None:
    if cycle.status != CycleStatus.SELF_ASSESSMENT:
        message = _("该考核周期不在自评阶段（当前状态：%(status)s），不能进行自评操作")
        raise ValidationError(message % {"status": cycle.get_status_display()})


def _require_act(user: Any, unit_id: int, *, office: bool = False) -> None:
    """Checked before the input, so that someone out of scope learns nothing from the messages (404 first)."""
    if not (may_manage(user) if office else may_act(user, unit_id)):
        raise Http404(_("对象不存在"))


def _locked(user: Any, cycle_pk: int, unit_id: int, *, office: bool = False) -> tuple[AssessmentCycle, SelfAssessment]:
    """Inside a write transaction: the cycle (in self-assessment) and the unit's self-assessment row, locked;
    404 when the user may not act for the unit or the unit is not assessed in the cycle."""
    _require_act(user, unit_id, office=office)
    cycle = _cycle_shared(cycle_pk)
    if cycle is None or not CycleUnit.objects.filter(cycle=cycle, organization_id=unit_id).exists():
        raise Http404(_("对象不存在"))
    _require_open(cycle)
    try:
        with transaction.atomic():
            row, _created = SelfAssessment.objects.get_or_create(cycle=cycle, unit_id=unit_id)
    except IntegrityError:  # created by a concurrent request between the read and the insert
        pass
    row = (
        SelfAssessment.objects.select_for_update(of=("self",)).select_related("unit").get(cycle=cycle, unit_id=unit_id)
    )
    return cycle, row


def _cycle_shared(pk: int) -> AssessmentCycle | None:
    """The cycle under a shared lock (PostgreSQL ``FOR SHARE``): the units of a cycle write side by side, while a
    change of the cycle's status (a ``FOR UPDATE`` of the row) waits for their writes and they for it, so nothing is
    written into a cycle that has just left 自评中. SQLite serialises every write anyway."""
    if connection.vendor != "postgresql":
        return AssessmentCycle.objects.filter(pk=pk).first()
    table = connection.ops.quote_name(AssessmentCycle._meta.db_table)
    return next(iter(AssessmentCycle.objects.raw(f"SELECT * FROM {table} WHERE id = %s FOR SHARE", [pk])), None)


def _repr(row: SelfAssessment, cycle: AssessmentCycle, item: Indicator | None = None) -> str:
    """What the audit log names: the unit, the cycle and, for an item's row, the item."""
    text = f"{row.unit.name} · {cycle.title}"
    return f"{text} · {item.name}" if item is not None else text


def _require_editable(row: SelfAssessment) -> None:
    if row.submitted_at is not None:
        message = _("自评已于 %(at)s 提交，不能再修改；如需补充，请党委办公室退回后修改")
        raise ValidationError(message % {"at": timezone.localtime(row.submitted_at).strftime("%Y-%m-%d %H:%M")})


def _leaf(cycle: AssessmentCycle, indicator_id: Any) -> Indicator:
    leaf = Indicator.objects.filter(pk=int(indicator_id or 0), system_id=cycle.system_id, method=Method.MANUAL).first()
    if leaf is None:
        raise ValidationError(_("请选择本考核指标体系中的人工评分项"))
    return leaf


def parse_score(leaf: Indicator, raw: Any) -> Decimal:
    """A self-score is checked like a reviewer's: a number in [0, the leaf's points], rounded to the hundredth."""
    try:
        value = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(_("“%(item)s”的自评分应填数值") % {"item": leaf.name}) from None
    try:
        return scoring.check_manual(leaf.points, value)
    except ValueError as exc:
        raise ValidationError(_("“%(item)s”：%(problem)s") % {"item": leaf.name, "problem": exc}) from None


def _write_score(
    user: Any, cycle: AssessmentCycle, owner: SelfAssessment, leaf: Indicator, score: Decimal, narrative: str
) -> SelfScore:
    unit_id = owner.unit_id
    row = SelfScore.objects.filter(cycle=cycle, unit_id=unit_id, indicator=leaf).first()
    if row is None:
        row = SelfScore.objects.create(
            cycle=cycle, unit_id=unit_id, indicator=leaf, score=score, narrative=narrative, updated_by=user
        )
        record("create", row, after=snapshot(row), object_repr=_repr(owner, cycle, leaf))
        return row
    if row.score == score and row.narrative == narrative:
        return row  # nothing changed: no audit row for a form saved again as it was
    before = snapshot(row)
    row.score, row.narrative, row.updated_by = score, narrative, user
    row.save()
    record("update", row, before=before, after=snapshot(row), object_repr=_repr(owner, cycle, leaf))
    return row


def save_score(user: Any, cycle_pk: int, unit_id: int, indicator_id: int, score: Any, narrative: str = "") -> SelfScore:
    """The unit's own score and narrative on one ``manual`` leaf (entered again: the row is updated)."""
    with transaction.atomic():
        cycle, row = _locked(user, cycle_pk, unit_id)
        _require_editable(row)
        leaf = _leaf(cycle, indicator_id)
        return _write_score(user, cycle, row, leaf, parse_score(leaf, score), narrative.strip())


def save(
    user: Any, cycle_pk: int, unit_id: int, entries: Mapping[int, tuple[str, str]], narrative: str | None = None
) -> int:
    """The page's one form: every item's (score, narrative) and the overall narrative, all or nothing. Every bad
    item is reported at once; an item left without a score is skipped (an entered score is never deleted)."""
    with transaction.atomic():
        cycle, row = _locked(user, cycle_pk, unit_id)
        _require_editable(row)
        leaves = {leaf.pk: leaf for leaf in manual_leaves(cycle)}
        errors: list[str] = []
        good: list[tuple[Indicator, Decimal, str]] = []
        for indicator_id, (raw, text) in entries.items():
            leaf = leaves.get(int(indicator_id))
            if leaf is None:
                errors.append(_("请选择本考核指标体系中的人工评分项"))
                continue
            if not str(raw).strip():
                if text.strip():
                    errors.append(_("“%(item)s”填写了自评说明，请同时填写自评分") % {"item": leaf.name})
                continue
            try:
                good.append((leaf, parse_score(leaf, raw), text.strip()))
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        for leaf, score, text in good:
            _write_score(user, cycle, row, leaf, score, text)
        if narrative is not None:
            _write_narrative(row, cycle, narrative)
    return len(good)


def _write_narrative(row: SelfAssessment, cycle: AssessmentCycle, narrative: str) -> None:
    if row.narrative == narrative.strip():
        return
    before = snapshot(row)
    row.narrative = narrative.strip()
    row.save(update_fields=["narrative"])
    record(
        "update", row, before=before, after=snapshot(row), detail={"change": "narrative"}, object_repr=_repr(row, cycle)
    )


def save_narrative(user: Any, cycle_pk: int, unit_id: int, narrative: str) -> SelfAssessment:
    """The secretary's overall narrative (自评总结)."""
    with transaction.atomic():
        cycle, row = _locked(user, cycle_pk, unit_id)
        _require_editable(row)
        _write_narrative(row, cycle, narrative)
    return row


def add_evidence(user: Any, cycle_pk: int, unit_id: int, indicator_id: int, *, title: str, upload: Any) -> Evidence:
    """A file (佐证材料) for one ``manual`` leaf, checked by its content like the 一支部一特色 evidence
    (``core.uploads``: type and size) and stored under a random name; the title names the download."""
    _require_act(user, unit_id)
    if not title.strip():
        raise ValidationError({"title": _("请填写材料名称")})
    if upload is None:
        raise ValidationError({"file": _("请选择要上传的文件")})
    ext, _type = check_upload(upload, EVIDENCE_TYPES, MAX_EVIDENCE, str(EVIDENCE_KINDS))
    with transaction.atomic():
        cycle, row = _locked(user, cycle_pk, unit_id)
        _require_editable(row)
        leaf = _leaf(cycle, indicator_id)
        ev = Evidence(cycle=cycle, unit_id=unit_id, indicator=leaf, title=title.strip()[:200], uploaded_by=user)
        ev.file.save(f"{uuid.uuid4().hex}{ext}", upload, save=False)
        try:
            ev.save()
            name = os.path.basename(upload.name or "")[-200:]
            record("create", ev, after=snapshot(ev), detail={"name": name}, object_repr=_repr(row, cycle, leaf))
        except Exception:
            ev.file.delete(save=False)
            raise
    return ev


def withdraw_evidence(user: Any, pk: int, reason: str) -> Evidence:
    """A file attached by mistake leaves the page; the row and the file are kept with the reason."""
    ev = Evidence.objects.filter(pk=pk).only("cycle_id", "unit_id").first()
    if ev is None:
        raise Http404(_("对象不存在"))
    _require_act(user, ev.unit_id)
    if not reason.strip():
        raise ValidationError({"reason": _("请填写撤回原因")})
    with transaction.atomic():
        cycle, row = _locked(user, ev.cycle_id, ev.unit_id)
        ev = Evidence.objects.select_for_update().get(pk=pk)
        _require_editable(row)
        if ev.withdrawn_at is not None:
            raise ValidationError(_("该材料已撤回"))
        before = snapshot(ev)
        ev.withdrawn_at, ev.withdrawn_reason = timezone.now(), reason.strip()
        ev.save(update_fields=["withdrawn_at", "withdrawn_reason"])
        record(
            "update",
            ev,
            before=before,
            after=snapshot(ev),
            detail={"change": "withdraw"},
            object_repr=_repr(row, cycle),
        )
    return ev


def missing(cycle: AssessmentCycle, unit_id: int) -> list[Indicator]:
    """The ``manual`` leaves the unit has not scored yet, in the system's order."""
    scored = set(SelfScore.objects.filter(cycle=cycle, unit_id=unit_id).values_list("indicator_id", flat=True))
    return [leaf for leaf in manual_leaves(cycle) if leaf.pk not in scored]


def submit(user: Any, cycle_pk: int, unit_id: int) -> SelfAssessment:
    """Hand the self-assessment to the office: every ``manual`` item scored, by the deadline (or returned)."""
    with transaction.atomic():
        cycle, row = _locked(user, cycle_pk, unit_id)
        if row.submitted_at is not None:
            raise ValidationError(_("自评已提交"))
        today = timezone.localdate()
        if today > cycle.self_deadline and not row.returned_reason:
            message = _("自评已于 %(deadline)s 截止，不能再提交；如需补报，请联系党委办公室")
            raise ValidationError(message % {"deadline": cycle.self_deadline.strftime("%Y-%m-%d")})
        gaps = missing(cycle, unit_id)
        if gaps:
            message = _("还有 %(n)d 项人工评分项未自评，不能提交：%(items)s")
            raise ValidationError(message % {"n": len(gaps), "items": "、".join(leaf.name for leaf in gaps)})
        before = snapshot(row)
        row.submitted_at, row.submitted_by = timezone.now(), user
        row.save(update_fields=["submitted_at", "submitted_by"])
        record(
            "update",
            row,
            before=before,
            after=snapshot(row),
            detail={"change": "submit"},
            object_repr=_repr(row, cycle),
        )
    return row


def return_submission(user: Any, cycle_pk: int, unit_id: int, reason: str) -> SelfAssessment:
    """The office sends a submission back for completion; the unit edits and submits again (also after the
    deadline: the return is the office's leave)."""
    _require_act(user, unit_id, office=True)
    if not reason.strip():
        raise ValidationError({"reason": _("请填写退回原因")})
    with transaction.atomic():
        cycle, row = _locked(user, cycle_pk, unit_id, office=True)
        if row.submitted_at is None:
            raise ValidationError(_("只有已提交的自评可以退回"))
        before = snapshot(row)
        row.submitted_at, row.submitted_by, row.returned_reason = None, None, reason.strip()
        row.save(update_fields=["submitted_at", "submitted_by", "returned_reason"])
        record(
            "update",
            row,
            before=before,
            after=snapshot(row),
            detail={"change": "return"},
            object_repr=_repr(row, cycle),
        )
    return row
