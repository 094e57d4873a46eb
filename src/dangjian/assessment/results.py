"""A cycle's results read from its stored scores: totals, bands, ranks, per-一级 subtotals, year-over-year change.

A constant number of queries whatever the number of units: the indicators, the units, the current snapshot's
scores summed per unit and 一级 indicator in the database, the settled manual scores likewise
(``manual_scores.section_sums``), the active occurrences, and the same for the previous cycle of the system (by
name) for the change. Ranking itself is pure (``ranking``). A manual leaf not yet scored counts 0 and the results
say so (``manual_pending``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from . import manual_scores, ranking
from .cycles import leaves
from .models import AssessmentCycle, AutoScore, CycleUnit, Indicator, Method, Occurrence, SectionScore, Snapshot


@dataclass(frozen=True)
class UnitRef:
    """A unit as the tables show it: its id and name (6,000 model instances cost more than the ranking)."""

    pk: int
    name: str


@dataclass
class Row:
    organization: Any
    result: ranking.UnitResult
    change: Decimal | None


@dataclass
class CycleResults:
    cycle: AssessmentCycle
    snapshot: Snapshot | None
    indicators: list[Indicator]
    sections: list[Indicator]  # the 一级 indicators, in order
    rows: list[Row]  # best first
    manual_pending: bool  # some leaves are scored by people, not yet
    averages: dict[int, Decimal]  # each 一级 indicator's mean over all the cycle's units (the radar's second line)

    def row_of(self, unit_id: int) -> Row | None:
        return next((r for r in self.rows if r.organization.pk == unit_id), None)


def _occurrences(
    cycle: AssessmentCycle, by_pk: dict[int, Indicator]
) -> tuple[dict[int, tuple[ranking.LeafOccurrences, ...]], set[int]]:
    per_leaf: dict[int, dict[int, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    vetoed: set[int] = set()
    rows = Occurrence.objects.filter(cycle=cycle, withdrawn_at__isnull=True).values_list(
        "unit_id", "indicator_id", "points"
    )
    for unit_id, indicator_id, points in rows:
        leaf = by_pk.get(indicator_id)
        if leaf is None:
            continue
        if leaf.method == Method.VETO:
            vetoed.add(unit_id)
        else:
            per_leaf[unit_id][indicator_id].append(abs(points))
    out = {
        unit_id: tuple(
            ranking.LeafOccurrences(
                method=by_pk[pk].method,
                combine=str((by_pk[pk].params or {}).get("combine", "sum")),
                points=by_pk[pk].points,
                magnitudes=tuple(values),
            )
            for pk, values in leaves_of.items()
        )
        for unit_id, leaves_of in per_leaf.items()
    }
    return out, vetoed


def _ranked(cycle: AssessmentCycle, snapshot: Snapshot | None) -> tuple[list[Indicator], list[Any], list[Any]]:
    indicators, _top = leaves(cycle.system)
    by_pk = {i.pk: i for i in indicators}
    units = list(
        CycleUnit.objects.filter(cycle=cycle)
        .order_by("organization__path")
        .values_list("organization_id", "kind", "organization__name")
    )
    sums: dict[int, dict[int, Decimal]] = defaultdict(dict)
    if snapshot is not None:
        for unit_id, section_id, total in SectionScore.objects.filter(snapshot=snapshot).values_list(
            "unit_id", "section_id", "points"
        ):
            sums[unit_id][section_id] = total
    for unit_id, per_section in manual_scores.section_sums(cycle).items():
        for section_id, total in per_section.items():
            sums[unit_id][section_id] = sums[unit_id].get(section_id, Decimal(0)) + total
    occurrences, vetoed = _occurrences(cycle, by_pk)
    inputs = [
        ranking.UnitInput(
            unit=pk,
            kind=kind,
            points=sum(sums[pk].values(), Decimal(0)),
            occurrences=occurrences.get(pk, ()),
            veto=pk in vetoed,
            sections=sums[pk],
        )
        for pk, kind, _name in units
    ]
    return indicators, units, ranking.rank(inputs, cycle.system.bands, cycle.system.bonus_cap)


# The ranking of a cycle, per process, for the version it was computed at: (cycle, opened_at, version, snapshot) →
# the indicators, units, ranked results, whether manual items are pending and the section averages; and the rows
# the pages read (with the change against the previous cycle's kept ranking). A group's 6,000 units take ≈0.5 s to
# sum and rank, and every results page, unit page and API call needs the whole ranking (a rank is relative). A
# write that changes a result raises the cycle's results_version (``AssessmentCycle.results_changed``) and each
# read asks the database for the version first (one small query), so a page never shows a ranking older than the
# last write, whichever worker computed it. Readers never change what is kept.
@dataclass(frozen=True)
class _Kept:
    key: tuple[Any, ...]
    indicators: list[Indicator]
    units: list[Any]
    ranked: list[ranking.UnitResult]
    pending: bool
    averages: dict[int, Decimal]


_KEPT: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_KEPT_LOCK = threading.Lock()
_KEPT_SIZE = 16


def _remembered(key: tuple[Any, ...], make: Any) -> Any:
    with _KEPT_LOCK:
        found = _KEPT.get(key)
        if found is not None:
            _KEPT.move_to_end(key)
            return found
    value = make()
    with _KEPT_LOCK:
        _KEPT[key] = value
        while len(_KEPT) > _KEPT_SIZE:
            _KEPT.popitem(last=False)
    return value


def forget() -> None:
    """Drop every kept ranking (tests: a rolled-back database may reuse ids)."""
    with _KEPT_LOCK:
        _KEPT.clear()


def _kept(cycle: AssessmentCycle, snapshot: Snapshot | None) -> _Kept:
    stamp = AssessmentCycle.objects.filter(pk=cycle.pk).values_list("opened_at", "results_version").first()
    taken = (snapshot.pk, snapshot.taken_at) if snapshot else (None, None)
    key = ("ranked", cycle.pk, *(stamp or ()), *taken)

    def make() -> _Kept:
        indicators, units, ranked = _ranked(cycle, snapshot)
        return _Kept(key, indicators, units, ranked, _manual_pending(cycle, indicators), _averages(indicators, ranked))

    return _remembered(key, make)  # type: ignore[no-any-return]


def current_snapshot(cycle: AssessmentCycle) -> Snapshot | None:
    return Snapshot.objects.filter(cycle=cycle, current=True).first()


def previous_cycle(cycle: AssessmentCycle) -> AssessmentCycle | None:
    """The latest earlier cycle of a system of the same name and the same half (or whole year)."""
    return (
        AssessmentCycle.objects.filter(system__name=cycle.system.name, year__lt=cycle.year, half=cycle.half)
        .select_related("system")
        .order_by("-year", "-pk")
        .first()
    )


def results(cycle: AssessmentCycle, snapshot: Snapshot | None = None, *, compare: bool = True) -> CycleResults:
    snapshot = snapshot or current_snapshot(cycle)
    kept = _kept(cycle, snapshot)
    before = previous_cycle(cycle) if compare else None
    earlier = _kept(before, current_snapshot(before)) if before is not None else None

    def make() -> list[Row]:
        change = ranking.changes(kept.ranked, earlier.ranked) if earlier is not None else {}
        orgs = {pk: UnitRef(pk, name) for pk, _kind, name in kept.units}
        return [Row(organization=orgs[r.unit], result=r, change=change.get(r.unit)) for r in kept.ranked]

    rows = _remembered(("rows", kept.key, earlier.key if earlier else None), make)
    return CycleResults(
        cycle=cycle,
        snapshot=snapshot,
        indicators=kept.indicators,
        sections=[i for i in kept.indicators if i.parent_id is None],
        rows=rows,
        manual_pending=kept.pending,
        averages=kept.averages,
    )


def _averages(indicators: list[Indicator], ranked: list[Any]) -> dict[int, Decimal]:
    if not ranked:
        return {}
    n = Decimal(len(ranked))
    tops = [i.pk for i in indicators if i.parent_id is None]
    return {pk: sum((r.sections.get(pk) or Decimal(0) for r in ranked), Decimal(0)) / n for pk in tops}


def _manual_pending(cycle: AssessmentCycle, indicators: list[Indicator]) -> bool:
    """Some unit × manual leaf has no settled score yet, or one is disputed."""
    if not any(i.method == Method.MANUAL for i in indicators):
        return False
    done = manual_scores.progress(cycle)
    return done["scored"] < done["items"] or done["disputed"] > 0


def unit_scores(snapshot: Snapshot | None, unit_id: int) -> dict[int, AutoScore]:
    """One unit's auto scores in a snapshot, by indicator."""
    if snapshot is None:
        return {}
    return {s.indicator_id: s for s in AutoScore.objects.filter(snapshot=snapshot, unit_id=unit_id)}
