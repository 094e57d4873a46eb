"""Report periods of a responsibility zone: "2026-03" (a month) or "2026Q1" (a quarter), by its ``report_every``."""

from __future__ import annotations

import re
from datetime import date, timedelta

from .models import ReportEvery

MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
QUARTER_RE = re.compile(r"^(\d{4})Q([1-4])$")


def period_of(day: date, every: str) -> str:
    if every == ReportEvery.MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    return f"{day.year:04d}Q{(day.month - 1) // 3 + 1}"


def bounds(period: str) -> tuple[date, date] | None:
    """First and last day of ``period``; None when it is not a period string."""
    m = MONTH_RE.match(period or "")
    if m:
        year, month = int(m.group(1)), int(m.group(2))
        start = date(year, month, 1)
        nxt = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        return start, nxt - timedelta(days=1)
    q = QUARTER_RE.match(period or "")
    if q:
        year, n = int(q.group(1)), int(q.group(2))
        start = date(year, 3 * n - 2, 1)
        nxt = date(year + 1, 1, 1) if n == 4 else date(year, 3 * n + 1, 1)
        return start, nxt - timedelta(days=1)
    return None


def matches(period: str, every: str) -> bool:
    return bool((MONTH_RE if every == ReportEvery.MONTH else QUARTER_RE).match(period or ""))


def last_finished(today: date, every: str) -> str:
    """The period that ended most recently before ``today``'s period began."""
    start, _end = bounds(period_of(today, every))  # type: ignore[misc]
    return period_of(start - timedelta(days=1), every)


def last_finished_all(today: date) -> dict[str, str]:
    """``{report_every: last finished period}`` for both kinds (the strings never collide)."""
    return {every: last_finished(today, every) for every in ReportEvery.values}
