"""Reporting periods of organisational life (month, quarter, year) on local calendar dates. Pure: no Django.

A period runs from ``start`` to ``end`` inclusive, in local (Asia/Shanghai) dates: a meeting that
starts at 23:30 on 31 March Beijing time belongs to the first quarter even though it is 15:30 UTC.
Months are numbered globally (``year * 12 + month - 1``) so that quarters and years are ranges of months
and several years can be computed at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

MONTH, QUARTER, YEAR = "month", "quarter", "year"
KIND_ORDER = {MONTH: 0, QUARTER: 1, YEAR: 2}
_QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}


def month_number(year: int, month: int) -> int:
    return year * 12 + month - 1


def month_of(number: int) -> tuple[int, int]:
    return number // 12, number % 12 + 1


def _month_end(year: int, month: int) -> date:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return nxt - timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Period:
    kind: str
    year: int
    index: int  # month 1–12, quarter 1–4, year 1

    @property
    def first_month(self) -> int:
        """Global number of the period's first month."""
        if self.kind == MONTH:
            return month_number(self.year, self.index)
        if self.kind == QUARTER:
            return month_number(self.year, 3 * self.index - 2)
        return month_number(self.year, 1)

    @property
    def last_month(self) -> int:
        if self.kind == MONTH:
            return self.first_month
        if self.kind == QUARTER:
            return self.first_month + 2
        return self.first_month + 11

    @property
    def start(self) -> date:
        return date(*month_of(self.first_month), 1)

    @property
    def end(self) -> date:
        """The last day of the period (inclusive)."""
        return _month_end(*month_of(self.last_month))

    @property
    def end_month(self) -> int:
        """Calendar month (1–12) in which the period ends: the heat map shows the period in that column."""
        return month_of(self.last_month)[1]

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def short_label(self) -> str:
        if self.kind == MONTH:
            return f"{self.index}月"
        if self.kind == QUARTER:
            return _QUARTER_NAMES[self.index]
        return "全年"

    @property
    def label(self) -> str:
        if self.kind == YEAR:
            return f"{self.year}年度"
        return f"{self.year}年{self.short_label}"

    def label_for(self, today: date) -> str:
        """The short label within the current year ("10月"), the full one otherwise ("2025年10月")."""
        return self.short_label if self.year == today.year and self.kind != YEAR else self.label

    @property
    def anchor(self) -> str:
        return f"{self.kind}-{self.year}-{self.index}"

    @property
    def sort_key(self) -> tuple[int, int, int]:
        return (self.last_month, KIND_ORDER[self.kind], self.index)


def periods_of_year(year: int) -> list[Period]:
    """The 17 periods of a year: 12 months, 4 quarters, the year."""
    return (
        [Period(MONTH, year, m) for m in range(1, 13)]
        + [Period(QUARTER, year, q) for q in range(1, 5)]
        + [Period(YEAR, year, 1)]
    )


def local_midnight(day: date, tz: tzinfo) -> datetime:
    """The instant a local day begins, as an aware datetime (what a timestamp column is compared with)."""
    return datetime.combine(day, time.min, tzinfo=tz)


def month_bounds(number: int, tz: tzinfo) -> tuple[datetime, datetime]:
    """[first instant, first instant of the next month) of a global month number, in local time."""
    start = date(*month_of(number), 1)
    nxt = date(*month_of(number + 1), 1)
    return local_midnight(start, tz), local_midnight(nxt, tz)
