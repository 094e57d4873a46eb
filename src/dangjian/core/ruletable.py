"""Versioned rule tables: regulation numbers as data, with citation and dates.

A revision is a new ``Rule`` with a later ``effective_from``; past periods keep
being judged by the version in force at the time. Pure Python: no Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from dangjian import clock

CONFIDENCE_LABELS = {
    "P": "条例原文",
    "Q": "条文引用",
    "S": "二手资料",
    "L": "本单位设置",
    "U": "待核实",
}


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
        return self.confidence in {"P", "Q"}

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on < self.effective_to)


class RuleTable:
    def __init__(self, rules: list[Rule]):
        self._rules: dict[str, list[Rule]] = {}
        for rule in rules:
            self._rules.setdefault(rule.key, []).append(rule)
        for versions in self._rules.values():
            versions.sort(key=lambda r: r.effective_from)

    def rule(self, key: str, on: date | None = None) -> Rule:
        on = on or clock.today()
        for candidate in reversed(self._rules[key]):
            if candidate.in_force(on):
                return candidate
        raise LookupError(f"规则 {key} 在 {on} 无有效版本")

    def value(self, key: str, on: date | None = None) -> Any:
        return self.rule(key, on).value

    def keys(self) -> list[str]:
        return sorted(self._rules)
