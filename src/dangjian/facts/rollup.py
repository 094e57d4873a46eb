"""Helpers every fact provider shares: which records lie under the requested organisations, and the subtree sums.

An organisation's fact covers its whole subtree (a party committee's value is the sum over its general branches,
branches and party groups), because the assessment scores a committee for the work done under it. Records hang on
branches (or groups); a provider counts them per organisation path in one grouped query, and ``rollup`` adds each
path's counts to every requested organisation above it — rows × tree depth, never organisations × organisations.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q
from django.utils import timezone

from dangjian.core.contributions import Number, Period

# Above this many disjoint subtrees a path filter costs more than it saves: count everything, keep what is asked.
MAX_PATH_TERMS = 50


def top_paths(organizations: Sequence[Any]) -> list[str]:
    """The paths of ``organizations`` without those inside another one of them."""
    out: list[str] = []
    for path in sorted({o.path for o in organizations}):
        if not (out and path.startswith(out[-1])):
            out.append(path)
    return out


def under(organizations: Sequence[Any], path_field: str) -> Q:
    """A filter for records whose organisation (``path_field``, e.g. "organization__path") lies in a subtree."""
    paths = top_paths(organizations)
    if not paths:
        return Q(pk__in=[])
    if len(paths) > MAX_PATH_TERMS:
        return Q()
    return reduce(or_, (Q(**{f"{path_field}__startswith": p}) for p in paths))


def _steplen(organizations: Sequence[Any]) -> int:
    return organizations[0].steplen if organizations else 4


def rollup(
    organizations: Sequence[Any], rows: Iterable[tuple[str | tuple[str | None, ...] | None, Mapping[str, Number]]]
) -> dict[int, dict[str, Number]]:
    """Each requested organisation's sum of the ``rows`` (path → counts) in its subtree, itself included.

    A row may name several paths (a transfer has a sending and a receiving branch): it then counts once for each
    organisation above any of them. Every requested organisation gets an entry, zero counts when nothing is under it.
    """
    by_path = {o.path: o.pk for o in organizations}
    steplen = _steplen(organizations)
    out: dict[int, dict[str, Number]] = {o.pk: defaultdict(int) for o in organizations}
    above: dict[str, list[int]] = {}

    def targets_of(path: str) -> list[int]:
        targets = above.get(path)
        if targets is None:
            prefixes = (path[:n] for n in range(steplen, len(path) + 1, steplen))
            targets = above[path] = [pk for p in prefixes if (pk := by_path.get(p)) is not None]
        return targets

    for path, counts in rows:
        if isinstance(path, tuple):
            targets = list(dict.fromkeys(pk for p in path if p for pk in targets_of(p)))
        elif path:
            targets = targets_of(path)
        else:
            continue
        for pk in targets:
            sums = out[pk]
            for key, n in counts.items():
                sums[key] += n or 0
    return {pk: dict(sums) for pk, sums in out.items()}


def percent(part: Number, whole: Number) -> float | None:
    """``part`` of ``whole`` in per cent, one decimal; None when there is nothing to measure."""
    if not whole:
        return None
    return round(100 * float(part) / float(whole), 1)


def as_of(period: Period) -> date:
    """The day a state figure (open cases, arrears) is read on: the period's last day, or today if still running."""
    return min(period.end, timezone.localdate())


def local_bounds(period: Period) -> tuple[datetime, datetime]:
    """The period as local instants [start, end): a meeting belongs to the local day it starts on."""
    tz = timezone.get_current_timezone()
    return datetime.combine(period.start, time.min, tz), datetime.combine(period.end + timedelta(days=1), time.min, tz)
