"""Periods, lights and messages: pure functions, no database."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from dangjian.compliance import lights
from dangjian.compliance.periods import MONTH, QUARTER, YEAR, Period, month_bounds, month_number, periods_of_year

TZ = ZoneInfo("Asia/Shanghai")


def test_a_year_has_twelve_months_four_quarters_and_itself():
    periods = periods_of_year(2024)
    assert [p.kind for p in periods].count(MONTH) == 12
    assert [p.kind for p in periods].count(QUARTER) == 4
    assert [p.kind for p in periods].count(YEAR) == 1
    feb = Period(MONTH, 2024, 2)
    assert (feb.start, feb.end) == (date(2024, 2, 1), date(2024, 2, 29))
    q4 = Period(QUARTER, 2024, 4)
    assert (q4.start, q4.end, q4.end_month) == (date(2024, 10, 1), date(2024, 12, 31), 12)
    assert Period(QUARTER, 2024, 1).end == date(2024, 3, 31)
    assert Period(YEAR, 2024, 1).end_month == 12
    assert q4.first_month == month_number(2024, 10) and q4.last_month == month_number(2024, 12)


def test_month_bounds_are_local_midnights():
    start, end = month_bounds(month_number(2025, 3), TZ)
    assert start.isoformat() == "2025-03-01T00:00:00+08:00"
    assert end.isoformat() == "2025-04-01T00:00:00+08:00"
    assert month_bounds(month_number(2025, 12), TZ)[1].isoformat() == "2026-01-01T00:00:00+08:00"


def test_labels():
    today = date(2025, 10, 26)
    assert Period(MONTH, 2025, 10).label_for(today) == "10月"
    assert Period(MONTH, 2024, 10).label_for(today) == "2024年10月"
    assert Period(QUARTER, 2025, 4).label_for(today) == "第四季度"
    assert Period(YEAR, 2025, 1).label_for(today) == "2025年度"


OCT = Period(MONTH, 2025, 10)


def light(today, required=1, valid=0, soon=7, period=OCT):
    return lights.light_for(
        required=required, valid=valid, start=period.start, end=period.end, today=today, soon_days=soon
    )


@pytest.mark.parametrize(
    "today, valid, expected",
    [
        (date(2025, 9, 30), 0, lights.NOT_DUE),  # period not begun
        (date(2025, 10, 1), 0, lights.NOT_DUE),
        (date(2025, 10, 23), 0, lights.NOT_DUE),  # 8 days left
        (date(2025, 10, 24), 0, lights.DUE_SOON),  # exactly 7 days left
        (date(2025, 10, 31), 0, lights.DUE_SOON),  # last day: 0 days left
        (date(2025, 11, 1), 0, lights.OVERDUE),
        (date(2025, 10, 31), 1, lights.DONE),
        (date(2025, 11, 1), 1, lights.DONE),
    ],
)
def test_lights_at_their_edges(today, valid, expected):
    assert light(today, valid=valid) == expected


def test_a_partial_period_owes_nothing_and_several_meetings_can_be_required():
    assert light(date(2025, 11, 1), required=0) == lights.NOT_OWED
    assert light(date(2025, 11, 1), required=2, valid=1) == lights.OVERDUE
    assert light(date(2025, 10, 26), soon=0) == lights.NOT_DUE
    assert light(date(2025, 10, 31), soon=0) == lights.DUE_SOON


def test_messages_a_secretary_reads():
    def msg(today, **kw):
        args = dict(light=light(today, valid=kw.get("valid", 0)), period=OCT, kind_label="支委会", required=1, valid=0)
        args["quorum_failed"] = 0
        args.update(kw)
        return lights.message(today=today, **args)

    assert msg(date(2025, 10, 26)) == "10月支委会尚未召开，剩余5天"
    assert msg(date(2025, 10, 31)) == "10月支委会尚未召开，今天截止"
    assert msg(date(2025, 11, 12)) == "10月支委会未召开，已逾期12天"
    assert msg(date(2026, 1, 2)) == "2025年10月支委会未召开，已逾期63天"
    assert msg(date(2025, 10, 26), valid=1) == "10月支委会已召开1次"
    assert (
        msg(date(2025, 11, 2), required=2, valid=1, light=lights.OVERDUE) == "10月支委会已召开1次，还差1次，已逾期2天"
    )
    assert "1次未达到法定人数" in msg(date(2025, 11, 2), quorum_failed=1)
    # issue 13 §3: a meeting below its quorum (支部工作条例 第12条 "须有半数以上委员到会方可进行") was convened but
    # does not count: "未有效召开", not "未召开" beside the one meeting the page lists
    assert msg(date(2025, 11, 12), quorum_failed=1) == "10月支委会未有效召开，已逾期12天（1次未达到法定人数，不计入）"
    assert msg(date(2025, 10, 26), quorum_failed=1) == "10月支委会尚未有效召开，剩余5天（1次未达到法定人数，不计入）"


def test_worst_light_orders_by_severity():
    assert lights.worst([lights.DONE, lights.DUE_SOON, lights.NOT_DUE]) == lights.DUE_SOON
    assert lights.worst([lights.DONE, lights.OVERDUE]) == lights.OVERDUE
    assert lights.worst([]) == lights.NOT_OWED
    assert date(2025, 10, 31) - timedelta(days=7) == date(2025, 10, 24)
