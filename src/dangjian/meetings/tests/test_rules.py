import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian.meetings.rules import quorum_met, resolution_passes


def test_exactly_half_is_not_a_quorum_and_just_over_is():
    assert not quorum_met(10, 5)
    assert quorum_met(10, 6)
    assert not quorum_met(9, 4)
    assert quorum_met(9, 5)


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
def test_quorum_is_strictly_more_than_half(due, data):
    present = data.draw(st.integers(0, due))
    assert quorum_met(due, present) == (present > due / 2)


def test_rules_import_without_django_settings():
    code = (
        "import os; os.environ.pop('DJANGO_SETTINGS_MODULE', None); "
        "from dangjian.meetings.rules import quorum_met; print(quorum_met(3, 2))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"PATH": "/usr/bin"})
    assert out.stdout.strip() == "True", out.stderr
