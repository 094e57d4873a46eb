""" "At least half" and "more than half", the two arithmetics of every quorum and vote.

中国共产党支部工作条例（试行）第11条: 表决必须有半数以上有表决权的党员到会方可进行，赞成人数超过应到会有表决权的
党员的半数为通过. 半数以上 includes the number (5 of 10 present is a quorum, as 一年以上 includes the year);
超过半数 is strict (5 yes of 10 due fails, 6 passes). 第12条: 支部委员会会议须有半数以上委员到会方可进行.
中国共产党发展党员工作细则 第20、21、33条 keep the strict rule for admission and conversion votes (到会超过半数).
Pure: no database; integers only, so no rounding question arises.
"""

from __future__ import annotations


def more_than_half(count: int, of: int) -> bool:
    """超过半数: ``count`` is strictly more than half of ``of``."""
    return count * 2 > of


def at_least_half(count: int, of: int) -> bool:
    """半数以上: ``count`` is half of ``of`` or more (以上 includes the number)."""
    return count * 2 >= of
