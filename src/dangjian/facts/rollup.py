"""Helpers every fact provider shares: which records lie under the requested organisations, and the subtree sums.

An organisation's fact covers its whole subtree (a party committee's value is the sum over its general branches,
branches and party groups), because the assessment scores a committee for the work done under it. Records hang on
branches (or groups); a provider counts them per organisation path in one grouped query, and ``rollup`` adds each
path's counts to every requested organisation above it, bottom-up, never organisations × organisations.

Periods: counts of records (meetings, obligations due) take any period; yearly figures (study hours, talks,
appraisal, the compliance rate, screening) read the year the period ends in; states (open cases, arrears, open
transfers, lost contact) are read on the period's last day, or today while it runs (``as_of``).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from functools import reduce, wraps
from operator import or_
from typing import Any

from django.db import connections
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from dangjian.core.contributions import FactValue, Number, Period

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


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the block, back to its state after.

    A whole tree's values are some 200,000 small acyclic objects (values, inputs, breakdowns) that all stay alive:
    with the collector on, every few hundred allocations it walks the young objects and, as the heap grows, the
    whole heap again and again, which measured two to four times the provider's own Python time. Nothing made
    here forms a cycle, so pausing frees nothing later than it would be freed anyway.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def set_wise(compute: Callable[..., Iterable[FactValue]]) -> Callable[..., list[FactValue]]:
    """A provider's ``compute`` run to the end with the collector paused (``collector_paused``), as a list."""

    @wraps(compute)
    def run(*args: Any, **kwargs: Any) -> list[FactValue]:
        with collector_paused():
            return list(compute(*args, **kwargs))

    return run


def _steplen(organizations: Sequence[Any]) -> int:
    return organizations[0].steplen if organizations else 4


def rollup(
    organizations: Sequence[Any], rows: Iterable[tuple[str | tuple[str | None, ...] | None, Mapping[str, Number]]]
) -> dict[int, dict[str, Number]]:
    """Each requested organisation's sum of the ``rows`` (path → counts) in its subtree, itself included.

    Bottom-up: each path's sums are added once to its parent's, so the work is the tree's size times the number
    of counts, whatever the depth. A row may name several paths (a transfer has a sending and a receiving branch):
    it then counts once for each organisation above any of them. Every requested organisation gets an entry,
    empty when nothing lies under it.
    """
    steplen = _steplen(organizations)
    totals: dict[str, dict[str, Number]] = {}
    shared: list[tuple[tuple[str | None, ...], Mapping[str, Number]]] = []
    for path, counts in rows:
        if isinstance(path, tuple):
            shared.append((path, counts))
            continue
        if not path:
            continue
        sums = totals.get(path)
        if sums is None:
            totals[path] = dict(counts)
        else:
            for key, n in counts.items():
                sums[key] = sums.get(key, 0) + n
    for path in list(totals):  # every ancestor gets an entry before the sums move up
        parent = path[:-steplen]
        while parent and parent not in totals:
            totals[parent] = {}
            parent = parent[:-steplen]
    for path in sorted(totals, key=len, reverse=True):
        parent = path[:-steplen]
        if parent:
            up = totals[parent]
            if not up:
                up.update(totals[path])
                continue
            get = up.get
            for key, n in totals[path].items():
                up[key] = get(key, 0) + n
    # each requested path's own dict (no copy): a path is requested once, and every ancestor has its own
    out = {pk: totals.get(path) or {} for pk, path in pk_paths(organizations)}
    if shared:
        _add_shared(organizations, shared, out, steplen)
    return out


def pk_paths(organizations: Sequence[Any]) -> list[tuple[int, str]]:
    """(pk, path) of each organisation: read once, since a model's ``pk`` is a property lookup each time."""
    return [(o.pk, o.path) for o in organizations]


def pks(organizations: Sequence[Any]) -> list[int]:
    """The organisations' ids, read once per provider rather than once per value."""
    return [o.pk for o in organizations]


def fact(
    key: str,
    organization_id: int,
    value: Number | None = None,
    breakdown: Mapping[str, Number] | None = None,
    inputs: Mapping[str, Any] | None = None,
    evidence_url: str = "",
) -> FactValue:
    """``FactValue(...)`` built without the frozen dataclass's per-field ``object.__setattr__``.

    A whole tree makes over 200,000 values; the generated ``__init__`` costs about twice this. The result is an
    ordinary, equal ``FactValue`` (tested against the constructor).
    """
    v = _new(FactValue)
    d = v.__dict__
    d["key"] = key
    d["organization_id"] = organization_id
    d["value"] = value
    d["breakdown"] = breakdown
    d["inputs"] = {} if inputs is None else inputs
    d["evidence_url"] = evidence_url
    return v


