import dataclasses
import re
from datetime import date

import pytest

from dangjian.development.rule_data import DEVELOPMENT_RULES
from dangjian.development.steps import ACTORS, STAGES, STEP_TABLES, steps_in_force

TABLE = STEP_TABLES["2014"]


def test_the_2014_table_has_25_steps_numbered_in_order():
    assert TABLE.effective_from == date(2014, 5, 28)
    assert [s.number for s in TABLE] == list(range(1, 26))
    assert len(TABLE) == 25


def test_five_stages_in_order_with_the_regulation_step_counts():
    assert list(STAGES) == ["applicant", "activist", "candidate", "admission", "conversion"]
    counts = [len(TABLE.in_stage(stage)) for stage in STAGES]
    assert counts == [2, 4, 5, 7, 7]
    stage_order = [list(STAGES).index(s.stage) for s in TABLE]
    assert stage_order == sorted(stage_order)


def test_codes_are_unique_snake_case_and_names_chinese():
    codes = [s.code for s in TABLE]
    assert len(set(codes)) == 25
    for step in TABLE:
        assert re.fullmatch(r"[a-z]+(_[a-z]+)*", step.code)
        assert re.search(r"[\u4e00-\u9fff]", step.name)
        assert step.actor in ACTORS
        for document in step.documents:
            assert re.search(r"[\u4e00-\u9fff]", document)


def test_well_known_steps():
    assert TABLE.by_number(1).name == "递交入党申请书"
    assert TABLE.by_number(1).actor == "applicant"
    assert TABLE.by_code("admission_meeting").number == 15
    assert TABLE.by_code("admission_meeting").actor == "branch_meeting"
    assert TABLE.by_number(20).name == "入党宣誓"
    assert TABLE.by_number(25).code == "archive_file"
    assert "入党志愿书" in TABLE.by_number(14).documents
    with pytest.raises(KeyError):
        TABLE.by_number(26)


def test_intervals_count_from_earlier_steps_and_name_rules_in_force():
    with_interval = [s for s in TABLE if s.interval]
    assert {s.code for s in with_interval} >= {"talk_with_applicant", "confirm_candidate", "upper_approval"}
    for step in with_interval:
        earlier = TABLE.by_code(step.interval.after)
        assert earlier.number < step.number
        assert step.interval.min_key or step.interval.max_key
        for key in (step.interval.min_key, step.interval.max_key):
            if key:
                assert key.endswith(("_months", "_years"))
                DEVELOPMENT_RULES.rule(key, TABLE.effective_from)  # exists and is in force


def test_steps_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        TABLE.by_number(1).name = "x"


def test_steps_in_force_picks_the_table_by_date():
    assert steps_in_force(date(2014, 5, 28)).version == "2014"
    # No 2026 table is registered until its text is read, so 2014 stays in force.
    assert steps_in_force(date(2026, 12, 1)).version == "2014"
    with pytest.raises(LookupError, match="无有效"):
        steps_in_force(date(2014, 5, 27))
    with pytest.raises(ValueError, match="日期"):
        steps_in_force("2020-01-01")
