import dataclasses
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian.core.ruletable import RuleTable
from dangjian.development import rules
from dangjian.development.periods import add_months, add_years
from dangjian.development.rule_data import DEVELOPMENT_RULES
from dangjian.development.rules import (
    SponsorInfo,
    activist_wait_ok,
    activist_year_done,
    age_ok,
    approval_in_time,
    conversion_approval_in_time,
    next_review_due,
    party_standing_starts,
    pre_review_leave_ok,
    probation_end,
    sponsors_ok,
    step_window,
    talk_in_time,
    training_contacts_ok,
    training_ok,
)
from dangjian.development.steps import STEP_TABLES

DATES = st.dates(min_value=date(2014, 5, 28), max_value=date(2080, 12, 31))
DAY = timedelta(days=1)


# --- age --------------------------------------------------------------------------------------------------------


def test_exactly_18_on_the_application_day_is_enough_one_day_short_is_not():
    born = date(2008, 6, 15)
    ok = age_ok(born, date(2026, 6, 15))
    assert ok.ok and not ok.blocked and "第5条" in ok.citation and ok.is_regulation
    short = age_ok(born, date(2026, 6, 14))
    assert short.blocked and "未满18周岁" in short.reason and "2026-06-15" in short.reason


def test_born_on_29_february_is_of_age_on_28_february_of_a_common_year():
    assert age_ok(date(2008, 2, 29), date(2026, 2, 28)).ok
    assert age_ok(date(2008, 2, 29), date(2026, 2, 27)).blocked
    assert age_ok(date(2006, 2, 28), date(2024, 2, 28)).ok  # leap target year: the 28th stays the 28th


@given(st.dates(min_value=date(1996, 6, 1), max_value=date(2060, 12, 31)))
def test_age_edge_for_any_birthday(born):
    of_age = add_years(born, 18)
    assert age_ok(born, of_age).ok
    assert age_ok(born, of_age - DAY).blocked
    assert of_age.year == born.year + 18


def test_age_refuses_bad_input_in_chinese():
    with pytest.raises(ValueError, match="早于出生日期"):
        age_ok(date(2000, 1, 2), date(1999, 1, 1))
    with pytest.raises(ValueError, match="应为日期"):
        age_ok("2000-01-01", date(2020, 1, 1))
    with pytest.raises(ValueError, match="不含时间"):
        age_ok(date(2000, 1, 1), datetime(2020, 1, 1, 8, 0))


def test_dates_before_the_2014_rules_have_no_rule_in_force():
    with pytest.raises(LookupError, match="无有效版本"):
        age_ok(date(1990, 1, 1), date(2014, 5, 27))


# --- talk -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "applied, talked, ok",
    [
        (date(2024, 1, 1), date(2024, 1, 31), True),  # day 30
        (date(2024, 1, 1), date(2024, 2, 1), True),  # day 31 = exactly one month
        (date(2024, 1, 1), date(2024, 2, 2), False),  # after a month
        (date(2024, 1, 31), date(2024, 2, 29), True),  # month end in a leap year
        (date(2024, 1, 31), date(2024, 3, 1), False),
        (date(2023, 1, 31), date(2023, 2, 28), True),  # day 28 is the whole month here
        (date(2023, 1, 31), date(2023, 3, 1), False),
        (date(2024, 4, 30), date(2024, 5, 30), True),
        (date(2024, 4, 30), date(2024, 5, 31), False),
        (date(2024, 5, 1), date(2024, 5, 1), True),
    ],
)
def test_talk_within_one_month(applied, talked, ok):
    result = talk_in_time(applied, talked)
    assert result.ok is ok
    assert "第7条" in result.citation
    if not ok:
        assert "谈话晚于期限" in result.reason


@given(DATES, st.integers(0, 70))
def test_talk_one_month_is_28_to_31_days(applied, days):
    talked = applied + timedelta(days=days)
    result = talk_in_time(applied, talked)
    assert result.ok is (talked <= add_months(applied, 1))
    if days <= 28:
        assert result.ok
    if days >= 32:
        assert result.blocked


def test_a_talk_before_the_application_is_invalid():
    with pytest.raises(ValueError, match="谈话日期 .* 早于申请日期"):
        talk_in_time(date(2024, 3, 1), date(2024, 2, 29))


