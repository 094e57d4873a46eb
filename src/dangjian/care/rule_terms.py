"""The care list's terms, versioned in the one rule store.

A ``CareRule`` row is a line's identity — which event triggers which kind of care, by whom — and what care
obligations point at. What the office may change about a line (its deadline, whether it is in use, its source and
confidence mark) are versions of the store key ``care.rule.<trigger>.<kind>.<responsible>``: a change starts a new
version from a date and never overwrites one, so an event is judged by the terms in force on the day it happened.
The value is ``{"deadline_days": int, "active": bool}``; the source is the version's citation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dangjian.rules.confidence import is_regulation, label
from dangjian.rules.lookup import RuleBook, Stored

PREFIX = "care.rule."
# Events are accepted from 2000 on (services.check_event); the shipped list governs every one of them, because the
# platform knows of no earlier list.
SHIPPED_FROM = date(2000, 1, 1)


def key_of(trigger: str, kind: str, responsible: str) -> str:
    return f"{PREFIX}{trigger}.{kind}.{responsible}"


def value_of(deadline_days: int, active: bool) -> dict:
    return {"deadline_days": int(deadline_days), "active": bool(active)}


@dataclass(frozen=True)
class Terms:
    """One version of a care line's terms."""

    deadline_days: int
    active: bool
    confidence: str
    source: str
    version: int
    effective_from: date
    effective_to: date | None
    author_id: int | None = None

    @property
    def is_regulation(self) -> bool:
        return is_regulation(self.confidence)

    @property
    def confidence_label(self) -> str:
        return label(self.confidence)

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on < self.effective_to)


def _terms(s: Stored) -> Terms:
    value = s.rule.value or {}
    return Terms(
        deadline_days=int(value.get("deadline_days", 0)),
        active=bool(value.get("active", False)),
        confidence=s.rule.confidence,
        source=s.rule.citation,
        version=s.version,
        effective_from=s.rule.effective_from,
        effective_to=s.rule.effective_to,
        author_id=s.author_id,
    )


def terms_on(book: RuleBook, rule, on: date) -> Terms | None:
    """The terms of ``rule`` (a CareRule) in force on ``on``; None before its first version."""
    found = book.stored(rule.key, on)
    return _terms(found) if found is not None else None


def history(book: RuleBook, rule) -> list[Terms]:
    """Every institute-wide version of ``rule``, oldest first."""
    return [_terms(s) for s in book.versions(rule.key) if s.org_path is None]


def shown(book: RuleBook, rule, on: date) -> Terms | None:
    """What a list shows for ``rule`` on ``on``: the version in force, or else the next one to come."""
    versions = history(book, rule)
    return next((t for t in versions if t.in_force(on)), None) or next(
        (t for t in versions if t.effective_from > on), versions[-1] if versions else None
    )
