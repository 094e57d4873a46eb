"""Quorum and resolution rules (支部工作条例 art. 11 and 12). Pure: no Django.

Art. 11: 表决必须有半数以上有表决权的党员到会方可进行，赞成人数超过应到会有表决权的党员的半数为通过.
Attendance: at least the share (半数以上 includes the number); passing: yes votes strictly more than the share of
those *due to attend* with voting rights, not of those present. Art. 12: a committee meeting needs at least half
of the committee present, vote or not. The shares are rule data (``rule_data.MEETING_VOTE_RULES``).
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from dangjian.core.lazytext import N_, Message, RuleError
from dangjian.core.ruletable import Rule

from .rule_data import MEETING_VOTE_RULES


def _check(due_voting: int, other: int, name: Message) -> None:
    if due_voting < 0 or other < 0:
        raise RuleError(N_("人数不能为负数"))
    if other > due_voting:
        raise RuleError(N_("%(name)s不能多于应到有表决权人数"), name=name)


def rule(key: str, on: date | None = None) -> Rule:
    """The rule in force on ``on``; for a date before the first version, the first version (never a crash)."""
    try:
        return MEETING_VOTE_RULES.rule(key, on)
    except LookupError:
        return MEETING_VOTE_RULES.versions(key)[0]


def share(key: str, on: date | None = None) -> Fraction:
    return Fraction(rule(key, on).value)


def quorum_met(due_voting: int, present_voting: int, on: date | None = None) -> bool:
    """半数以上: at least half, so 5 of 10 is a quorum and 4 of 10 is not."""
    _check(due_voting, present_voting, N_("实到有表决权人数"))
    return due_voting > 0 and present_voting >= due_voting * share("vote.attendance_at_least_share", on)


def committee_quorum_met(due: int, present: int, on: date | None = None) -> bool:
    """Art. 12 须有半数以上委员到会方可进行: at least half of the committee, vote or not."""
    _check(due, present, N_("实到委员人数"))
    return due > 0 and present >= due * share("committee.attendance_at_least_share", on)


def resolution_passes(due_voting: int, yes_votes: int, on: date | None = None) -> bool:
    """超过: yes votes strictly more than half of those due to attend with voting rights."""
    _check(due_voting, yes_votes, N_("赞成票数"))
    return due_voting > 0 and yes_votes > due_voting * share("vote.yes_more_than_share", on)
