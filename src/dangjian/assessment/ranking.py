"""Totals, bands and ranks of a cycle's units: pure functions, importable without Django settings.

A unit's total is its auto and manual points, plus its deductions (each leaf's occurrences combined by
``scoring.occurrences_total``), plus its bonuses summed and capped by the system's ``bonus_cap``. Ranking is
competition ranking ("1224"): units with equal totals share a rank and the next rank skips. A vetoed unit
(一票否决) keeps its total and rank — the ranking shows what it earned — but takes the lowest band
(``scoring.grade``). Ranks are given overall and within each kind (党委 / 党总支 / 党支部) as recorded when the
cycle opened.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, TypeVar

from .scoring import ZERO, grade, occurrences_total, rounded

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class LeafOccurrences:
    """The magnitudes recorded on one deduction or bonus leaf for one unit (each a positive number)."""

    method: str  # "deduction" or "bonus"
    combine: str  # "highest" or "sum"
    points: Decimal  # the leaf's cap
    magnitudes: tuple[Decimal, ...]


@dataclass(frozen=True)
class UnitInput:
    unit: int
    kind: str
    points: Decimal  # auto + manual points already scored
    occurrences: tuple[LeafOccurrences, ...] = ()
    veto: bool = False
    sections: Mapping[int, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class UnitResult:
    unit: int
    kind: str
    total: Decimal
    band: str
    rank: int
    rank_in_kind: int
    veto: bool
    deductions: Decimal
    bonus: Decimal
    sections: Mapping[int, Decimal]


def adjustments(occurrences: Iterable[LeafOccurrences], bonus_cap: Decimal) -> tuple[Decimal, Decimal]:
    """(deductions ≤ 0, bonus ≥ 0): each leaf by its own rule and cap, the bonuses together by the system's cap."""
    deductions = ZERO
    bonus = ZERO
    for leaf in occurrences:
        points = occurrences_total(leaf.method, leaf.combine, leaf.magnitudes, leaf.points)
        if leaf.method == "deduction":
            deductions += points
        else:
            bonus += points
    return rounded(deductions), rounded(min(bonus, max(Decimal(bonus_cap), ZERO)))


def competition_ranks(values: Mapping[K, Decimal]) -> dict[K, int]:
    """Rank keys by value, highest first; equal values share a rank and the next rank skips (1, 2, 2, 4)."""
    ordered = sorted(values.items(), key=lambda kv: kv[1], reverse=True)
    ranks: dict[K, int] = {}
    previous: Decimal | None = None
    rank = 0
    for position, (key, value) in enumerate(ordered, start=1):
        if value != previous:
            rank = position
            previous = value
        ranks[key] = rank
    return ranks


def rank(units: Sequence[UnitInput], bands: Sequence[Sequence[Any]], bonus_cap: Decimal) -> list[UnitResult]:
    """Every unit's total, band and ranks, best first (ties in unit order); empty for no units."""
    totals: dict[int, tuple[Decimal, Decimal, Decimal]] = {}
    for u in units:
        deductions, bonus = adjustments(u.occurrences, bonus_cap)
        totals[u.unit] = (rounded(u.points + deductions + bonus), deductions, bonus)
    overall = competition_ranks({pk: t[0] for pk, t in totals.items()})
    by_kind: dict[str, dict[int, Decimal]] = defaultdict(dict)
    for u in units:
        by_kind[u.kind][u.unit] = totals[u.unit][0]
    in_kind = {pk: r for values in by_kind.values() for pk, r in competition_ranks(values).items()}
    out = [
        UnitResult(
            unit=u.unit,
            kind=u.kind,
            total=totals[u.unit][0],
            band=grade(totals[u.unit][0], bands, veto=u.veto),
            rank=overall[u.unit],
            rank_in_kind=in_kind[u.unit],
            veto=u.veto,
            deductions=totals[u.unit][1],
            bonus=totals[u.unit][2],
            sections=dict(u.sections),
        )
        for u in units
    ]
    out.sort(key=lambda r: r.rank)
    return out


def changes(current: Sequence[UnitResult], previous: Sequence[UnitResult]) -> dict[int, Decimal]:
    """Year-over-year change of each unit's total, for the units assessed in both cycles."""
    before = {r.unit: r.total for r in previous}
    return {r.unit: rounded(r.total - before[r.unit]) for r in current if r.unit in before}


@dataclass(frozen=True)
class BandCount:
    """How many units a band holds, and its quota (名额) when the system sets one."""

    band: str
    count: int
    allowed: int | None  # the most units the band may hold, None without a quota
    share: Decimal | None  # the quota as a share of the units, e.g. 0.3

    @property
    def excess(self) -> int:
        """How many units must move to a lower band before the cycle may be signed off."""
        return max(0, self.count - self.allowed) if self.allowed is not None else 0


def distribution(
    results: Sequence[UnitResult], bands: Sequence[Sequence[Any]], quotas: Mapping[str, Any]
) -> list[BandCount]:
    """Units per band, highest band first, each with its quota: a share of all the cycle's units, rounded down
    (30 % of 61 units is 18, not 18.3 — a quota is a ceiling, so a fraction of a unit is not a place)."""
    counts: dict[str, int] = defaultdict(int)
    for r in results:
        counts[r.band] += 1
    n = len(results)
    out = []
    for _minimum, name in sorted(bands, key=lambda b: Decimal(str(b[0])), reverse=True):
        share = quotas.get(name)
        allowed = int(Decimal(str(share)) * n) if share is not None else None
        out.append(BandCount(str(name), counts[str(name)], allowed, Decimal(str(share)) if share is not None else None))
    return out


def band_names(bands: Sequence[Sequence[Any]]) -> list[str]:
    """The band names, highest first."""
    return [str(name) for _minimum, name in sorted(bands, key=lambda b: Decimal(str(b[0])), reverse=True)]


def is_lower(band: str, than: str, bands: Sequence[Sequence[Any]]) -> bool:
    """Whether ``band`` is a lower band than ``than`` (unknown names are never lower)."""
    names = band_names(bands)
    return band in names and than in names and names.index(band) > names.index(than)


def adjust(
    results: Sequence[UnitResult], adjusted: Mapping[int, str], bands: Sequence[Sequence[Any]]
) -> list[UnitResult]:
    """The results with the office's band adjustments (定档调整) applied: a unit takes its adjusted band only when it
    is lower than the band its total earned — an adjustment moves a unit down to meet a quota, never up (a unit
    whose total later fell below the adjusted band keeps the lower one it earned). Totals and ranks are unchanged."""
    out = []
    for r in results:
        band = adjusted.get(r.unit)
        out.append(replace(r, band=band) if band is not None and is_lower(band, r.band, bands) else r)
    return out
