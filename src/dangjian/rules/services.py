"""The rule store's read and write side.

Read: ``book()`` loads every stored version in one query and keeps it for the rest of the request (a page that
judges thousands of organisations asks the database once); outside a request each call loads afresh.
``table(CODE_TABLE, org)`` is the code table seen through the store for one organisation.

Write: ``revise`` adds a version, never edits one in force: the version in force is closed on the new version's
first day. Who may: ``rules.edit`` (the office), for an organisation's override over that organisation.
Every write is audited.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts.scope import WHOLE_TREE, can
from dangjian.audit.services import record, snapshot
from dangjian.core.ruletable import TABLES, Rule, RuleTable

from .confidence import EDITABLE, Confidence
from .lookup import BookTable, RuleBook, Stored, encode
from .models import RuleVersion

PERM = "rules.edit"
NOT_EDITABLE = gettext_lazy("该规则是条例规定，只能查看依据，不能修改")
LOCAL_CITATION = "本单位设置"

_request_book: contextvars.ContextVar[dict | None] = contextvars.ContextVar("rule_book", default=None)


def begin_request(**kwargs) -> None:
    _request_book.set({})


def end_request(**kwargs) -> None:
    _request_book.set(None)


@contextmanager
def holding():
    """Read the store once for a whole block outside a request (a command, a bulk computation); also a decorator."""
    if _request_book.get() is not None:
        yield
        return
    token = _request_book.set({})
    try:
        yield
    finally:
        _request_book.reset(token)


def forget() -> None:
    """After a write: the next read in this request sees the new version."""
    holder = _request_book.get()
    if holder is not None:
        holder.clear()


def _path_of(org_id: int) -> str | None:
    from dangjian.orgs.models import Organization

    return Organization.objects.filter(pk=org_id).values_list("path", flat=True).first()


def load() -> RuleBook:
    rows = RuleVersion.objects.order_by().values_list(
        "pk",
        "key",
        "version",
        "value",
        "citation",
        "confidence",
        "note",
        "effective_from",
        "effective_to",
        "organization_id",
        "organization__path",
        "organization__name",
        "created_by_id",
    )
    stored = [
        Stored(pk, Rule(key, value, citation, conf, start, end, note), version, path, org_id, org_name or "", author)
        for pk, key, version, value, citation, conf, note, start, end, org_id, path, org_name, author in rows
    ]
    return RuleBook(stored, _path_of)


def book() -> RuleBook:
    holder = _request_book.get()
    if holder is None:
        return load()
    if "book" not in holder:
        holder["book"] = load()
    return holder["book"]


def table(base: RuleTable, org=None) -> BookTable:
    """``base`` with the institute's versions and ``org``'s overrides (``org``: an Organization, a path or None)."""
    b = book()
    return b.table(base, _path(b, org))


def table_for_org_id(base: RuleTable, org_id: int | None) -> BookTable:
    """Like ``table``, from an organisation id: no query unless some version is an organisation's override."""
    b = book()
    return b.table(base, b.path_of(org_id))


def prefetch_paths(org_ids) -> None:
    """Before judging many organisations by id: their paths in one query, and only when some override exists."""
    b = book()
    missing = b.missing_paths(org_ids)
    if missing:
        from dangjian.orgs.models import Organization

        b.know_paths(dict(Organization.objects.filter(pk__in=missing).values_list("pk", "path")))


def _path(b: RuleBook, org) -> str | None:
    if org is None or isinstance(org, str):
        return org
    return getattr(org, "path", None)


def moved(origin: str) -> RuleVersion | None:
    """The version moved into the store from the row ``origin`` ("<app.model>:<id>"), so links, API ids and audit
    entries that name the old row still lead to the rule."""
    return RuleVersion.objects.filter(origin=origin).first()


# --- definitions: what the code declares ------------------------------------------------------------------------


def code_table(key: str) -> RuleTable:
    for tables in TABLES.values():
        for t in tables:
            if key in t:
                return t
    raise Http404(_("规则不存在"))


def default_rule(key: str) -> Rule:
    return code_table(key).versions(key)[-1]


def is_editable(key: str) -> bool:
    """L/S/U rules with a plain value (a number, a share, yes/no) are the institute's to set; regulation is not."""
    rule = default_rule(key)
    return rule.confidence in EDITABLE and isinstance(rule.value, (int, Fraction, Decimal))


def parse_value(key: str, raw: str) -> bool | int | Fraction | Decimal:
    """The text typed in the form, as a value of the rule's type, or a ValidationError in Chinese."""
    like = default_rule(key).value
    text = (raw or "").strip()
    if isinstance(like, bool):
        if text in ("是", "true", "True", "1", "on"):
            return True
        if text in ("否", "false", "False", "0", ""):
            return False
        raise ValidationError(_("请选择“是”或“否”"))
    if isinstance(like, Fraction):
        try:
            share = Fraction(text)
        except (ValueError, ZeroDivisionError):
            raise ValidationError(_("请填写比例，如 1/3 或 0.3")) from None
        if not 0 < share <= 1:
            raise ValidationError(_("比例应大于 0 且不超过 1"))
        return share
    if isinstance(like, Decimal):
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValidationError(_("请填写数字")) from None
        if amount < 0:
            raise ValidationError(_("不能为负数"))
        return amount
    if isinstance(like, int):
        if not text.isdigit():
            raise ValidationError(_("请填写不小于 0 的整数"))
        number = int(text)
        if number > 3650:
            raise ValidationError(_("数值过大，请核对"))
        return number
    raise ValidationError(_("该规则不能在此修改"))