_new = object.__new__


def _add_shared(organizations, rows, out, steplen: int) -> None:
    """Rows with several paths: each counts once for every requested organisation above any of its paths."""
    by_path = {o.path: o.pk for o in organizations}
    for paths, counts in rows:
        targets = {
            pk
            for path in paths
            if path
            for n in range(steplen, len(path) + 1, steplen)
            if (pk := by_path.get(path[:n])) is not None
        }
        for pk in targets:
            sums = out[pk]
            for key, n in counts.items():
                sums[key] = sums.get(key, 0) + n


def counted(queryset) -> list[tuple[str, dict[str, int]]]:
    """The rows of a ``values(path=...).annotate(n=Count(...), ...)`` query as (path, counts), read raw.

    Only for counts: both databases return them as integers already, so the rows skip Django's per-value
    converters (a whole tree's people facts are 6,000 rows of 45 counts). The first column must be the path.
    """
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(*queryset.query.sql_with_params())
        first, *names = (c[0] for c in cursor.description)
        if first != "path":
            raise ValueError(f"the first column must be the path, not {first!r}")
        return [(row[0], dict(zip(names, row[1:], strict=True))) for row in cursor.fetchall()]


def within(organizations: Sequence[Any], field: str = "organization") -> Q:
    """A filter for records whose organisation (``field``) lies in the subtrees, by the organisation's id.

    For ``counted_by_org``: no join to the organisation's path before the grouping. Empty (everything) when a
    requested organisation is a root, or there are too many subtrees: ``counted_by_org`` keeps what is asked.
    """
    paths = top_paths(organizations)
    if not paths:
        return Q(pk__in=[])
    if len(paths) > MAX_PATH_TERMS or any(len(p) == _steplen(organizations) for p in paths):
        return Q()
    from dangjian.orgs.models import Organization

    return Q(**{f"{field}__in": Organization.objects.filter(under(organizations, "path")).values("pk")})


def counted_by_org(queryset, organizations: Sequence[Any]) -> list[tuple[str, dict[str, int]]]:
    """``counted`` for a ``values(org=F("organization")).annotate(n=Count(...), ...)`` query: (path, counts).

    The records are grouped by their organisation's id and the paths joined to the few thousand groups after,
    instead of joining a path to each of a year's 178,000 meetings before grouping them (about 40% less work
    for the database for a whole tree). Filter the records with ``within``; the join keeps the requested
    subtrees. The first column must be ``org``.
    """
    if not organizations:
        return []
    from dangjian.orgs.models import Organization

    inner, inner_params = queryset.query.sql_with_params()
    if queryset.query.values_select or next(iter(queryset.query.annotation_select), None) != "org":
        raise ValueError("the first column must be org")
    paths = Organization.objects.filter(under(organizations, "path")).order_by().values("id", "path")
    outer, outer_params = paths.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(
            f"SELECT o.path, c.* FROM ({inner}) c INNER JOIN ({outer}) o ON o.id = c.org",
            (*inner_params, *outer_params),
        )
        _path, _org, *names = (c[0] for c in cursor.description)
        return [(row[0], dict(zip(names, row[2:], strict=True))) for row in cursor.fetchall()]


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


def link(url_name: str, *, pk: bool = False, **query: object) -> str:
    """An evidence link to ``url_name``, reversed once, ending where each organisation's id goes.

    A whole tree makes tens of thousands of links, so a provider appends the id to this prefix rather than
    reversing each: ``link("dues:arrears") + str(org.pk)`` → "/dues/arrears/?org=3". Query values are numbers,
    dates and codes, which need no quoting. With ``pk=True`` the URL takes the id as its one argument instead
    and the result is a format string: ``link("compliance:org", pk=True, year=2025).format(3)``.
    """
    fixed = "".join(f"{k}={v}&" for k, v in query.items())
    if pk:
        head, tail = reverse(url_name, args=[_MARKER]).split(str(_MARKER))
        return f"{head}{{}}{tail}?{fixed}".rstrip("&?")
    return f"{reverse(url_name)}?{fixed}org="


def fixed_link(url_name: str, **query: object) -> str:
    """A link that is the same for every organisation (a page with no organisation filter)."""
    fixed = "&".join(f"{k}={v}" for k, v in query.items())
    return f"{reverse(url_name)}?{fixed}" if fixed else reverse(url_name)


_MARKER = 987654321