# --- activist ---------------------------------------------------------------------------------------------------


def _local_on(**values) -> RuleTable:
    """The code table with some rules' values replaced, as the office would set them in the rule store."""
    keys = DEVELOPMENT_RULES.keys()
    rows = [
        dataclasses.replace(r, value=values.get(r.key.replace(".", "__"), r.value))
        for key in keys
        for r in DEVELOPMENT_RULES.versions(key)
    ]
    return RuleTable(rows)


WAIT_ON = _local_on(activist__wait_after_application_enabled=True)


def test_activist_wait_is_a_local_setting_off_by_default():
    """No national rule sets a wait before an applicant becomes an activist (RULES.md §2: "local rules | L");
    a local (L) rule is off unless the office turns it on, so the day after the application is not blocked."""
    off = activist_wait_ok(date(2024, 1, 15), date(2024, 1, 16))
    assert off.ok and not off.warning and not off.is_regulation and off.citation == "本单位设置"
    assert "未设置" in off.reason
    result = activist_wait_ok(date(2024, 1, 15), date(2024, 7, 15), table=WAIT_ON)
    assert result.ok and not result.is_regulation and result.citation == "本单位设置"
    assert activist_wait_ok(date(2024, 1, 15), date(2024, 7, 14), table=WAIT_ON).blocked
    assert activist_wait_ok(date(2023, 8, 31), date(2024, 2, 29), table=WAIT_ON).ok


def test_activist_wait_turned_on_to_warn_only_lets_the_step_through_with_a_warning():
    table = _local_on(activist__wait_after_application_enabled=True, activist__wait_after_application_blocks=False)
    short = activist_wait_ok(date(2024, 1, 15), date(2024, 7, 14), table=table)
    assert short.ok and short.warning and "未满6个月" in short.reason and "仅提示" in short.reason
    assert not activist_wait_ok(date(2024, 1, 15), date(2024, 7, 15), table=table).warning


def test_meeting_after_pre_review_deadline_is_off_by_default_and_blocks_or_warns_when_on():
    """The "branch meeting within 1 month of 预审" deadline is local (RULES.md §2: local, S / L): off by default."""
    assert rules.meeting_after_pre_review_ok(date(2025, 1, 31), date(2025, 6, 1)) is None
    warn = _local_on(admission__meeting_after_pre_review_enabled=True)
    assert rules.meeting_after_pre_review_ok(date(2025, 1, 31), date(2025, 2, 28), table=warn).ok  # last day
    late = rules.meeting_after_pre_review_ok(date(2025, 1, 31), date(2025, 3, 1), table=warn)
    assert late.ok and late.warning and "2025-02-28" in late.reason
    block = _local_on(admission__meeting_after_pre_review_enabled=True, admission__meeting_after_pre_review_blocks=True)
    assert not rules.meeting_after_pre_review_ok(date(2025, 1, 31), date(2025, 2, 28), table=block).blocked
    assert rules.meeting_after_pre_review_ok(date(2025, 1, 31), date(2025, 3, 1), table=block).blocked


def test_local_step_windows_show_no_bound_while_off():
    confirm, meeting = STEPS.by_code("confirm_activist"), STEPS.by_code("admission_meeting")
    assert step_window(confirm, date(2024, 1, 15)) == (None, None)
    assert step_window(meeting, date(2024, 1, 15)) == (None, None)
    assert step_window(confirm, date(2024, 1, 15), table=WAIT_ON) == (date(2024, 7, 15), None)
    both = _local_on(admission__meeting_after_pre_review_enabled=True)
    assert step_window(meeting, date(2024, 1, 15), table=both) == (None, date(2024, 2, 15))


def test_half_yearly_review_due():
    due = next_review_due(date(2024, 8, 31))
    assert due.on == date(2025, 2, 28) and "第11条" in due.citation


def test_training_contacts_one_or_two_full_members():
    a, b, c = (SponsorInfo(n, True) for n in "甲乙丙")
    assert training_contacts_ok([a], on=date(2024, 1, 1)).ok
    assert training_contacts_ok([a, b], on=date(2024, 1, 1)).ok
    assert training_contacts_ok([], on=date(2024, 1, 1)).blocked
    assert training_contacts_ok([a, b, c], on=date(2024, 1, 1)).blocked
    assert training_contacts_ok([SponsorInfo("丁", False)], on=date(2024, 1, 1)).blocked


