"""Pure appraisal arithmetic: tallies and the one-third warning. No Django imports."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from fractions import Fraction

from dangjian.core.lazytext import N_, RuleError

from .rule_data import GRADE_CODES

GRADES = GRADE_CODES


def tally(grades: Iterable[str]) -> dict[str, int]:
    counts = Counter(grades)
    unknown = set(counts) - set(GRADES)
    if unknown:
        raise RuleError(N_("未知等次：%(grades)s"), grades=", ".join(sorted(unknown)))
    return {g: counts.get(g, 0) for g in GRADES}


def excellent_share_exceeded(proposed: Iterable[str], limit: Fraction) -> bool:
    """True when the share of 优秀 among those graded is above the limit (a warning, never a block)."""
    graded = [g for g in proposed if g]
    if not graded:
        return False
    return Fraction(sum(1 for g in graded if g == "excellent"), len(graded)) > limit
