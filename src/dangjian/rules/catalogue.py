"""Every rule of every app in one list, for the page /rules/: the code tables (regulation and defaults), the
rule store's versions and local overrides (the care list's terms among them), the compliance obligations.

A constant number of queries: the store (one, shared with the request; the obligations and the care terms are
versions in it) and the care lines (one), whatever the number of rules and versions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.core.ruletable import TABLES

from . import services
from .confidence import Confidence, is_regulation, label
from .describe import describe
from .lookup import decode


@dataclass
class VersionRow:
    number: str
    value_text: str
    effective_from: date | None
    effective_to: date | None
    place: str  # 全单位 or the organisation of a local override
    origin: str  # 条例/默认 or 本单位修改
    in_force: bool


@dataclass
class Entry:
    app: str
    app_label: str
    key: str
    title: str
    value_text: str
    citation: str
    confidence: str
    note: str = ""
    versions: list[VersionRow] = field(default_factory=list)
    overrides: list[VersionRow] = field(default_factory=list)
    edit_url: str = ""
    edit_label: str = ""

    @property
    def confidence_label(self) -> str:
        return label(self.confidence)

    @property
    def is_regulation(self) -> bool:
        return is_regulation(self.confidence)

    def matches(self, q: str) -> bool:
        text = " ".join([self.title, self.key, self.value_text, self.citation, self.note, self.app_label]).lower()
        return all(word in text for word in q.lower().split())


def app_label(app: str) -> str:
    try:
        return str(apps.get_app_config(app).verbose_name)
    except LookupError:
        return app


def entries(user, today: date) -> list[Entry]:
    may_edit = services.may_edit(user)
    out = _code_entries(today, may_edit) + _obligation_entries(today, may_edit) + _care_entries(today, may_edit)
    order = {app: n for n, app in enumerate(APP_ORDER)}
    out.sort(key=lambda e: (order.get(e.app, 99), not e.is_regulation, e.title))
    return out


APP_ORDER = (
    "compliance",
    "meetings",
    "talks",
    "orgs",
    "development",
    "appraisal",
    "dues",
    "transfers",
    "care",
    "assessment",
)


def _code_entries(today: date, may_edit: bool) -> list[Entry]:
    book = services.book()
    out = []
    for app, tables in TABLES.items():
        for table in tables:
            keys = table.keys()
            for key in keys:
                out.append(_code_entry(app, table, key, book, today, may_edit))
    return out


def _code_entry(app, table, key, book, today, may_edit) -> Entry:
    defaults = table.versions(key)
    try:
        current = book.rule(key, today, base=table)
    except LookupError:  # a rule not yet in force: show its first version
        current = defaults[0]
    entry = Entry(
        app=app,
        app_label=app_label(app),
        key=key,
        title=table.titles.get(key) or current.note or key,
        value_text=describe(key, current.value),
        citation=current.citation,
        confidence=current.confidence,
        note=current.note,
    )
    for n, rule in enumerate(defaults, start=1):
        origin = _("条例规定") if rule.is_regulation else _("默认值")
        entry.versions.append(
            VersionRow(
                f"{origin}{'' if len(defaults) == 1 else n}",
                describe(key, rule.value),
                rule.effective_from,
                rule.effective_to,
                _("全单位"),
                origin,
                rule.in_force(today) and book.stored(key, today) is None,
            )
        )
    like = defaults[-1].value
    for s in book.versions(key):
        row = VersionRow(
            _("第%(n)s版") % {"n": s.version},
            describe(key, decode(s.rule.value, like)),
            s.rule.effective_from,
            s.rule.effective_to,
            s.org_name or _("全单位"),
            _("本单位修改"),
            s.rule.in_force(today),
        )
        (entry.overrides if s.org_path else entry.versions).append(row)
    if services.is_editable(key) and may_edit:
        entry.edit_url = reverse("rules:edit", args=[key])
        entry.edit_label = _("修改")
    return entry


def _obligation_entries(today: date, may_edit: bool) -> list[Entry]:
    """The compliance obligations: versions in the store (``dangjian.compliance.obligations``) with a structured
    value, edited on the compliance rule page (an L/S/U one; a regulation's only shows its source)."""
    from dangjian.compliance.obligations import by_key

    out = []
    for key, vs in by_key(services.book()).items():
        current = next((v for v in vs if v.in_force(today)), vs[-1])
        entry = Entry(
            app="compliance",
            app_label=app_label("compliance"),
            key=key,
            title=current.title,
            value_text=_obligation_text(current),
            citation=current.citation,
            confidence=current.confidence,
            note=current.note,
        )
        for v in vs:
            entry.versions.append(
                VersionRow(
                    _("第%(n)s版") % {"n": v.version},
                    _obligation_text(v),
                    v.effective_from,
                    v.effective_to,
                    _("全单位"),
                    _("本单位修改") if v.author_id else _("默认值"),
                    v.in_force(today),
                )
            )
        latest = vs[-1]
        if may_edit and latest.effective_to is None and latest.is_editable:
            entry.edit_url = reverse("compliance:obligation_edit", args=[latest.code])
            entry.edit_label = _("修改")
        out.append(entry)
    return out


def _obligation_text(rule) -> str:
    text = f"{rule.get_org_kind_display()}：{rule.get_meeting_kind_display()}{rule.requirement_text}"
    if rule.condition:
        text += _("（%(c)s）") % {"c": rule.get_condition_display()}
    if not rule.active:
        text += _("（已停用）")
    return text


def _care_entries(today: date, may_edit: bool) -> list[Entry]:
    """Each line of the care list with its versions from the store (``dangjian.care.rule_terms``)."""
    from dangjian.care.models import CareRule
    from dangjian.care.rule_terms import history

    book = services.book()
    out = []
    for rule in CareRule.objects.order_by("kind", "trigger", "id"):
        versions = history(book, rule)
        current = next((t for t in versions if t.in_force(today)), versions[-1] if versions else None)
        entry = Entry(
            app="care",
            app_label=app_label("care"),
            key=rule.key,
            title=_("%(event)s：%(kind)s") % {"event": rule.get_trigger_display(), "kind": rule.get_kind_display()},
            value_text=_care_text(rule, current) if current else _("尚无生效版本"),
            citation=current.source if current else label(Confidence.L),
            confidence=current.confidence if current else Confidence.L,
        )
        for t in versions:
            entry.versions.append(
                VersionRow(
                    _("第%(n)s版") % {"n": t.version},
                    _care_text(rule, t),
                    t.effective_from,
                    t.effective_to,
                    _("全单位"),
                    _("本单位修改") if t.author_id else _("默认值"),
                    t.in_force(today),
                )
            )
        if may_edit:
            entry.edit_url = reverse("care:rule_edit", args=[rule.pk])
            entry.edit_label = _("在关怀规则页修改")
        out.append(entry)
    return out


def _care_text(rule, terms) -> str:
    text = _("%(n)s天内，由%(who)s%(kind)s") % {
        "n": terms.deadline_days,
        "who": rule.get_responsible_display(),
        "kind": rule.get_kind_display(),
    }
    if not terms.active:
        text += _("（已停用）")
    return text
