"""The weighted result of a 述职评议 for one secretary, from the counts of each rater group (pure arithmetic).

The 办法 asks for a 评议 by groups of raters and leaves the weighing to the committee; the formula here is the
platform's (本单位设置), its numbers the rule store's (``assessment.rule_data``; a meeting keeps those it was run
with, ``report_scale``), the defaults shown:

1. For each group with at least one vote (online ballots plus paper tallies), the share of each grade:
   share_g(grade) = votes_g(grade) / votes_g.
2. The weighted share of each grade: Σ_g weight_g · share_g(grade) / Σ_g weight_g, over the groups with votes
   only. A group nobody of which voted is left out and the others' weights are scaled up to 100 %, rather than
   counting its silence as a grade; with no votes at all there is no result.
3. The score: Σ points(grade) · weighted share(grade), with 好 = 100, 较好 = 80, 一般 = 60, 差 = 0 (``points``).
4. The overall grade follows from the score (``bands``): ≥ 90 好, ≥ 75 较好, ≥ 60 一般, below that 差 — so all
   较好 stays 较好 (80), and a secretary cannot be 好 while a sizeable share rates them 一般 or 差. The score
   decides rather than the largest share, because shares can tie and the score cannot be argued two ways.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .models.secretary_report import GRADES
from .rule_data import DEFAULT_BANDS, DEFAULT_POINTS

PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Result:
    votes: int  # all the votes counted, every group
    shares: dict[str, Decimal]  # weighted share of each grade, in percent, 2 places
    score: Decimal | None  # None without votes
    grade: str  # "" without votes
    groups_counted: tuple[str, ...]  # the groups whose weight took part


def band(score: Decimal, bands: dict[str, int] = DEFAULT_BANDS) -> str:
    """The best grade whose least score (``bands``: {grade: points}, 差 having none) the score reaches."""
    for grade in GRADES:
        if grade in bands and score >= Decimal(bands[grade]):
            return grade
    return GRADES[-1]


def weighted(
    counts: dict[str, dict[str, int]],
    weights: dict[str, int],
    points: dict[str, int] = DEFAULT_POINTS,
    bands: dict[str, int] = DEFAULT_BANDS,
) -> Result:
    """``counts`` is {group: {grade: votes}}; ``weights`` is {group: percent}; ``points`` {grade: points}; ``bands``
    {grade: least score}. See the module's formula."""
    counted = [g for g, c in counts.items() if sum(c.values()) > 0 and weights.get(g, 0) > 0]
    total_weight = sum(Decimal(weights[g]) for g in counted)
    votes = sum(sum(c.values()) for c in counts.values())
    if not counted or total_weight <= 0:
        return Result(votes, dict.fromkeys(GRADES, Decimal(0)), None, "", ())
    shares: dict[str, Decimal] = {}
    for grade in GRADES:
        acc = Decimal(0)
        for g in counted:
            n = sum(counts[g].values())
            acc += Decimal(weights[g]) * Decimal(counts[g].get(grade, 0)) / Decimal(n)
        shares[grade] = acc / total_weight  # a fraction of 1
    score = sum((Decimal(points.get(grade, 0)) * share for grade, share in shares.items()), Decimal(0))
    score = score.quantize(PLACES, ROUND_HALF_UP)
    percent = {grade: (share * 100).quantize(PLACES, ROUND_HALF_UP) for grade, share in shares.items()}
    return Result(votes, percent, score, band(score, bands), tuple(counted))
