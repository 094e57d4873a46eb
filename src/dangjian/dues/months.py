"""Months as the first day of the month: dues are owed per calendar month (RULES.md §3)."""

from __future__ import annotations

import re
from datetime import date, datetime

from dangjian.core.lazytext import N_, Message, RuleError

_MONTH_RE = re.compile(r"^(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?|(\d{2}))$")


def month_start(day: date) -> date:
    return date(day.year, day.month, 1)


def add_months(month: date, n: int) -> date:
    y, m = divmod(month.year * 12 + month.month - 1 + n, 12)
    return date(y, m + 1, 1)


def months_between(first: date, last: date) -> int:
    """Months from ``first`` to ``last`` inclusive (0 when ``last`` is before ``first``)."""
    return max(0, (last.year - first.year) * 12 + last.month - first.month + 1)


def month_range(first: date, last: date) -> list[date]:
    return [add_months(first, i) for i in range(months_between(first, last))]


def label(month: date) -> Message:
    """「2026年3月」; in the English interface "2026-03" (a ``Message``: rendered in the language shown)."""
    return Message(N_("%(year)d年%(month)d月"), year=month.year, month=month.month)


def parse_month(value) -> date:
    """A month from "2026-03", "2026/3", "2026年3月", "202603", an Excel date or number; ValueError otherwise."""
    if isinstance(value, datetime):
        return month_start(value.date())
    if isinstance(value, date):
        return month_start(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    raw = str(value if value is not None else "").strip()
    m = _MONTH_RE.match(raw)
    if m is None:
        # a full date typed as text is accepted too: its month is meant
        full = re.match(r"^(\d{4})[-/.](\d{1,2})[-/.]\d{1,2}$", raw)
        if full is None:
            raise RuleError(N_("无法识别的月份「%(raw)s」，请填写如 2026-03 或 2026年3月"), raw=raw)
        m_year, m_month = int(full.group(1)), int(full.group(2))
    else:
        m_year, m_month = int(m.group(1)), int(m.group(2) or m.group(3))
    if not (1 <= m_month <= 12) or not (1950 <= m_year <= 2099):
        raise RuleError(N_("月份「%(raw)s」不存在"), raw=raw)
    return date(m_year, m_month, 1)
