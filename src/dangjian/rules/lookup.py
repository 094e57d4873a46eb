"""Which version of a rule governs a date and an organisation: the code default, the institute's version, or the
override of the nearest ancestor. Pure: the caller loads the stored versions (one query) and hands them in.

A ``RuleBook`` holds every stored version; ``book.table(CODE_TABLE, org_path)`` answers like a ``RuleTable``, so
the pure rule functions (which take ``table=``) read the store without knowing it exists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from dangjian import clock
from dangjian.core.ruletable import NoRuleInForce, Rule, RuleTable


@dataclass(frozen=True)
class Stored:
    """One stored version: the rule (value still as stored in JSON) and the subtree it applies to."""

    pk: int
    rule: Rule
    version: int
    org_path: str | None = None
    org_id: int | None = None
    org_name: str = ""
    author_id: int | None = None  # null for versions shipped or moved in by a migration without an author


def encode(value: Any) -> Any:
    """A rule value as JSON: fractions as "1/3", decimals as strings, so nothing is lost to floating point."""
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple):
        return [encode(v) for v in value]
    return value


def decode(raw: Any, like: Any) -> Any:
    """A stored JSON value back in the type of the code default ``like``."""
    if isinstance(like, bool):
        return bool(raw)
    if isinstance(like, Fraction):
        return Fraction(str(raw))
    if isinstance(like, Decimal):
        return Decimal(str(raw))
    if isinstance(like, int):
        return int(raw)
    return raw


class RuleBook:
    def __init__(self, stored: Iterable[Stored], path_of: Callable[[int], str | None] | None = None):
        self._by_key: dict[str, list[Stored]] = {}
        for s in stored:
            self._by_key.setdefault(s.rule.key, []).append(s)
        for versions in self._by_key.values():
            versions.sort(key=lambda s: (s.org_path or "", s.version))
        self.has_local_overrides = any(s.org_path for vs in self._by_key.values() for s in vs)
        self._path_of = path_of
        self._paths: dict[int, str | None] = {}

    def versions(self, key: str) -> list[Stored]:
        return list(self._by_key.get(key, ()))

    def keys(self) -> list[str]:
        return sorted(self._by_key)

    def path_of(self, org_id: int | None) -> str | None:
        """An organisation's path, asked only when some version is an organisation's override (then once per id)."""
        if org_id is None or not self.has_local_overrides or self._path_of is None:
            return None
        if org_id not in self._paths:
            self._paths[org_id] = self._path_of(org_id)
        return self._paths[org_id]

    def know_paths(self, paths: dict[int, str | None]) -> None:
        """Paths loaded by the caller in one query for many organisations (see ``services.prefetch_paths``)."""
        self._paths.update(paths)

    def missing_paths(self, org_ids: Iterable[int | None]) -> set[int]:
        if not self.has_local_overrides:
            return set()
        return {i for i in org_ids if i is not None and i not in self._paths}

    def stored(self, key: str, on: date, org_path: str | None = None) -> Stored | None:
        """The governing stored version on ``on``: the deepest of the institute's and the ancestors' overrides."""
        best: Stored | None = None
        for s in self._by_key.get(key, ()):
            if not s.rule.in_force(on):
                continue
            if s.org_path is not None and (org_path is None or not org_path.startswith(s.org_path)):
                continue
            if best is None or len(s.org_path or "") > len(best.org_path or ""):
                best = s
        return best

    def rule(
        self, key: str, on: date | None = None, *, base: RuleTable | None = None, org_path: str | None = None
    ) -> Rule:
        on = on or clock.today()
        found = self.stored(key, on, org_path)
        default = None
        if base is not None and key in base:
            try:
                default = base.rule(key, on)
            except NoRuleInForce:
                default = None
        if found is None:
            if default is None:
                # before the first version (code or stored): say so in words, as the code table does
                raise NoRuleInForce(key, on, title=_title(base, key), first=self._first(key, base))
            return default
        r = found.rule
        like = default.value if default is not None else _latest_default(base, key)
        value = decode(r.value, like) if like is not None else r.value
        return Rule(r.key, value, r.citation, r.confidence, r.effective_from, r.effective_to, r.note)

    def _first(self, key: str, base: RuleTable | None) -> date | None:
        days = [s.rule.effective_from for s in self._by_key.get(key, ())]
        if base is not None and key in base:
            days.append(base.versions(key)[0].effective_from)
        return min(days, default=None)

    def table(self, base: RuleTable, org_path: str | None = None) -> BookTable:
        return BookTable(self, base, org_path)


def _title(base: RuleTable | None, key: str) -> str:
    return base.titles.get(key, "") if base is not None else ""


def _latest_default(base: RuleTable | None, key: str) -> Any:
    if base is None or key not in base:
        return None
    return base.versions(key)[-1].value


class BookTable:
    """A code table seen through the store, for one organisation: answers like ``RuleTable``."""

    def __init__(self, book: RuleBook, base: RuleTable, org_path: str | None = None):
        self.book = book
        self.base = base
        self.org_path = org_path
        self.app = base.app
        self.titles = base.titles

    def rule(self, key: str, on: date | None = None) -> Rule:
        return self.book.rule(key, on, base=self.base, org_path=self.org_path)

    def value(self, key: str, on: date | None = None) -> Any:
        return self.rule(key, on).value

    def keys(self) -> list[str]:
        return self.base.keys()

    def versions(self, key: str) -> list[Rule]:
        return self.base.versions(key)

    def __contains__(self, key: str) -> bool:
        return key in self.base
