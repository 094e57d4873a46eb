"""Checkup values as the record page and the export show them: grouped, labelled, with units; never guessed."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .fields import BOOL, CHOICE, FIELDS, FIT_CHOICES, GROUP_LABELS, pg_ratio_of
from .units import default_unit


def _number(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def show(field, values: dict) -> str:
    value = values.get(field.name)
    if field.name == "pg_ratio" and value is None:
        computed = pg_ratio_of(values)
        return _("%(v)s（由 PG I / PG II 计算）") % {"v": _number(computed)} if computed is not None else ""
    if value is None:
        return ""
    if field.kind == BOOL:
        return _("是") if value else _("否")
    if field.kind == CHOICE:
        return str(dict(FIT_CHOICES).get(value, value))
    unit = default_unit(field.name)
    return _number(value) if unit == "ratio" else f"{_number(value)} {unit}"


def grouped(values: dict) -> list[tuple[str, list[tuple[str, str]]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    for f in FIELDS:
        out.setdefault(f.group, []).append((f.label, show(f, values)))
    return [(str(GROUP_LABELS[g]), rows) for g, rows in out.items()]
