"""The in-memory plan of a demo tree, before any row exists.

The generator first describes the whole organisation and department trees as plain nodes,
then gives them materialised paths and bulk-inserts them (see ``treepaths``). Keeping the
plan separate from the models lets the same seed be replayed without a database, which is
how determinism is tested.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dangjian import clock

# Flags that plant realistic problems so the structural warnings have something to say.
SMALL = "small"  # fewer than 3 full members (支部工作条例 art. 4)
NO_COMMITTEE = "no_committee"  # ≥7 full members but no elected committee
EXPIRED = "expired"  # the committee's term has run out
DUE_SOON = "due_soon"  # the term ends within a few weeks of the reference date

CN_DIGITS = "零一二三四五六七八九十"

# Every date in the demo is reckoned from one reference day, the day it is built: a demo built today has this
# month's meetings under way and its sitting committees in office, whatever the calendar says. A seed and a
# reference day always give the same rows; ages, terms and admission dates are consistent on that day.
# The test suite builds on FIXED_DATE so its expectations do not move with the calendar.
FIXED_DATE = date(2026, 11, 1)

_reference: ContextVar[date | None] = ContextVar("demo_reference_date", default=None)


def reference_date() -> date:
    """The day the demo being built is dated from (``dated``); outside a build, today (``clock.today``)."""
    return _reference.get() or clock.today()


@contextmanager
def dated(day: date | None = None) -> Iterator[date]:
    """Build everything inside on ``day`` (today when None), read once so a build across midnight stays whole."""
    token = _reference.set(day or clock.today())
    try:
        yield _reference.get()
    finally:
        _reference.reset(token)


def add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def cn_number(n: int) -> str:
    """一 … 九十九, as used in names like 第十二党支部."""
    if n <= 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CN_DIGITS[tens]
    return head + "十" + (CN_DIGITS[ones] if ones else "")


@dataclass(eq=False)
class DeptNode:
    name: str
    code: str
    kind: str
    headcount: int = 0
    retired: bool = False
    children: list[DeptNode] = field(default_factory=list)
    branch: OrgNode | None = None  # the branch its party members belong to
    instance: Any = None

    def add(self, child: DeptNode) -> DeptNode:
        self.children.append(child)
        return child

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(eq=False)
class OrgNode:
    name: str
    code: str
    kind: str
    short_name: str = ""
    joint: bool = False
    founded_on: date | None = None
    flags: frozenset[str] = frozenset()
    children: list[OrgNode] = field(default_factory=list)
    departments: list[DeptNode] = field(default_factory=list)
    instance: Any = None

    def add(self, child: OrgNode) -> OrgNode:
        self.children.append(child)
        return child

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def groups(self) -> list[OrgNode]:
        return [c for c in self.children if c.kind == "group"]


@dataclass(eq=False)
class InstituteSpec:
    """One institute: its committee, its department root and where its staff come from."""

    org: OrgNode
    dept: DeptNode
    city: str
    flagship: bool = False

    @property
    def branches(self) -> list[OrgNode]:
        return [n for n in self.org.walk() if n.kind == "branch"]


@dataclass(eq=False)
class Plan:
    """The whole tree to load: roots of both trees and the institutes in load order."""

    org_root: OrgNode
    dept_root: DeptNode
    institutes: list[InstituteSpec]
