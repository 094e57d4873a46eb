"""Versioned rule tables: regulation numbers as data, with citation and dates.

A revision is a new ``Rule`` with a later ``effective_from``; past periods keep being judged by the version in
force at the time. Every table names its app, so the one catalogue of rules (``dangjian.rules``, the page
/rules/) lists it; a rule that is not regulation (S/L/U) has its value here only as the default, which the
institute may replace through the rule store. Pure Python: no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from dangjian import clock
from dangjian.rules.confidence import LABELS, Confidence, is_regulation

# kept for callers that read the label of a mark
CONFIDENCE_LABELS = {c.value: LABELS[c] for c in Confidence}  # untranslated: rules.confidence.label translates

# every table with an app, in the order of registration: the catalogue lists them
TABLES: dict[str, list[RuleTable]] = {}

# The earliest date a page may ask about: the founding of the People's Republic. Every table answers for any date
# from here on, with the version then in force or ``NoRuleInForce``.
EARLIEST = date(1949, 10, 1)


def gettext_noop(message: str) -> str:
    """Marks a message for the catalogue without importing Django (this module is pure)."""
    return message


NO_RULE_MESSAGE = gettext_noop("该日期（%(on)s）无已知规则：%(title)s")


class NoRuleInForce(LookupError):
    """No version of a rule is known for a date (before the first version, or between two that leave a gap).

    A ``LookupError`` so that callers written for the old error keep working; a page shows ``message`` (in the
    user's words, translated when shown) instead of failing. ``first`` is the earliest version's date, if any.
    """

    def __init__(self, key: str, on: date, *, title: str = "", first: date | None = None):
        self.key = key
        self.on = on
        self.title = title or key
        self.first = first
        super().__init__(f"规则 {key} 在 {on} 无有效版本（该日期无已知规则）")

    @property
    def message(self) -> str:
        """The Chinese sentence a page shows, translated into the user's language when Django is running."""
        from django.conf import settings

        text = NO_RULE_MESSAGE
        if settings.configured:  # the pure rule functions also run without Django settings (scripts, pure tests)
            from django.utils.translation import gettext

            text = gettext(NO_RULE_MESSAGE)
        return text % {"on": f"{self.on:%Y-%m-%d}", "title": self.title}


@dataclass(frozen=True)
class Rule:
    key: str
    value: Any
    citation: str
    confidence: str
    effective_from: date
    effective_to: date | None = None
    note: str = ""

    @property
    def is_regulation(self) -> bool:
        """S/L/U rules are shown as organisation settings, not as regulation."""
        return is_regulation(self.confidence)

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on < self.effective_to)


class RuleSource(Protocol):
    """What a pure rule function reads a rule from: a code ``RuleTable``, or the rule store's view of one for an
    organisation (``rules.lookup.BookTable``), which answers the same way."""

    def rule(self, key: str, on: date | None = None) -> Rule: ...

    def value(self, key: str, on: date | None = None) -> Any: ...


class RuleTable:
    def __init__(self, rules: list[Rule], *, app: str = "", titles: dict[str, str] | None = None):
        self.app = app
        # what each rule says in a few words: the catalogue's heading (the note otherwise)
        self.titles = dict(titles or {})
        self._rules: dict[str, list[Rule]] = {}
        for rule in rules:
            self._rules.setdefault(rule.key, []).append(rule)
        for versions in self._rules.values():
            versions.sort(key=lambda r: r.effective_from)
        if app:
            TABLES.setdefault(app, []).append(self)

    def rule(self, key: str, on: date | None = None) -> Rule:
        """The version in force on ``on``; ``NoRuleInForce`` if none is (an unknown key is a ``KeyError``)."""
        on = on or clock.today()
        versions = self._rules[key]
        for candidate in reversed(versions):
            if candidate.in_force(on):
                return candidate
        raise NoRuleInForce(key, on, title=self.titles.get(key, ""), first=versions[0].effective_from)

    def change_days(self, key: str) -> list[date]:
        """Every day on which ``key`` changes: each version's first day, and the day after each one ends."""
        days: set[date] = set()
        for r in self._rules[key]:
            days.add(r.effective_from)
            if r.effective_to is not None:
                days.add(r.effective_to)
        return sorted(days)

    def value(self, key: str, on: date | None = None) -> Any:
        return self.rule(key, on).value

    def keys(self) -> list[str]:
        return sorted(self._rules)

    def versions(self, key: str) -> list[Rule]:
        return list(self._rules[key])

    def __contains__(self, key: str) -> bool:
        return key in self._rules
