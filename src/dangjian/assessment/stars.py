"""星级党支部: a signed cycle's totals turned into star levels with each level's quota. Pure (no Django).

A unit takes the highest level whose minimum its total reaches (一星 below every minimum). A level with a quota (a
share of all the rated units, e.g. 五星 ≤ 10 %) holds at most ``floor(share × units)`` units — a quota is a
ceiling, so a fraction of a unit is not a place (as ``ranking.distribution``). When more units qualify, the lowest
totals among them move down one level, where they count towards that level's own quota (levels are settled from
the top down, so a unit may move down more than once).

Ties at the boundary: units with equal totals always take the same level. When the quota's cut falls between
units with the same total, all of them move down — admitting them all would exceed the ceiling — so a level may
hold fewer units than its quota (even none when every qualifying unit ties). A vetoed unit (一票否决) takes the
lowest level whatever its total, as it takes the lowest band. The thresholds and quotas are the institute's
settings (本单位设置, ``rule_data``).
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

LOWEST = 1


@dataclass(frozen=True)
class Level:
    stars: int
    minimum: Decimal
    quota: Decimal | None = None  # a share of all rated units (0.1 for 10 %), None: no quota


def allowed(level: Level, units: int) -> int | None:
    """The most units ``level`` may hold among ``units`` rated units (rounded down), None without a quota."""
    if level.quota is None:
        return None
    if level.quota < 0:
        raise ValueError("a quota is a share between 0 and 1")
    return int(Decimal(level.quota) * units)


def qualified(total: Decimal, levels: Sequence[Level]) -> int:
    """The highest level whose minimum ``total`` reaches, before quotas; ``LOWEST`` below every minimum."""
    for level in sorted(levels, key=lambda lv: lv.stars, reverse=True):
        if total >= level.minimum:
            return level.stars
    return LOWEST


def assign(totals: Mapping[K, Decimal], levels: Sequence[Level], vetoed: Collection[K] = ()) -> dict[K, int]:
    """Each unit's stars: the thresholds first, then each level's quota from the highest level down."""
    stars = {unit: LOWEST if unit in vetoed else qualified(total, levels) for unit, total in totals.items()}
    n = len(totals)
    ordered = sorted(levels, key=lambda lv: lv.stars, reverse=True)
    for i, level in enumerate(ordered):
        limit = allowed(level, n)
        if limit is None or level.stars <= LOWEST:
            continue
        holders = sorted((u for u, s in stars.items() if s == level.stars), key=lambda u: totals[u], reverse=True)
        if len(holders) <= limit:
            continue
        # the unit just outside the quota sets the cut: it and every unit tied with it move down (see above)
        cut = totals[holders[limit]]
        lower = ordered[i + 1].stars if i + 1 < len(ordered) else LOWEST  # one level down: the next one defined
        for unit in holders:
            if totals[unit] <= cut:
                stars[unit] = lower
    return stars


def movement(stars: int, previous: int | None) -> str:
    """ "↑", "↓" or "" against last year's stars (nothing when the unit was not rated last year)."""
    if previous is None or previous == stars:
        return ""
    return "↑" if stars > previous else "↓"
