"""Traffic lights and the messages a secretary reads. Pure: no Django.

The engine computes the same light in SQL for whole trees (``engine._LIGHT_SQL``); this function is
the specification, and the tests check that both agree on every row.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from .periods import Period

DONE, DUE_SOON, OVERDUE, NOT_DUE, NOT_OWED = "done", "due_soon", "overdue", "not_due", "not_owed"

LIGHT_LABELS = {
    DONE: "已完成",
    DUE_SOON: "即将到期",
    OVERDUE: "已逾期",
    NOT_DUE: "未到期",
    NOT_OWED: "不作要求",
}
# Worst first: a heat-map cell takes the most severe light among its items.
SEVERITY = {OVERDUE: 4, DUE_SOON: 3, NOT_DUE: 2, DONE: 1, NOT_OWED: 0}


def light_for(*, required: int, valid: int, start: date, end: date, today: date, soon_days: int) -> str:
    """done: held ≥ required; overdue: period over and missing; due soon: period running, missing,
    at most ``soon_days`` days left (the last day counts as 0 days left); otherwise not due yet.
    ``required == 0`` means the organisation owes nothing for this period (see ``engine``)."""
    if required == 0:
        return NOT_OWED
    if valid >= required:
        return DONE
    if end < today:
        return OVERDUE
    if start <= today and (end - today).days <= soon_days:
        return DUE_SOON
    return NOT_DUE


def worst(lights: Iterable[str]) -> str:
    return max(lights, key=SEVERITY.__getitem__, default=NOT_OWED)


def message(
    *,
    light: str,
    period: Period,
    kind_label: str,
    required: int,
    valid: int,
    quorum_failed: int,
    today: date,
    held: str = "召开",
) -> str:
    """ "10月支委会尚未召开，剩余5天" and its siblings; ``held`` is the verb ("开展" for 民主评议党员, no meeting)."""
    p = period.label_for(today)
    missing = max(required - valid, 0)
    quorum = f"（{quorum_failed}次未达到法定人数，不计入）" if quorum_failed else ""
    if light == NOT_OWED:
        return f"{p}{kind_label}：本周期内组织成立或撤销，不作要求"
    if light == DONE:
        return f"{p}{kind_label}已{held}{valid}次{quorum}"
    # A meeting below its quorum was convened but "不得召开" (支部工作条例 第12条: 须有半数以上委员到会方可进行):
    # it is not counted, and the message says "未有效召开" so that it agrees with the counts beside it.
    none = f"未有效{held}" if quorum_failed else f"未{held}"
    progress = f"尚{none}" if valid == 0 else f"已{held}{valid}次，还差{missing}次"
    if light == OVERDUE:
        days = (today - period.end).days
        return f"{p}{kind_label}{none if valid == 0 else progress}，已逾期{days}天{quorum}"
    if period.start > today:
        return f"{p}{kind_label}：周期尚未开始"
    days = (period.end - today).days
    left = "今天截止" if days == 0 else f"剩余{days}天"
    return f"{p}{kind_label}{progress}，{left}{quorum}"


def minutes_message(*, period: Period, kind_label: str, count: int, minutes_days: int, today: date) -> str:
    return f"{period.label_for(today)}{kind_label}有{count}次会议召开超过{minutes_days}天仍未完成会议记录"
