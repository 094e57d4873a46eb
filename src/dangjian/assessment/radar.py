"""A radar chart of a unit's 一级 scores against the average of the cycle's units (issue 14 §2), drawn as SVG on the
server: the intranet has no chart library to load, and a polygon per series is all a radar needs.

Each axis is one 一级 indicator, scaled to its own possible points, so a section worth 46 and one worth 10 are read
as shares of what they could give. Pure: importable without Django.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

SIZE = 320  # the drawing's width and height (the SVG scales to its box)
RADIUS = 110
CENTRE = SIZE / 2


@dataclass(frozen=True)
class Axis:
    label: str
    x: float  # the axis end, where its label goes
    y: float
    anchor: str  # "start", "middle" or "end": the label's side of the point


@dataclass(frozen=True)
class Radar:
    axes: list[Axis]
    rings: list[str]  # the grid at 25 %, 50 %, 75 %, 100 %: "x,y x,y …"
    unit: str  # the unit's polygon
    average: str  # the average's polygon


def _point(i: int, n: int, share: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * i / n  # the first axis straight up, then clockwise
    r = RADIUS * min(max(share, 0.0), 1.0)
    return CENTRE + r * math.cos(angle), CENTRE + r * math.sin(angle)


def _polygon(shares: Sequence[float]) -> str:
    n = len(shares)
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in (_point(i, n, s) for i, s in enumerate(shares)))


def radar(
    labels: Sequence[str], possible: Sequence[Decimal], unit: Sequence[Decimal | None], average: Sequence[Decimal]
) -> Radar | None:
    """The chart, or None with fewer than three axes (two points make a line, not a shape worth reading)."""
    n = len(labels)
    if n < 3 or not (len(possible) == len(unit) == len(average) == n):
        return None

    def share(value: Decimal | None, top: Decimal) -> float:
        return float(value / top) if value is not None and top > 0 else 0.0

    axes = []
    for i, label in enumerate(labels):
        x, y = _point(i, n, 1.0)
        anchor = "middle" if abs(x - CENTRE) < 1 else ("start" if x > CENTRE else "end")
        axes.append(Axis(label, round(x, 1), round(y, 1), anchor))
    return Radar(
        axes=axes,
        rings=[_polygon([level] * n) for level in (0.25, 0.5, 0.75, 1.0)],
        unit=_polygon([share(v, p) for v, p in zip(unit, possible, strict=True)]),
        average=_polygon([share(v, p) for v, p in zip(average, possible, strict=True)]),
    )
