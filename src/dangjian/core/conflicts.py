"""Two people editing the same record: the later save is refused instead of silently winning.

A form carries, in a hidden field, a fingerprint of the values it loaded for the fields it edits. The service,
with the row locked, compares it with the row as it is now: if someone saved a change to those fields in
between, nothing is written and the form comes back with what differs (field: the saved value vs yours), so the
user decides knowingly; resubmitting then saves. A fingerprint of the edited fields rather than ``updated_at``:
a change to other columns (a meeting's place, a membership) is no conflict, and a write that does not touch
``updated_at`` is still seen. Clients that send no fingerprint (scripts, the API) keep the previous behaviour.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FIELD = "loaded_version"


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def fingerprint(instance: models.Model, fields: Iterable[str]) -> str:
    values = {name: _plain(instance._meta.get_field(name).value_from_object(instance)) for name in fields}
    return hashlib.sha256(json.dumps(values, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()[:32]


class VersionField(forms.CharField):
    """The hidden field that carries the fingerprint of what the form loaded."""

    def __init__(self, **kwargs):
        super().__init__(widget=forms.HiddenInput, required=False, label=gettext_lazy("版本"), **kwargs)


class EditConflict(Exception):
    def __init__(self, current: str, changes: list[tuple[str, str, str]], by: str = "", at=None):
        super().__init__(_("该记录已被他人修改"))
        self.current, self.changes, self.by, self.at = current, changes, by, at

    @property
    def message(self) -> str:
        who = ""
        if self.by:
            who = _("（%(by)s 于 %(at)s 保存）") % {
                "by": self.by,
                "at": timezone.localtime(self.at).strftime("%Y-%m-%d %H:%M"),
            }
        return _(
            "未保存：您打开本页之后，该记录已被他人修改%(who)s。请核对下表中已保存的内容与您填写的内容，"
            "需要时修改后再次保存。"
        ) % {"who": who}


def _display(field: models.Field, value: Any) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, models.Model):
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, dt.datetime):  # read back from the database in UTC; people read Beijing time
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if timezone.is_aware(value) else f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def ensure_unchanged(
    instance: models.Model,
    fields: Iterable[str],
    loaded: str | None,
    yours: dict[str, Any],
    display: Callable[[str, Any], str] | None = None,
) -> None:
    """Inside the write transaction, on the row locked for update: raise EditConflict if ``fields`` changed
    since the form loaded them. ``display`` shows a value of a field specially (e.g. minutes as text)."""
    fields = list(fields)
    current = fingerprint(instance, fields)
    if not loaded or loaded == current:
        return
    changes = []
    for name, mine in yours.items():
        field = instance._meta.get_field(name)
        theirs = getattr(instance, name)
        if _plain(theirs) != _plain(mine):
            if display:
                shown = display(name, theirs), display(name, mine)
            else:
                shown = _display(field, theirs), _display(field, mine)
            changes.append((str(field.verbose_name), *shown))
    from dangjian.audit.services import history_of

    last = history_of(instance).filter(action="update").order_by("-id").first()
    raise EditConflict(current, changes, last.actor_name if last else "", last.at if last else None)


def show_conflict(form: forms.Form, conflict: EditConflict) -> None:
    """Put the conflict on the form and carry the current fingerprint, so that saving again overwrites knowingly."""
    form.add_error(None, conflict.message)
    form.data = form.data.copy()
    form.data[form.add_prefix(FIELD)] = conflict.current
    form.conflict = conflict  # type: ignore[attr-defined]
