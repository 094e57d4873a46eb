"""The unit a report covers (a subtree, several subtrees, or the whole tree) and the report's two dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import reduce
from operator import or_

from django.db.models import Q

from dangjian.core.tree_paths import in_subtree, subtree_q


@dataclass(frozen=True)
class Subtree:
    """Organisations below ``paths`` (each path and its descendants); ``paths=None`` is the whole tree."""

    paths: tuple[str, ...] | None

    def q(self, field: str = "organization__path") -> Q:
        if self.paths is None:
            return Q()
        return reduce(or_, (subtree_q(p, field) for p in self.paths), Q(pk__in=[]))

    def contains(self, path: str) -> bool:
        return self.paths is None or any(in_subtree(path, p) for p in self.paths)


@dataclass(frozen=True)
class Period:
    """The report's year: ``last`` is 31 December of the year before, ``end`` 31 December of the year (统计时点)."""

    year: int

    @property
    def last(self) -> date:
        return date(self.year - 1, 12, 31)

    @property
    def end(self) -> date:
        return date(self.year, 12, 31)

    @property
    def start(self) -> date:
        return date(self.year, 1, 1)


def active_on(on: date, prefix: str = "") -> Q:
    """A membership on the rolls on ``on``: started by then, not ended by then (a move ends the old row the day
    the new one starts, so a person is in one place on any day)."""
    return Q(**{f"{prefix}started_on__lte": on}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": on})
    )


def full_on(on: date, prefix: str = "") -> Q:
    """A full member on ``on`` (正式党员): converted by then; a probationary member (预备党员) otherwise."""
    return Q(**{f"{prefix}status": "full"}) & (
        Q(**{f"{prefix}converted_on__isnull": True}) | Q(**{f"{prefix}converted_on__lte": on})
    )


def in_year(field: str, period: Period) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})
