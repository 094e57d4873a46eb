"""Audit rows as people read them: field labels, human values, Beijing times, short texts and lists.

A stored row is never changed (its digest covers every column, ``chain.py``): the snapshots keep field names,
ids, raw values and UTC ISO times, and are turned into words only here, when a page shows them. Names of related
objects are looked up in one query per related model for the whole page, so the query count does not grow with
the number of rows.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from .models import AuditAction, AuditEvent

#: A list longer than this is cut, with the count of the rest ("…等 N 项").
LIST_LIMIT = 10
#: A text longer than this (minutes, notes) is cut with an ellipsis.
TEXT_LIMIT = 120
#: Rows whose actor is the account that signed in (or tried to): before sign-in there is no user in the request.
LOGIN_ACTIONS = (AuditAction.LOGIN, AuditAction.LOGIN_FAILED, AuditAction.LOGOUT)
#: Fields that name a row, tried in this order, for the names of related objects.
NAME_FIELDS = ("name", "title", "username", "code")
#: Snapshot keys not worth a line: the row's own id is in the object column.
HIDDEN_KEYS = frozenset({"id"})

_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_SPACES = re.compile(r"\s+")


def _channel_labels() -> dict[str, str]:
    return {"web": _("网页"), "api": _("接口"), "cli": _("命令行"), "system": _("系统")}


def _detail_labels() -> dict[str, str]:
    """Labels of the keys services write into ``detail`` (free keys, not model fields)."""
    return {
        "reason": _("原因"),
        "year": _("年度"),
        "years": _("年限"),
        "second_factor": _("第二因素"),
        "directory": _("目录登录"),
        "what": _("内容"),
        "person_id": _("人员"),
        "meeting": _("会议"),
        "fields": _("字段"),
        "rows": _("行数"),
        "count": _("数量"),
        "counts": _("数量"),
        "failed": _("失败"),
        "decision": _("决定"),
        "note": _("备注"),
        "status": _("状态"),
        "from": _("从"),
        "to": _("至"),
        "first": _("起"),
        "last": _("止"),
        "before": _("截至"),
        "people": _("人员"),
        "kind": _("类别"),
        "step": _("步骤"),
        "step_name": _("步骤名称"),
        "filters": _("筛选条件"),
        "search": _("搜索"),
    }


@cache
def _models_by_label() -> dict[str, type[models.Model]]:
    """Every model under its current label and the labels its older rows kept (``audit_former_labels``)."""
    out: dict[str, type[models.Model]] = {}
    for model in apps.get_models():
        out[model._meta.label_lower] = model
        for former in getattr(model, "audit_former_labels", ()):
            out.setdefault(former, model)
    return out


def model_for(label: str) -> type[models.Model] | None:
    return _models_by_label().get(label.lower())


def type_label(label: str) -> str:
    """The verbose name of an object type ("会议" for meetings.meeting); the label itself if no model has it."""
    model = model_for(label) if label else None
    return str(model._meta.verbose_name) if model else label


def type_choices(labels: Iterable[str]) -> list[tuple[str, str]]:
    """The object types present, one choice per model (former labels merged in), sorted by their name."""
    seen: dict[str, str] = {}
    for label in labels:
        if not label:
            continue
        model = model_for(label)
        value = model._meta.label_lower if model else label
        seen[value] = type_label(value)
    return sorted(seen.items(), key=lambda kv: (kv[1], kv[0]))


def _fields_by_key(model: type[models.Model] | None) -> dict[str, models.Field]:
    if model is None:
        return {}
    out: dict[str, models.Field] = {}
    for f in model._meta.concrete_fields:
        out[f.attname] = f  # snapshots name a foreign key by its column ("host_id"), whose value is an id
    return out


def _name_field(model: type[models.Model]) -> str | None:
    names = {f.name for f in model._meta.concrete_fields if not getattr(f, "sealed", False)}
    return next((n for n in NAME_FIELDS if n in names), None)


def _related_names(wanted: Mapping[type[models.Model], set[Any]]) -> dict[tuple[type[models.Model], str], str]:
    """One query per related model for all the ids a page refers to; deleted rows keep their names."""
    out: dict[tuple[type[models.Model], str], str] = {}
    for model, ids in wanted.items():
        name = _name_field(model)
        if name is None or not ids:
            continue
        rows = model._base_manager.filter(pk__in=ids).values_list("pk", name)
        out.update({(model, str(pk)): str(value) for pk, value in rows})
    return out


def _plain_text(value: str) -> str:
    """Text without markup (minutes are stored as sanitised HTML), cut to ``TEXT_LIMIT``; escaped by the template."""
    text = value
    if "<" in text and ">" in text:
        text = html.unescape(strip_tags(text))
    text = _SPACES.sub(" ", text).strip()
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"


def local_time(value: str) -> str | None:
    """An ISO date-time written by a snapshot ("2026-12-01T23:20:55+00:00") in Beijing time, or None."""
    if not _ISO_DATETIME.match(value):
        return None
    moment = parse_datetime(value)
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def _scalar(value: Any, f: models.Field | None, names: Mapping[tuple[type[models.Model], str], str]) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if f is not None and f.is_relation and f.related_model is not None:
        return names.get((f.related_model, str(value)), f"#{value}")
    if f is not None and f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, str):
        return local_time(value) or _plain_text(value)
    return str(value)


def human_value(value: Any, f: models.Field | None = None, names: Mapping | None = None) -> str:
    """A snapshot value as words: 是/否, choice labels, related names, Beijing times, short text, cut lists."""
    names = names or {}
    if isinstance(value, list | tuple | set):
        items = list(value)
        shown = "、".join(human_value(v, f, names) for v in items[:LIST_LIMIT])
        if len(items) > LIST_LIMIT:
            shown += _("…等 %(n)s 项") % {"n": len(items)}
        return shown or "—"
    if isinstance(value, dict):
        parts = [f"{k}: {human_value(v, None, names)}" for k, v in list(value.items())[:LIST_LIMIT]]
        if len(value) > LIST_LIMIT:
            parts.append(_("…等 %(n)s 项") % {"n": len(value)})
        return "；".join(parts) or "—"
    return _scalar(value, f, names)


@dataclass
class ShownEvent:
    event: AuditEvent
    actor: str
    object_type: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    detail: list[tuple[str, str]] = field(default_factory=list)

    def __getattr__(self, name: str) -> Any:  # at, ip, request_id, object_repr, get_action_display …
        return getattr(self.event, name)


def actor_of(event: AuditEvent) -> str:
    """Who acted: the account, or for a sign-in (made before the request has a user) the account signing in."""
    if event.actor_id:
        return event.actor_name
    if event.action in LOGIN_ACTIONS and event.object_repr:
        return event.object_repr
    return _channel_labels().get(event.actor_name, event.actor_name)


def _label(key: str, f: models.Field | None) -> str:
    if f is not None:
        return str(f.verbose_name)
    return _detail_labels().get(key, key)


def present(events: Iterable[AuditEvent]) -> list[ShownEvent]:
    """The rows of one page, ready for a template (see the module docstring)."""
    rows = list(events)
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    fields_of = {}
    for e in rows:
        fields = fields_of.setdefault(e.object_type, _fields_by_key(model_for(e.object_type)))
        extra = e.detail if isinstance(e.detail, dict) else {}
        for snap in (e.before or {}, e.after or {}, extra):
            for key, value in snap.items():
                f = fields.get(key)
                if f is None or not f.is_relation or f.related_model is None or value is None:
                    continue
                for v in value if isinstance(value, list) else [value]:
                    if isinstance(v, int) and not isinstance(v, bool) or isinstance(v, str) and v.isdigit():
                        wanted[f.related_model].add(int(v))
    names = _related_names(wanted)
    out = []
    for e in rows:
        fields = fields_of[e.object_type]
        changes = [
            (
                _label(key, fields.get(key)),
                human_value(b, fields.get(key), names),
                human_value(a, fields.get(key), names),
            )
            for key, b, a in e.changes
            if key not in HIDDEN_KEYS
        ]
        detail = [
            (_label(key, fields.get(key)), human_value(value, fields.get(key), names))
            for key, value in (e.detail.items() if isinstance(e.detail, dict) else [])
        ]
        if e.detail is not None and not isinstance(e.detail, dict):
            detail.append(("", human_value(e.detail)))
        out.append(ShownEvent(e, actor_of(e), type_label(e.object_type), changes, detail))
    return out
