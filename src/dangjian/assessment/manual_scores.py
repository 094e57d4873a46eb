"""The score that counts for a unit's ``manual`` leaf, kept in ``ManualScore`` from the append-only ``ReviewEntry``.

``enter`` writes one entry and refreshes the item's ManualScore in the same transaction; callers check who may
write (a reviewer of the leaf's department, the office settling a difference, the office answering an objection).
The rule: the latest settlement or objection entry of the office replaces everything before it; otherwise the
average of each reviewer's latest score once the leaf's required number of reviewers (``params.reviewers``, 1 or
2) have scored, disputed while two of them differ by more than the cycle's ``settle_threshold``
(``scoring.reviewed``). ``section_sums`` and ``progress`` are what the results read: one query each.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, Sum

from dangjian.audit.services import record

from . import scoring
from .cycles import leaves
from .models import AssessmentCycle, EntryKind, Indicator, ManualScore, Method, ReviewEntry, Reviewer

OVERRIDES = (EntryKind.SETTLEMENT, EntryKind.OBJECTION)


def required_reviewers(leaf: Indicator) -> int:
    return int((leaf.params or {}).get("reviewers", 1))


def _settled(cycle: AssessmentCycle, unit_id: int, leaf: Indicator) -> tuple[Decimal | None, bool]:
    entries = list(
        ReviewEntry.objects.filter(cycle=cycle, unit_id=unit_id, indicator=leaf).order_by("entered_at", "pk")
    )
    overrides = [e for e in entries if e.kind in OVERRIDES]
    if overrides:
        return overrides[-1].score, False
    latest: dict[int, Decimal] = {}
    removed = _removed_reviewers(cycle, leaf)
    for e in entries:
        if e.entered_by_id not in removed:
            latest[e.entered_by_id] = e.score
    return scoring.reviewed(list(latest.values()), required_reviewers(leaf), cycle.settle_threshold)


def _removed_reviewers(cycle: AssessmentCycle, leaf: Indicator) -> set[int]:
    """Users the office took off the leaf's department in this cycle (and did not name again): their scores stop
    counting — a reviewer is removed for a reason (a conflict of interest, a mistaken assignment)."""
    from .review import department_of

    rows = Reviewer.objects.filter(cycle=cycle, department=department_of(leaf)).values_list("user_id", "removed_at")
    current = {user for user, removed_at in rows if removed_at is None}
    return {user for user, removed_at in rows if removed_at is not None} - current


def refresh(cycle: AssessmentCycle, unit_id: int, leaf: Indicator) -> ManualScore | None:
    """Rewrite the item's ManualScore from its entries (called inside the entry's transaction)."""
    score, disputed = _settled(cycle, unit_id, leaf)
    AssessmentCycle.results_changed(cycle.pk)
    if score is None:
        # nothing counts any more (the only reviewer was removed): the derived row goes, the entries stay
        ManualScore.objects.filter(cycle=cycle, unit_id=unit_id, indicator=leaf).delete()
        return None
    row, _created = ManualScore.objects.update_or_create(
        cycle=cycle,
        unit_id=unit_id,
        indicator=leaf,
        defaults={"section_id": leaves(leaf.system)[1][leaf.pk], "score": score, "disputed": disputed},
    )
    return row


def enter(
    user: Any,
    cycle: AssessmentCycle,
    unit_id: int,
    leaf: Indicator,
    score: Any,
    reason: str,
    kind: str = EntryKind.REVIEW,
    objection: Any = None,
) -> ReviewEntry:
    """One score with its reason, validated against the leaf's points; audited. Permission is the caller's."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if leaf.method != Method.MANUAL or leaf.system_id != cycle.system_id:
        raise ValidationError(_("只有本考核指标体系的人工评分项可以评分"))
    try:
        value = scoring.check_manual(leaf.points, Decimal(str(score).strip()) if isinstance(score, str) else score)
    except InvalidOperation as exc:
        raise ValidationError(_("评分应填数值")) from exc
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    if not (reason or "").strip():
        raise ValidationError(_("请填写评分理由"))
    with transaction.atomic():
        entry = ReviewEntry.objects.create(
            cycle=cycle,
            unit_id=unit_id,
            indicator=leaf,
            kind=kind,
            score=value,
            reason=reason.strip(),
            entered_by=user,
            objection=objection,
        )
        counted = refresh(cycle, unit_id, leaf)
        record(
            "create",
            entry,
            detail={
                "cycle": cycle.pk,
                "unit": unit_id,
                "indicator": leaf.pk,
                "kind": str(kind),
                "score": str(value),
                "counted": None if counted is None else str(counted.score),
                "disputed": bool(counted and counted.disputed),
            },
            object_repr=leaf.name,
        )
    return entry


def section_sums(cycle: AssessmentCycle) -> dict[int, dict[int, Decimal]]:
    """Every unit's manual points per 一级 indicator: one GROUP BY."""
    sums: dict[int, dict[int, Decimal]] = defaultdict(dict)
    rows = ManualScore.objects.filter(cycle=cycle).values("unit_id", "section_id").annotate(total=Sum("score"))
    for row in rows:
        # SQLite sums decimals to a float-like value ("9.5"): rounded like every score
        sums[row["unit_id"]][row["section_id"]] = scoring.rounded(Decimal(str(row["total"] or 0)))
    return sums


def progress(cycle: AssessmentCycle) -> dict[str, int]:
    """How many unit × manual leaf items are scored and disputed, against how many there are."""
    leaves = Indicator.objects.filter(system_id=cycle.system_id, method=Method.MANUAL).count()
    units = cycle.cycle_units.count()
    done = ManualScore.objects.filter(cycle=cycle).aggregate(
        scored=Count("pk"), disputed=Count("pk", filter=Q(disputed=True))
    )
    return {"items": leaves * units, "scored": done["scored"], "disputed": done["disputed"]}


def explained(cycle: AssessmentCycle, unit_ids: list[int]) -> dict[tuple[int, int], tuple[ManualScore, str]]:
    """The counted manual scores of some units with the words that explain each: the reason of the entry that
    decided it (the office's settlement or objection answer, else the latest review). Two queries."""
    from django.utils.translation import gettext as _

    if not unit_ids:
        return {}
    rows = {(m.unit_id, m.indicator_id): m for m in ManualScore.objects.filter(cycle=cycle, unit_id__in=unit_ids)}
    reasons: dict[tuple[int, int], tuple[str, str]] = {}
    entries = (
        ReviewEntry.objects.filter(cycle=cycle, unit_id__in=unit_ids)
        .order_by("entered_at", "pk")
        .values_list("unit_id", "indicator_id", "kind", "reason")
    )
    for unit_id, indicator_id, kind, reason in entries:
        key = (unit_id, indicator_id)
        if kind in OVERRIDES or reasons.get(key, ("", ""))[0] not in OVERRIDES:
            reasons[key] = (kind, reason)
    out = {}
    for key, row in rows.items():
        kind, reason = reasons.get(key, (EntryKind.REVIEW, ""))
        if row.disputed:
            text = _("评分人意见不一致，待党委办公室裁定（暂按平均分 %(score)s 分）") % {"score": row.score}
        elif kind == EntryKind.SETTLEMENT:
            text = _("党委办公室裁定：%(reason)s") % {"reason": reason}
        elif kind == EntryKind.OBJECTION:
            text = _("异议处理后评分：%(reason)s") % {"reason": reason}
        else:
            text = _("审核评分：%(reason)s") % {"reason": reason}
        out[key] = (row, text)
    return out
