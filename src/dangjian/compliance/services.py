"""The write side of the rule table: add a local rule, revise, switch off/on, change a setting.

Who may write: the committee office, by the ``rules.edit`` permission over the whole tree (these rules bind
every organisation, so an institute's office whose assignment covers only its subtree may not edit them).
Anyone else gets 404, as everywhere.

Versioning: a rule version in force is never edited. A revision closes it (``effective_to``) and creates
the next version starting that same day, so the two never overlap and there is no gap. Because a period is
judged by the version in force on its first day (``engine``), and a revision may not start before today,
an edit never changes the judgement of a period that has already begun. A version that has not come into
force yet may be corrected in place. Every write is audited.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from dangjian.accounts.scope import WHOLE_TREE, can
from dangjian.audit.services import record, snapshot
from dangjian.rules import services as rule_store
from dangjian.rules.models import RuleVersion

from .models import ObligationRule

PERM = "meetings.change"
RULE_FIELDS = (
    "title",
    "org_kind",
    "condition",
    "meeting_kind",
    "period",
    "required_count",
    "counts_group_meetings",
    "citation",
    "confidence",
    "note",
    "active",
)


def require_office(user) -> None:
    if not can(user, "rules.edit", WHOLE_TREE):
        raise Http404("页面不存在")


def _today() -> date:
    return timezone.localdate()


def _new_code(data: dict[str, Any]) -> str:
    base = f"local.{data['org_kind']}.{data['meeting_kind']}"
    taken = set(ObligationRule.objects.filter(code__startswith=base).values_list("code", flat=True))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def create_rule(user, data: dict[str, Any]) -> ObligationRule:
    """A new obligation (typically a local rule, e.g. 理论学习中心组 for committees), version 1."""
    with transaction.atomic():
        require_office(user)
        rule = ObligationRule(
            code=data.get("code") or _new_code(data),
            version=1,
            effective_from=data["effective_from"],
            created_by=user,
            **{k: data[k] for k in RULE_FIELDS if k in data},
        )
        rule.full_clean()
        rule.save()
        record("create", rule, after=snapshot(rule))
    return rule


def _lock_latest(model, pk: int):
    obj = model.objects.select_for_update().filter(pk=pk).first()
    if obj is None:
        raise Http404("对象不存在")
    if obj.effective_to is not None:
        raise ValidationError("该版本已被新版本取代，只能修改最新版本")
    return obj


def _changes(obj, data: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {k: data[k] for k in fields if k in data and data[k] != getattr(obj, k)}


def _supersede(user, old, changes: dict[str, Any], effective_from: date, reason: str, fields: tuple[str, ...]):
    """Close ``old`` on ``effective_from`` and create its successor with ``changes`` applied."""
    today = _today()
    if effective_from < today:
        raise ValidationError({"effective_from": "新版本的生效日期不能早于今天：已经开始的周期仍按原版本判断"})
    if effective_from <= old.effective_from:
        raise ValidationError({"effective_from": f"新版本的生效日期须晚于当前版本的生效日期（{old.effective_from}）"})
    model = type(old)
    key_field = "code" if model is ObligationRule else "key"
    new = model(
        **{key_field: getattr(old, key_field)},
        version=old.version + 1,
        supersedes=old,
        created_by=user,
        effective_from=effective_from,
        **{k: getattr(old, k) for k in fields},
    )
    for k, v in changes.items():
        setattr(new, k, v)
    new.full_clean()
    old.effective_to = effective_from
    old.full_clean()
    old.save(update_fields=["effective_to", "updated_at"])
    record("update", old, before={"effective_to": None}, after={"effective_to": effective_from.isoformat()})
    new.save()
    record(
        "create",
        new,
        after=snapshot(new),
        detail={
            "supersedes": old.pk,
            "changes": {k: [snapshot(old).get(k), v] for k, v in snapshot(new).items() if k in changes},
            "reason": reason,
        },
    )
    return new


def _correct_in_place(old, changes: dict[str, Any], effective_from: date, reason: str):
    """A version not yet in force: nothing was judged by it, so it is corrected rather than superseded."""
    before = snapshot(old)
    previous = old.supersedes
    if effective_from != old.effective_from:
        if effective_from < _today():
            raise ValidationError({"effective_from": "生效日期不能早于今天"})
        if previous is not None:
            if effective_from <= previous.effective_from:
                message = f"生效日期须晚于前一版本的生效日期（{previous.effective_from}）"
                raise ValidationError({"effective_from": message})
            previous.effective_to = effective_from
            previous.save(update_fields=["effective_to", "updated_at"])
            record("update", previous, after={"effective_to": effective_from.isoformat()})
        old.effective_from = effective_from
    for k, v in changes.items():
        setattr(old, k, v)
    old.full_clean()
    old.save()
    record("update", old, before=before, after=snapshot(old), detail={"reason": reason, "correction": True})
    return old


def revise_rule(user, rule_id: int, data: dict[str, Any], effective_from: date, reason: str = "") -> ObligationRule:
    """Change a rule from ``effective_from`` on; returns the version that now carries the change."""
    with transaction.atomic():
        require_office(user)
        old = _lock_latest(ObligationRule, rule_id)
        changes = _changes(old, data, RULE_FIELDS)
        if old.effective_from > _today():
            if not changes and effective_from == old.effective_from:
                raise ValidationError("没有任何修改")
            return _correct_in_place(old, changes, effective_from, reason)
        if not changes:
            raise ValidationError("没有任何修改")
        return _supersede(user, old, changes, effective_from, reason, RULE_FIELDS)


def set_rule_active(user, rule_id: int, active: bool, effective_from: date, reason: str) -> ObligationRule:
    """Switch a rule off (or back on) from a date: a new version with ``active`` changed."""
    if not reason.strip():
        raise ValidationError({"reason": "请填写原因"})
    return revise_rule(user, rule_id, {"active": active}, effective_from, reason)


def revise_setting(user, setting_id: int, data: dict[str, Any], effective_from: date, reason: str = "") -> RuleVersion:
    """A new version of a checker setting (a rule-store version of the whole institute) from ``effective_from``."""
    require_office(user)
    old = RuleVersion.objects.filter(pk=setting_id, organization__isnull=True).first()
    if old is None:
        raise Http404("对象不存在")
    if old.effective_to is not None:
        raise ValidationError("该版本已被新版本取代，只能修改最新版本")
    unchanged = all(
        data.get(k, getattr(old, k)) == getattr(old, k) for k in ("value", "citation", "confidence", "note")
    )
    if unchanged:
        raise ValidationError("没有任何修改")
    return rule_store.revise(
        user,
        old.key,
        data["value"],
        effective_from,
        reason=reason,
        note=data.get("note", old.note),
        citation=data.get("citation") or old.citation,
        confidence=data.get("confidence") or old.confidence,
    )