@pytest.mark.parametrize(
    "activist, candidate, ok",
    [
        (date(2017, 8, 9), date(2018, 8, 8), False),
        (date(2017, 8, 9), date(2018, 8, 9), True),  # 以上 includes the number: the anniversary is enough
        (date(2023, 2, 28), date(2024, 2, 27), False),
        (date(2023, 2, 28), date(2024, 2, 28), True),
        (date(2023, 2, 28), date(2024, 2, 29), True),
        (date(2024, 2, 29), date(2025, 2, 27), False),
        (date(2024, 2, 29), date(2025, 2, 28), True),  # 民法典 第202条: no 29th → month end
        (date(2024, 2, 29), date(2025, 3, 1), True),
        (date(2023, 3, 1), date(2024, 2, 29), False),
        (date(2023, 3, 1), date(2024, 3, 1), True),
    ],
)
def test_activist_year_edges(activist, candidate, ok):
    result = activist_year_done(activist, candidate)
    assert result.ok is ok
    assert "第13条" in result.citation
    if not ok:
        assert "未满1年" in result.reason


@given(DATES)
def test_activist_year_is_reached_on_the_anniversary(activist):
    anniversary = add_years(activist, 1)
    assert activist_year_done(activist, anniversary).ok
    assert activist_year_done(activist, anniversary - DAY).blocked
    assert activist_year_done(activist, activist + timedelta(days=366)).ok
    assert activist_year_done(activist, activist + timedelta(days=364)).blocked


def test_a_candidate_before_the_activist_date_is_invalid():
    with pytest.raises(ValueError, match="早于确定入党积极分子日期"):
        activist_year_done(date(2024, 5, 1), date(2024, 4, 30))


# --- sponsors ---------------------------------------------------------------------------------------------------

ON = date(2025, 3, 1)
FULL_A = SponsorInfo("张三", True, person_id=1)
FULL_B = SponsorInfo("李四", True, person_id=2)


def test_two_full_members_can_sponsor():
    result = sponsors_ok([FULL_A, FULL_B], on=ON)
    assert result.ok and "第14条" in result.citation


@pytest.mark.parametrize(
    "sponsors, fragment",
    [
        ([FULL_A], "应有2名入党介绍人"),
        ([FULL_A, FULL_B, SponsorInfo("王五", True, person_id=3)], "应有2名入党介绍人"),
        ([FULL_A, SponsorInfo("赵六", False, person_id=4)], "赵六 不是正式党员"),
        ([FULL_A, SponsorInfo("钱七", True, on_party_probation=True, person_id=5)], "留党察看"),
        ([FULL_A, FULL_A], "同一人"),
        ([SponsorInfo("孙八", True), SponsorInfo("孙八", True)], "同一人"),
    ],
)
def test_sponsors_blocked(sponsors, fragment):
    result = sponsors_ok(sponsors, on=ON)
    assert result.blocked and fragment in result.reason


def test_sponsors_input_must_be_a_list_of_sponsor_info():
    with pytest.raises(ValueError, match="入党介绍人"):
        sponsors_ok("张三", on=ON)
    with pytest.raises(ValueError, match="格式错误"):
        sponsors_ok([FULL_A, {"name": "李四"}], on=ON)


# --- training ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "days, hours, ok",
    [
        (3, None, True),
        (None, 24, True),
        (2, 24, True),
        (3, 0, True),
        (2.5, 23.5, False),
        (Decimal("2.9"), Decimal("23.9"), False),
        (None, None, False),
        (0, 0, False),
    ],
)
def test_training_three_days_or_24_hours(days, hours, ok):
    result = training_ok(days, hours, on=ON)
    assert result.ok is ok and "第17条" in result.citation


@given(st.one_of(st.none(), st.integers(0, 10)), st.one_of(st.none(), st.integers(0, 60)))
def test_training_either_threshold_suffices(days, hours):
    expected = (days is not None and days >= 3) or (hours is not None and hours >= 24)
    assert training_ok(days, hours, on=ON).ok is expected