# --- write ------------------------------------------------------------------------------------------------------


def may_edit(user, organization=None) -> bool:
    """``rules.edit`` over ``organization`` (a local override), or over the whole tree (a rule of the institute):
    an office whose role is held at one organisation of a group sets overrides for its subtree only."""
    return can(user, PERM, WHOLE_TREE if organization is None else organization)


def revise(
    user,
    key: str,
    value: Any,
    effective_from: date,
    *,
    organization=None,
    reason: str = "",
    note: str | None = None,
    citation: str | None = None,
    confidence: str | None = None,
) -> RuleVersion:
    """A new version of ``key`` (for ``organization``'s subtree, or the whole institute) from ``effective_from``."""
    if not may_edit(user, organization):
        raise Http404(_("页面不存在"))
    if not is_editable(key):
        raise ValidationError(NOT_EDITABLE)
    _check_from(effective_from)
    current = table(code_table(key), organization).rule(key, effective_from)
    if encode(value) == encode(current.value) and citation is None and confidence is None and note is None:
        raise ValidationError({"value": _("与当前数值相同，没有修改")})
    return add_version(
        user,
        key,
        encode(value),
        effective_from,
        organization=organization,
        citation=citation or LOCAL_CITATION,
        confidence=confidence or Confidence.L,
        note=note,
        default_note=default_rule(key).note,
        reason=reason,
        was=encode(current.value),
    )


def _check_from(effective_from: date) -> None:
    if effective_from < timezone.localdate():
        raise ValidationError({"effective_from": _("生效日期不能早于今天：已经发生的事仍按原规则判断")})


def add_version(
    user,
    key: str,
    value: Any,
    effective_from: date,
    *,
    citation: str,
    confidence: str,
    organization=None,
    note: str | None = None,
    default_note: str = "",
    reason: str = "",
    was: Any = None,
    detail: dict | None = None,
) -> RuleVersion:
    """The next version of ``key`` at one place, from ``effective_from``: the version in force is closed that day,
    never changed otherwise. For rules the code does not declare (the care list) as well as for code rules; the
    caller checks who may and what the value may be. Audited: the closing and the new version."""
    _check_from(effective_from)
    with transaction.atomic():
        at_place = RuleVersion.objects.select_for_update().filter(key=key, organization=organization)
        latest = at_place.order_by("-version").first()
        if latest is not None and effective_from <= latest.effective_from:
            raise ValidationError(
                {
                    "effective_from": _("生效日期须晚于当前版本的生效日期（%(d)s）")
                    % {"d": f"{latest.effective_from:%Y-%m-%d}"}
                }
            )
        new = RuleVersion(
            key=key,
            organization=organization,
            version=(latest.version + 1) if latest else 1,
            value=value,
            citation=citation,
            confidence=confidence,
            note=note if note is not None else (latest.note if latest else default_note),
            effective_from=effective_from,
            supersedes=latest,
            created_by=user,
        )
        new.full_clean()
        if latest is not None and (latest.effective_to is None or latest.effective_to > effective_from):
            before = latest.effective_to
            latest.effective_to = effective_from
            latest.save(update_fields=["effective_to", "updated_at"])
            record(
                "update",
                latest,
                before={"effective_to": before.isoformat() if before else None},
                after={"effective_to": effective_from.isoformat()},
            )
        new.save()
        record(
            "create",
            new,
            after=snapshot(new),
            detail={"supersedes": latest.pk if latest else None, "reason": reason, "was": was, **(detail or {})},
        )
    forget()
    return new


def correct_pending(
    version: RuleVersion,
    value: Any,
    effective_from: date,
    *,
    citation: str,
    confidence: str,
    note: str,
    reason: str = "",
) -> RuleVersion:
    """Correct a version that is not in force yet, in place: nothing has been judged by it, so a correction needs no
    further version. Moving its first day moves the end of the version before it. The caller checks who may;
    audited (the version, and its predecessor when its end moves)."""
    with transaction.atomic():
        v = RuleVersion.objects.select_for_update().filter(pk=version.pk).first()
        if v is None:
            raise Http404(_("对象不存在"))
        if v.effective_from <= timezone.localdate():
            raise ValidationError(_("该版本已经生效，只能新增版本"))
        before = snapshot(v)
        if effective_from != v.effective_from:
            _check_from(effective_from)
            previous = v.supersedes
            if previous is not None:
                if effective_from <= previous.effective_from:
                    raise ValidationError(
                        {
                            "effective_from": _("生效日期须晚于前一版本的生效日期（%(d)s）")
                            % {"d": f"{previous.effective_from:%Y-%m-%d}"}
                        }
                    )
                was_to = previous.effective_to
                previous.effective_to = effective_from
                previous.save(update_fields=["effective_to", "updated_at"])
                record(
                    "update",
                    previous,
                    before={"effective_to": was_to.isoformat() if was_to else None},
                    after={"effective_to": effective_from.isoformat()},
                )
            v.effective_from = effective_from
        v.value, v.citation, v.confidence, v.note = value, citation, confidence, note
        v.full_clean()
        v.save()
        record("update", v, before=before, after=snapshot(v), detail={"reason": reason, "correction": True})
    forget()
    return v
