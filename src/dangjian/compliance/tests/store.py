"""Obligations written straight into the rule store, for tests that need versions the services refuse (dates in
the past) or that want to read what the store holds."""

from __future__ import annotations

from datetime import date

from dangjian.compliance.obligations import VALUE_FIELDS, ObligationTerms, key_of, terms_of_row
from dangjian.rules.models import RuleVersion
from dangjian.rules.services import forget

DEFAULTS = {"condition": "", "required_count": 1, "counts_group_meetings": False, "active": True}


def versions(code: str) -> list[ObligationTerms]:
    rows = RuleVersion.objects.filter(key=key_of(code), organization__isnull=True).order_by("version")
    return [terms_of_row(r) for r in rows]


def current(code: str) -> ObligationTerms:
    return versions(code)[-1]


def add(code: str, effective_from: date, *, citation: str, confidence: str, note: str = "", **value) -> ObligationTerms:
    row = RuleVersion.objects.create(
        key=key_of(code),
        value={**DEFAULTS, **value},
        citation=citation,
        confidence=confidence,
        note=note,
        effective_from=effective_from,
    )
    forget()
    return terms_of_row(row)


def revise(code: str, effective: date, **changes) -> ObligationTerms:
    """A version change written directly (the services refuse dates in the past; the engine must not care)."""
    old = RuleVersion.objects.get(key=key_of(code), organization__isnull=True, effective_to__isnull=True)
    old.effective_to = effective
    old.save()
    own = {k: changes.pop(k) for k in ("citation", "confidence", "note") if k in changes}
    assert set(changes) <= set(VALUE_FIELDS), changes
    row = RuleVersion.objects.create(
        key=old.key,
        version=old.version + 1,
        value={**old.value, **changes},
        citation=own.get("citation", old.citation),
        confidence=own.get("confidence", old.confidence),
        note=own.get("note", old.note),
        effective_from=effective,
        supersedes=old,
    )
    forget()
    return terms_of_row(row)


def ship_defaults() -> None:
    """Version 1 of each shipped obligation (compliance 0002, moved by rules 0004), when a transactional test
    flushed the store."""
    from dangjian.compliance.rule_data import MEETING_RULES

    for data in MEETING_RULES:
        data = dict(data)
        code = data.pop("code")
        if not RuleVersion.objects.filter(key=key_of(code)).exists():
            own = {k: data.pop(k) for k in ("citation", "confidence", "note")}
            add(code, data.pop("effective_from"), **own, **data)
