"""抓两头促中间: which units of a signed cycle are the top (candidates for 先进党支部 / 标杆党支部) and which the bottom
(后进: a 约谈 with the committee and rectification). Pure, importable without Django.

The office chooses on the page: the top by a number of units or a share of them; the bottom by a total below a
threshold or a share. A share counts whole units rounded up, so a share above zero names at least one unit (they
are proposals the office confirms one by one). Units tied with the last one taken are taken too: equal totals,
equal treatment. A vetoed unit (一票否决) is always among the bottom, whatever its total, as it takes the lowest
band. Defaults are the institute's settings (本单位设置, ``rule_data``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Ranked:
    unit: int
    total: Decimal
    veto: bool = False


def _count_of(share: Decimal, n: int) -> int:
    if not 0 <= share <= 1:
        raise ValueError("a share is between 0 and 1")
    return math.ceil(share * n)


def _with_ties(ordered: Sequence[Ranked], count: int) -> list[Ranked]:
    if count <= 0 or not ordered:
        return []
    taken = list(ordered[:count])
    last = taken[-1].total
    taken.extend(r for r in ordered[count:] if r.total == last)
    return taken


def top(rows: Sequence[Ranked], *, count: int | None = None, share: Decimal | None = None) -> list[Ranked]:
    """The best units, best first: ``count`` of them or ``share`` of all, ties with the last included; never a
    vetoed unit."""
    if (count is None) == (share is None):
        raise ValueError("give a count or a share")
    n = count if count is not None else _count_of(Decimal(share or 0), len(rows))
    eligible = sorted((r for r in rows if not r.veto), key=lambda r: r.total, reverse=True)
    return _with_ties(eligible, n)


def bottom(rows: Sequence[Ranked], *, below: Decimal | None = None, share: Decimal | None = None) -> list[Ranked]:
    """The weakest units, weakest first: those with a total below ``below``, or the last ``share`` of all (ties
    with the last included); vetoed units always."""
    if (below is None) == (share is None):
        raise ValueError("give a threshold or a share")
    ordered = sorted(rows, key=lambda r: (not r.veto, r.total))
    if below is not None:
        return [r for r in ordered if r.veto or r.total < below]
    vetoed = [r for r in ordered if r.veto]
    rest = [r for r in ordered if not r.veto]
    return vetoed + _with_ties(rest, _count_of(Decimal(share or 0), len(rows)) - len(vetoed))
