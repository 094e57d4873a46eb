"""The pure rules of a request or a report: 一文一事, no request inside a report, the 文号, working days."""

from __future__ import annotations

from datetime import date

from dangjian.submissions.rules import add_working_days, document_number, one_matter_problems


def test_a_request_of_one_matter_passes():
    assert one_matter_problems("request", "关于一支部委员会换届选举的请示", "拟进行换届选举。\n妥否，请批示。") == []


def test_a_request_asking_twice_holds_two_matters():
    problems = one_matter_problems(
        "request", "关于换届选举的请示", "拟进行换届。妥否，请批示。另拟增补委员，请予批准。"
    )
    assert [field for field, _m in problems] == ["body"]
    assert "一文一事" in problems[0][1]


def test_a_title_naming_several_matters_is_refused():
    for title in ("关于换届选举等事项的请示", "关于换届和关于增补委员的请示", "关于若干问题的请示"):
        assert [f for f, _m in one_matter_problems("request", title, "请批示。")] == ["title"], title


def test_a_report_may_not_carry_a_request_and_names_its_kind():
    assert [f for f, _m in one_matter_problems("report", "关于组织生活会情况的报告", "会议情况如下。请批示。")] == [
        "body"
    ]
    assert [f for f, _m in one_matter_problems("report", "关于组织生活会情况", "会议情况如下。")] == ["title"]
    assert [f for f, _m in one_matter_problems("request", "关于换届的请示报告", "请批示。")] == ["title"]
    assert one_matter_problems("report", "关于组织生活会情况的报告", "会议情况如下。") == []


def test_working_days_skip_the_weekend_and_start_the_next_day():
    friday = date(2026, 12, 4)
    assert add_working_days(friday, 1) == date(2026, 12, 7)
    assert add_working_days(friday, 10) == date(2026, 12, 18)
    assert add_working_days(date(2026, 12, 5), 1) == date(2026, 12, 7)  # sent on a Saturday


def test_the_number_has_the_senders_code_the_year_in_hexagonal_brackets_and_the_sequence():
    assert document_number("一支部", 2026, 3) == "一支部〔2026〕3号"
