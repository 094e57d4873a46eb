"""A person's screening results year by year: the change from the previous result and a small CVD chart.

Shown on the person's health record (health officers only, PIPL art. 28; the page read is audited there). The
chart is server-side SVG built with ``format_html`` (every value escaped), with a fixed viewBox and presentation
attributes only: no ``style`` attribute and no script, so it passes the strict CSP. Categories of the CVD model
(HEALTH_MODELS.md §1: <5 % low, 5–9.9 % medium, ≥10 % high) are drawn as light bands behind the line.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

CATEGORY_ORDER = {"low": 0, "medium": 1, "high": 2, "average": 0, "moderate": 1}
MEDIUM_FROM, HIGH_FROM = 5.0, 10.0

# Geometry of the chart, in viewBox units.
WIDTH, HEIGHT = 320, 150
LEFT, RIGHT, TOP, BOTTOM = 34, 306, 10, 124


@dataclass
class YearRow:
    result: object  # a ScreeningResult
    previous: object | None  # the person's result of the closest earlier year, if any
    cvd_change: float | None  # percentage points, rounded to 0.1
    cvd_direction: str  # "up", "down", "same" or "" (not comparable)
    gastric_direction: str
    apcs_direction: str

    @property
    def gastric_not_applicable(self) -> bool:
        """The gastric score applies from age 40 (HEALTH_MODELS.md §2); a run marks younger people so."""
        return (self.result.missing or {}).get("gastric") == ["age"]


def direction(before: str, after: str) -> str:
    """How a category moved: "up" is a higher risk category. Empty when either year has no category."""
    if not before or not after or before not in CATEGORY_ORDER or after not in CATEGORY_ORDER:
        return ""
    a, b = CATEGORY_ORDER[before], CATEGORY_ORDER[after]
    return "up" if b > a else "down" if b < a else "same"


def year_rows(results: Sequence) -> list[YearRow]:
    """One row per result, newest first, each compared with the result of the closest earlier year."""
    ordered = sorted(results, key=lambda r: r.year)
    rows = []
    for i, r in enumerate(ordered):
        prev = ordered[i - 1] if i else None
        change = None
        if prev is not None and r.cvd_percent is not None and prev.cvd_percent is not None:
            change = round(r.cvd_percent - prev.cvd_percent, 1) + 0.0  # +0.0: no "-0.0"
        rows.append(
            YearRow(
                r,
                prev,
                change,
                direction(prev.cvd_category, r.cvd_category) if prev else "",
                direction(prev.gastric_category, r.gastric_category) if prev else "",
                direction(prev.apcs_category, r.apcs_category) if prev else "",
            )
        )
    return rows[::-1]


def _scale(points: list[tuple[int, float]]):
    years = [y for y, _v in points]
    y0, y1 = min(years), max(years)
    top = max(15.0, math.ceil(max(v for _y, v in points) / 5) * 5)

    def x(year: int) -> float:
        return LEFT + (RIGHT - LEFT) * ((year - y0) / (y1 - y0) if y1 > y0 else 0.5)

    def y(value: float) -> float:
        return BOTTOM - (BOTTOM - TOP) * min(max(value, 0.0), top) / top

    return x, y, top


def cvd_chart(results: Sequence) -> SafeString:
    """A line of the CVD 10-year risk over the years; an explanation instead when fewer than two years have one."""
    points = sorted((r.year, float(r.cvd_percent)) for r in results if r.cvd_percent is not None)
    if len(points) < 2:
        return format_html(
            '<p class="muted" id="cvd-chart-empty">{}</p>', _("至少两个年度有心血管病风险评分时显示趋势图。")
        )
    x, y, top = _scale(points)
    label = _("10年心血管病风险（%%）%(first)s–%(last)s年度变化") % {"first": points[0][0], "last": points[-1][0]}
    bands = format_html(
        '<rect x="{}" y="{}" width="{}" height="{}" fill="#f3c623" fill-opacity="0.12"/>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="#cf222e" fill-opacity="0.10"/>',
        LEFT, f"{y(HIGH_FROM):.1f}", RIGHT - LEFT, f"{y(MEDIUM_FROM) - y(HIGH_FROM):.1f}",
        LEFT, TOP, RIGHT - LEFT, f"{y(HIGH_FROM) - TOP:.1f}",
    )  # fmt: skip
    ticks = format_html_join(
        "",
        '<line x1="{0}" y1="{1}" x2="{2}" y2="{1}" stroke="#d0d7de" stroke-width="0.5"/>'
        '<text x="{3}" y="{4}" font-size="9" text-anchor="end" fill="#656d76">{5}%</text>',
        ((LEFT, f"{y(v):.1f}", RIGHT, LEFT - 4, f"{y(v) + 3:.1f}", f"{v:g}") for v in (0, MEDIUM_FROM, HIGH_FROM, top)),
    )
    years = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="9" text-anchor="middle" fill="#656d76">{}</text>',
        ((f"{x(year):.1f}", HEIGHT - 10, year) for year, _v in points),
    )
    line = " ".join(f"{x(year):.1f},{y(v):.1f}" for year, v in points)
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="3" fill="#0b57d0"><title>{}</title></circle>',
        ((f"{x(year):.1f}", f"{y(v):.1f}", f"{year}: {v:.1f}%") for year, v in points),
    )
    return format_html(
        '<svg class="trend-chart" id="cvd-chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        'aria-label="{label}" xmlns="http://www.w3.org/2000/svg"><title>{label}</title>{bands}{ticks}{years}'
        '<polyline points="{line}" fill="none" stroke="#0b57d0" stroke-width="2"/>{dots}</svg>',
        w=WIDTH, h=HEIGHT, label=label, bands=bands, ticks=ticks, years=years, line=line, dots=dots,
    )  # fmt: skip
