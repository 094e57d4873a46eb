"""The write side of the obligations and settings: add a local obligation, revise one, switch it off/on, change a
setting. Every write is a version in the one rule store (``dangjian.rules.services``), audited there.

Who may write: the committee office, by the ``rules.edit`` permission over the whole tree (these rules bind
every organisation, so an institute's office whose assignment covers only its subtree may not edit them).
Anyone else gets 404, as everywhere. An obligation the regulations set (P/Q) is not the institute's to change:
it only shows where it comes from.

Versioning: a version in force is never edited. A revision closes it (``effective_to``) and starts the next
version that same day, so the two never overlap and there is no gap. Because a period is judged by the version in
force on its first day (``engine``), and a revision may not start before today, an edit never changes the
judgement of a period that has already begun. A version that has not come into force yet is corrected in place.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scope import WHOLE_TREE, can
from dangjian.meetings.models import MeetingKind
from dangjian.orgs.models import OrgKind
from dangjian.rules import services as rule_store
from dangjian.rules.confidence import EDITABLE, Confidence
from dangjian.rules.models import RuleVersion

from .models import Activity, Condition, PeriodKind
from .obligations import PREFIX, VALUE_FIELDS, ObligationTerms, key_of, terms_of_row

PERM = "meetings.change"
CODE = re.compile(r"[a-z0-9_.-]+")
# What a revision may change: the value's fields and the version's own citation, confidence and note.
RULE_FIELDS = (*VALUE_FIELDS, "citation", "confidence", "note")
_CHOICES = {
    "org_kind": OrgKind.values,
    "condition": Condition.values,
    "meeting_kind": [*MeetingKind.values, *Activity.values],
    "period": PeriodKind.values,
    "confidence": [c.value for c in Confidence],
}


def require_office(user) -> None:
    if not can(user, "rules.edit", WHOLE_TREE):
        raise Http404(_("页面不存在"))


def _today() -> date:
    return timezone.localdate()


def _check(terms: dict[str, Any]) -> None:
    """What the model's validators checked before the move: known choices, a title and citation, a count ≥ 1."""
    errors: dict[str, str] = {}
    for name, allowed in _CHOICES.items():
        if terms[name] not in allowed:
            errors[name] = _("请选择有效的选项")
    if not str(terms["title"]).strip():
        errors["title"] = _("请填写名称")
    if not str(terms["citation"]).strip():
        errors["citation"] = _("请填写依据")
    if not isinstance(terms["required_count"], int) or terms["required_count"] < 1:
        errors["required_count"] = _("每周期次数至少为 1")
    if errors:
        raise ValidationError(errors)


def latest(key: str, *, lock: bool = False) -> ObligationTerms | None:
    """The newest institute-wide version of an obligation (read from the table, not the request's cached book)."""
    rows = RuleVersion.objects.filter(key=key, organization__isnull=True)
    if lock:
        rows = rows.select_for_update()
    row = rows.order_by("-version").first()
    return terms_of_row(row) if row is not None else None


def _new_code(data: dict[str, Any]) -> str:
    base = f"local.{data['org_kind']}.{data['meeting_kind']}"
    prefix = key_of(base)
    taken = {k[len(PREFIX) :] for k in RuleVersion.objects.filter(key__startswith=prefix).values_list("key", flat=True)}
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def create_rule(user, data: dict[str, Any]) -> ObligationTerms:
    """A new obligation (typically a local rule, e.g. 理论学习中心组 for committees): version 1 in the store."""
    require_office(user)
    terms = {
        "condition": "",
        "required_count": 1,
        "counts_group_meetings": False,
        "active": True,
        "note": "",
        "confidence": Confidence.L.value,
        **{k: data[k] for k in RULE_FIELDS if k in data},
    }
    _check(terms)
    with transaction.atomic():
        code = data.get("code") or _new_code(terms)
        if not CODE.fullmatch(code) or code.isdigit():  # all digits would read as an old row's id in the URLs
            raise ValidationError({"code": _("规则代码只能由小写字母、数字和 ._- 组成，且不能全为数字")})
        if latest(key_of(code)) is not None:
            raise ValidationError(_("该规则代码已被使用"))
        version = rule_store.add_version(
            user,
            key_of(code),
            {f: terms[f] for f in VALUE_FIELDS},
            data["effective_from"],
            citation=terms["citation"],
            confidence=terms["confidence"],
            note=terms["note"],
        )
    return terms_of_row(version)


def revise_rule(user, key: str, data: dict[str, Any], effective_from: date, reason: str = "") -> ObligationTerms:
    """Change an obligation from ``effective_from`` on; returns the version that now carries the change."""
    require_office(user)
    with transaction.atomic():
        old = latest(key, lock=True)
        if old is None:
            raise Http404(_("对象不存在"))
        if old.confidence not in EDITABLE:
            raise ValidationError(_("该规则是条例规定，只能查看依据，不能修改"))
        current = {**old.value(), "citation": old.citation, "confidence": old.confidence, "note": old.note}
        changes = {k: data[k] for k in RULE_FIELDS if k in data and data[k] != current[k]}
        terms = {**current, **changes}
        _check(terms)
        value = {f: terms[f] for f in VALUE_FIELDS}
        own = {"citation": terms["citation"], "confidence": terms["confidence"], "note": terms["note"]}
        if old.effective_from > _today():
            if not changes and effective_from == old.effective_from:
                raise ValidationError(_("没有任何修改"))
            row = RuleVersion.objects.get(pk=old.pk)
            version = rule_store.correct_pending(row, value, effective_from, reason=reason, **own)
            return terms_of_row(version)
        if not changes:
            raise ValidationError(_("没有任何修改"))
        version = rule_store.add_version(
            user,
            key,
            value,
            effective_from,
            reason=reason,
            was=old.value(),
            detail={"changes": {k: [current[k], v] for k, v in changes.items()}},
            **own,
        )
    return terms_of_row(version)


def set_rule_active(user, key: str, active: bool, effective_from: date, reason: str) -> ObligationTerms:
    """Switch an obligation off (or back on) from a date: a new version with ``active`` changed."""
    if not reason.strip():
        raise ValidationError({"reason": _("请填写原因")})
    return revise_rule(user, key, {"active": active}, effective_from, reason)


def revise_setting(user, setting_id: int, data: dict[str, Any], effective_from: date, reason: str = "") -> RuleVersion:
    """A new version of a checker setting (a rule-store version of the whole institute) from ``effective_from``."""
    require_office(user)
    old = RuleVersion.objects.filter(pk=setting_id, organization__isnull=True).first()
    if old is None:
        raise Http404(_("对象不存在"))
    if old.effective_to is not None:
        raise ValidationError(_("该版本已被新版本取代，只能修改最新版本"))
    unchanged = all(
        data.get(k, getattr(old, k)) == getattr(old, k) for k in ("value", "citation", "confidence", "note")
    )
    if unchanged:
        raise ValidationError(_("没有任何修改"))
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