@pytest.mark.parametrize("days, hours", [(-1, 24), (3, -0.5), (True, 24), ("3", None), (float("nan"), 1)])
def test_training_refuses_bad_numbers(days, hours):
    with pytest.raises(ValueError, match="培训"):
        training_ok(days, hours, on=ON)


# --- admission --------------------------------------------------------------------------------------------------


def test_pre_review_leave_window():
    """细则 第19条: "发展对象未来3个月内将离开工作、学习单位的，一般不办理接收预备党员的手续" — 3 months from the
    预审 day is 2025-04-10: leaving on that day or before blocks, the day after does not."""
    assert pre_review_leave_ok(date(2025, 1, 10), None).ok
    assert pre_review_leave_ok(date(2025, 1, 10), date(2025, 4, 9)).blocked
    on_the_day = pre_review_leave_ok(date(2025, 1, 10), date(2025, 4, 10))
    assert on_the_day.blocked and "第19条" in on_the_day.citation and on_the_day.is_regulation
    assert "一般不办理接收预备党员的手续" in on_the_day.reason
    assert pre_review_leave_ok(date(2025, 1, 10), date(2025, 4, 11)).ok
    assert pre_review_leave_ok(date(2025, 1, 10), date(2025, 1, 9)).blocked  # already gone


@pytest.mark.parametrize(
    "meeting, approved, ok",
    [
        (date(2024, 1, 15), date(2024, 4, 15), True),  # exactly 3 months
        (date(2024, 1, 15), date(2024, 4, 16), False),
        (date(2024, 3, 31), date(2024, 6, 30), True),  # no 31 June
        (date(2024, 3, 31), date(2024, 7, 1), False),
        (date(2023, 11, 30), date(2024, 2, 29), True),
    ],
)
def test_approval_within_three_months(meeting, approved, ok):
    result = approval_in_time(meeting, approved)
    assert result.ok is ok
    assert result.is_regulation  # the 3-month rule is quoted from the 细则 (Q): "应当在三个月内审批"


def test_approval_special_case_up_to_six_months():
    late = approval_in_time(date(2024, 1, 15), date(2024, 7, 15))
    assert late.blocked and "特殊情况" in late.reason
    assert approval_in_time(date(2024, 1, 15), date(2024, 7, 15), special_case=True).ok
    assert approval_in_time(date(2024, 1, 15), date(2024, 7, 16), special_case=True).blocked


@given(DATES, st.integers(0, 200))
def test_approval_edge_for_any_meeting(meeting, days):
    approved = meeting + timedelta(days=days)
    assert approval_in_time(meeting, approved).ok is (approved <= add_months(meeting, 3))


def test_approval_before_the_meeting_is_invalid():
    with pytest.raises(ValueError, match="审批日期 .* 早于支部大会日期"):
        approval_in_time(date(2024, 1, 15), date(2024, 1, 14))


# --- probation --------------------------------------------------------------------------------------------------


def test_probation_is_one_year_from_the_admission_meeting():
    end = probation_end(date(2023, 7, 1))
    assert end.on == date(2024, 7, 1) and "第32条" in end.citation
    assert probation_end(date(2024, 2, 29)).on == date(2025, 2, 28)


@pytest.mark.parametrize(
    "months, expected",
    [(6, date(2025, 1, 1)), (12, date(2025, 7, 1)), (9, date(2025, 4, 1))],
)
def test_one_extension_of_6_to_12_months(months, expected):
    assert probation_end(date(2023, 7, 1), [months]).on == expected


def test_extension_from_a_month_end():
    assert probation_end(date(2023, 8, 31), [6]).on == date(2025, 2, 28)


@pytest.mark.parametrize("months", [5, 13, 0, -6])
def test_extensions_outside_6_to_12_months_are_refused(months):
    with pytest.raises(ValueError, match="不少于6个月、不超过12个月"):
        probation_end(date(2023, 7, 1), [months])


def test_a_second_extension_is_refused():
    with pytest.raises(ValueError, match="预备期只能延长1次"):
        probation_end(date(2023, 7, 1), [6, 6])


@given(DATES, st.integers(-3, 30))
def test_extension_range(meeting, months):
    if 6 <= months <= 12:
        assert probation_end(meeting, [months]).on == add_months(add_years(meeting, 1), months)
    else:
        with pytest.raises(ValueError):
            probation_end(meeting, [months])


