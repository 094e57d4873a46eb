"""The obligations of organisational life, as versions of the one rule store.

An obligation ("<org kind> holds <n> <meeting kind> per <period>", e.g. 支委会每月召开) is the store key
``compliance.obligation.<code>``; each version's value holds what the engine reads, and its citation, confidence
and note are the version's own. ``ObligationTerms`` is one version as a frozen value: the engine, the pages and the
API read these and never the database rows. Obligations bind the whole institute (no organisation overrides: the
heat map compares every organisation against the same list).

Versions never overlap; a period is judged by the version in force on its first day (``engine``), and
``active=False`` is a version too, so switching a local rule off is dated like any other change. The defaults
(version 1 of each) are ``rule_data.MEETING_RULES``, with the articles that require them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from dangjian.core.ruletable import Rule
from dangjian.meetings.models import MeetingKind
from dangjian.orgs.models import OrgKind
from dangjian.rules.confidence import EDITABLE, is_regulation, label
from dangjian.rules.lookup import RuleBook, Stored

from .models import Activity, Condition, PeriodKind

if TYPE_CHECKING:
    from dangjian.rules.models import RuleVersion

PREFIX = "compliance.obligation."
# What a version's value holds (everything but citation, confidence and note, which are the version's columns).
VALUE_FIELDS = (
    "title",
    "org_kind",
    "condition",
    "meeting_kind",
    "period",
    "required_count",
    "counts_group_meetings",
    "active",
)


# ``RuleVersion.origin`` of a version moved in from the old table (rules 0004): links and API ids carried its id.
LEGACY_ORIGIN = "compliance.obligationrule:"


def key_of(code: str) -> str:
    return PREFIX + code


def code_of(key: str) -> str:
    return key[len(PREFIX) :]


def is_obligation(key: str) -> bool:
    return key.startswith(PREFIX)


@dataclass(frozen=True)
class ObligationTerms:
    """One version of one obligation. ``pk`` is the store version's id: what an engine item's ``rule_id`` names."""

    pk: int
    key: str
    version: int
    title: str
    org_kind: str
    condition: str
    meeting_kind: str
    period: str
    required_count: int
    counts_group_meetings: bool
    active: bool
    citation: str
    confidence: str
    note: str
    effective_from: date
    effective_to: date | None
    author_id: int | None = None

    @property
    def code(self) -> str:
        return self.key[len(PREFIX) :]

    @property
    def is_regulation(self) -> bool:
        return is_regulation(self.confidence)

    @property
    def is_local(self) -> bool:
        return not self.is_regulation

    @property
    def is_editable(self) -> bool:
        """L/S/U obligations are the institute's to set; a regulation's (P/Q) only shows where it comes from."""
        return self.confidence in EDITABLE

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on < self.effective_to)

    def value(self) -> dict[str, Any]:
        data = asdict(self)
        return {f: data[f] for f in VALUE_FIELDS}

    def get_org_kind_display(self) -> str:
        return str(OrgKind(self.org_kind).label)

    @property
    def is_meeting(self) -> bool:
        """Met by meetings of a kind (not by another record, e.g. the year's appraisal: ``models.Activity``)."""
        return self.meeting_kind not in Activity.values

    def get_meeting_kind_display(self) -> str:
        if self.meeting_kind in Activity.values:  # met by a record other than a meeting (民主评议党员)
            return str(Activity(self.meeting_kind).label)
        return str(MeetingKind(self.meeting_kind).label)

    def get_period_display(self) -> str:
        return str(PeriodKind(self.period).label)

    def get_confidence_display(self) -> str:
        return label(self.confidence)

    def get_condition_display(self) -> str:
        return str(Condition(self.condition).label)

    @property
    def requirement_text(self) -> str:
        return f"{self.get_period_display()}{self.required_count}次"

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"


def terms_of(s: Stored) -> ObligationTerms:
    value = s.rule.value or {}
    return ObligationTerms(
        pk=s.pk,
        key=s.rule.key,
        version=s.version,
        title=str(value.get("title", "")),
        org_kind=str(value.get("org_kind", "")),
        condition=str(value.get("condition") or ""),
        meeting_kind=str(value.get("meeting_kind", "")),
        period=str(value.get("period", "")),
        required_count=int(value.get("required_count", 1)),
        counts_group_meetings=bool(value.get("counts_group_meetings", False)),
        active=bool(value.get("active", True)),
        citation=s.rule.citation,
        confidence=s.rule.confidence,
        note=s.rule.note,
        effective_from=s.rule.effective_from,
        effective_to=s.rule.effective_to,
        author_id=s.author_id,
    )


def terms_of_row(row: RuleVersion) -> ObligationTerms:
    """One version read straight from its ``RuleVersion`` row (the write side, which must not read a cached book)."""
    return terms_of(
        Stored(
            row.pk,
            Rule(row.key, row.value, row.citation, row.confidence, row.effective_from, row.effective_to, row.note),
            row.version,
            author_id=row.created_by_id,
        )
    )


def every_version(book: RuleBook) -> list[ObligationTerms]:
    """Every institute-wide version of every obligation, by key then version."""
    keys = [key for key in book.keys() if is_obligation(key)]  # noqa: SIM118 (a RuleBook, not a dict)
    return [terms_of(s) for key in keys for s in book.versions(key) if s.org_path is None]


def history(book: RuleBook, key: str) -> list[ObligationTerms]:
    return [terms_of(s) for s in book.versions(key) if s.org_path is None]


def overlapping(book: RuleBook, start: date, end: date) -> list[ObligationTerms]:
    """The versions in force on at least one day of [start, end]."""
    return [
        t for t in every_version(book) if t.effective_from <= end and (t.effective_to is None or t.effective_to > start)
    ]


def by_key(book: RuleBook) -> dict[str, list[ObligationTerms]]:
    out: dict[str, list[ObligationTerms]] = {}
    for t in every_version(book):
        out.setdefault(t.key, []).append(t)
    return out
