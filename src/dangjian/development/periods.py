"""Calendar arithmetic for the development rules: "满一年", "1个月内", "3个月内".

Pure Python, no Django. One reading everywhere, taken from 民法典 (2020) 第201–202条 and matching how
organisation departments count in practice ("以支委会确定为积极分子的那天起（如2017年8月9日）必须满一年到
2018年8月9日"; a probation admitted on 7月1日 ends on 7月1日 of the next year):

* The day of the starting event is not counted; a period of *n* months or years ends on the **corresponding
  day** (同一日) of the month it falls due in (第202条: 到期月的对应日为期间的最后一日).
* If that month has no such day (31 January + 1 month, 29 February + 1 year) the period ends on the **last day
  of that month** (第202条: 没有对应日的，月末日为期间的最后一日) — 28 February in a common year, never 1 March.
* "满 n 年 / 以上" (at least): the condition is met **on** the end day — 2017-08-09 + 1 year → eligible
  2018-08-09. "n 个月内 / 以内" (within): an act on the end day is still in time; the day after is late.
"""

from __future__ import annotations

import calendar
from datetime import date

from dangjian.core.lazytext import N_, RuleError


def add_months(start: date, months: int) -> date:
    """The corresponding day ``months`` later, or that month's last day when it has no such day."""
    if not isinstance(start, date):
        raise RuleError(N_("日期格式错误：%(value)r"), value=start)
    if isinstance(months, bool) or not isinstance(months, int):
        raise RuleError(N_("月数必须是整数：%(value)r"), value=months)
    years, month0 = divmod(start.month - 1 + months, 12)
    year = start.year + years
    if not 1 <= year <= 9999:
        raise RuleError(N_("日期超出范围：%(start)s 加 %(months)s 个月"), start=start, months=months)
    last_day = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(start.day, last_day))


def add_years(start: date, years: int) -> date:
    """``add_months(start, 12 * years)``: 2024-02-29 + 1 year = 2025-02-28."""
    if isinstance(years, bool) or not isinstance(years, int):
        raise RuleError(N_("年数必须是整数：%(value)r"), value=years)
    return add_months(start, 12 * years)