@pytest.mark.parametrize("extensions", [[6.0], ["6"], [True], "6", 6])
def test_extension_must_be_a_list_of_whole_months(extensions):
    with pytest.raises(ValueError, match="延长预备期"):
        probation_end(date(2023, 7, 1), extensions)


def test_party_standing_starts_the_day_probation_ends():
    end = probation_end(date(2023, 7, 1)).on
    starts = party_standing_starts(end)
    assert starts.on == date(2024, 7, 1) and "第34条" in starts.citation and "党龄" in starts.reason


@pytest.mark.parametrize(
    "meeting, approved, ok",
    [(date(2024, 7, 2), date(2024, 10, 2), True), (date(2024, 7, 2), date(2024, 10, 3), False)],
)
def test_conversion_approval_within_three_months(meeting, approved, ok):
    result = conversion_approval_in_time(meeting, approved)
    assert result.ok is ok and result.is_regulation and "第34条" in result.citation


# --- step windows and versions ----------------------------------------------------------------------------------

STEPS = STEP_TABLES["2014"]


def test_step_windows_follow_the_rules():
    assert step_window(STEPS.by_code("talk_with_applicant"), date(2024, 1, 31)) == (None, date(2024, 2, 29))
    assert step_window(STEPS.by_code("confirm_candidate"), date(2024, 2, 29)) == (date(2025, 2, 28), None)
    assert step_window(STEPS.by_code("upper_approval"), date(2024, 3, 31)) == (None, date(2024, 6, 30))
    assert step_window(STEPS.by_code("conversion_meeting"), date(2023, 7, 1)) == (date(2024, 7, 1), None)
    assert step_window(STEPS.by_code("oath"), date(2024, 1, 1)) == (None, None)


def test_a_new_version_judges_only_cases_after_its_effective_date():
    """A made-up later version (test only): old cases keep the number in force at the time."""
    switch = date(2030, 1, 1)
    keys = DEVELOPMENT_RULES.keys()
    old_rules = [DEVELOPMENT_RULES.rule(key, date(2020, 1, 1)) for key in keys]
    changed = [
        dataclasses.replace(r, effective_to=switch) if r.key == "candidate.min_activist_years" else r for r in old_rules
    ]
    new = dataclasses.replace(
        DEVELOPMENT_RULES.rule("candidate.min_activist_years", switch),
        value=2,
        citation="测试用假想版本",
        effective_from=switch,
        effective_to=None,
    )
    table = RuleTable([*changed, new])
    assert activist_year_done(date(2028, 6, 1), date(2029, 6, 1), table=table).ok
    late = activist_year_done(date(2029, 6, 1), date(2030, 6, 1), table=table)
    assert late.blocked and late.citation == "测试用假想版本"
    assert activist_year_done(date(2029, 6, 1), date(2031, 6, 1), table=table).ok


def test_every_rule_has_a_citation_and_a_known_confidence():
    keys = DEVELOPMENT_RULES.keys()
    for key in keys:
        rule = DEVELOPMENT_RULES.rule(key, date(2014, 5, 28))
        assert rule.citation and rule.confidence in {"P", "Q", "S", "L", "U"}
        assert rule.effective_from == date(2014, 5, 28)
        if isinstance(rule.value, bool):  # a local rule's switch: on/off, block/warn
            assert key.endswith(("_enabled", "_blocks")) and rule.confidence == "L"
        else:
            assert key.endswith(("_years", "_months", "_days", "_hours", "_count"))


def test_the_modules_import_without_django_settings():
    import subprocess
    import sys

    code = (
        "import os, sys; os.environ.pop('DJANGO_SETTINGS_MODULE', None); "
        "from datetime import date; "
        "from dangjian.development import rules, steps, rule_data, periods; "
        "assert 'django' not in sys.modules, 'django was imported'; "
        "print(rules.activist_year_done(date(2024, 2, 29), date(2025, 2, 28)).ok, "
        "len(steps.steps_in_force(date.today())))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"PATH": "/usr/bin"})
    assert out.stdout.strip() == "True 25", out.stderr


def test_public_names():
    for name in ("Check", "DueDate", "SponsorInfo", "probation_end", "party_standing_starts"):
        assert hasattr(rules, name)
