import subprocess
import sys
from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian.meetings.rule_data import MEETING_VOTE_RULES
from dangjian.meetings.rules import committee_quorum_met, quorum_met, resolution_passes


def test_exactly_half_present_is_a_quorum_and_one_fewer_is_not():
    """支部工作条例 art. 11: 表决必须有半数以上有表决权的党员到会方可进行 (以上 includes the number)."""
    assert quorum_met(10, 5)
    assert not quorum_met(10, 4)
    assert quorum_met(9, 5)
    assert not quorum_met(9, 4)


def test_a_committee_meeting_needs_at_least_half_of_the_committee():
    """支部工作条例 art. 12: 支部委员会会议须有半数以上委员到会方可进行."""
    assert committee_quorum_met(5, 3) and not committee_quorum_met(5, 2)
    assert committee_quorum_met(4, 2) and not committee_quorum_met(4, 1)


def test_five_yes_of_ten_due_fails_and_six_passes():
    """支部工作条例 art. 11: 赞成人数超过应到会有表决权的党员的半数为通过 (超过 is strict)."""
    assert not resolution_passes(10, 5)
    assert resolution_passes(10, 6)


def test_the_shares_are_rule_data_with_their_article():
    for key, article in (
        ("vote.attendance_at_least_share", "第11条"),
        ("vote.yes_more_than_share", "第11条"),
        ("committee.attendance_at_least_share", "第12条"),
    ):
        rule = MEETING_VOTE_RULES.rule(key, date(2026, 1, 1))
        assert rule.value == Fraction(1, 2) and article in rule.citation and rule.confidence == "Q"
    # a meeting before the 2018 regulation is judged by the first version, not a crash
    assert quorum_met(10, 5, date(2010, 1, 1))


def test_a_resolution_needs_more_than_half_of_those_due_not_of_those_present():
    # 10 due, 6 present, all 6 yes: passes; 10 due, 6 present, 5 yes: fails although 5 of 6 present said yes
    assert resolution_passes(10, 6)
    assert not resolution_passes(10, 5)


def test_nobody_due_means_no_quorum_and_nothing_passes():
    assert not quorum_met(0, 0)
    assert not resolution_passes(0, 0)


@pytest.mark.parametrize("args", [(-1, 0), (3, -1), (3, 4)])
def test_impossible_counts_raise(args):
    with pytest.raises(ValueError):
        quorum_met(*args)
    with pytest.raises(ValueError):
        resolution_passes(*args)


@given(st.integers(1, 500), st.data())
def test_quorum_is_at_least_half(due, data):
    present = data.draw(st.integers(0, due))
    assert quorum_met(due, present) == (present >= due / 2)


def test_rules_import_without_django_settings():
    code = (
        "import os; os.environ.pop('DJANGO_SETTINGS_MODULE', None); "
        "from dangjian.meetings.rules import quorum_met; print(quorum_met(3, 2))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"PATH": "/usr/bin"})
    assert out.stdout.strip() == "True", out.stderr
