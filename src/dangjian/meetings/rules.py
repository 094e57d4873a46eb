"""Quorum and resolution rules (支部工作条例 art. 11; 发展党员工作细则 art. 20–21). Pure: no Django.

Quorum: more than half of the members with voting rights present.
A resolution passes when yes votes exceed half of those *due to attend* with
voting rights, not half of those present.
"""

from __future__ import annotations

from dangjian.rules.majority import more_than_half


def _check(due_voting: int, other: int, name: str) -> None:
    if due_voting < 0 or other < 0:
        raise ValueError("人数不能为负数")
    if other > due_voting:
        raise ValueError(f"{name}不能多于应到有表决权人数")


def quorum_met(due_voting: int, present_voting: int) -> bool:
    """超过半数: strictly more than half, so 5 of 10 is not a quorum and 6 of 10 is."""
    _check(due_voting, present_voting, "实到有表决权人数")
    return due_voting > 0 and more_than_half(present_voting, due_voting)


def resolution_passes(due_voting: int, yes_votes: int) -> bool:
    """Yes votes strictly more than half of those due to attend with voting rights."""
    _check(due_voting, yes_votes, "赞成票数")
    return due_voting > 0 and more_than_half(yes_votes, due_voting)
