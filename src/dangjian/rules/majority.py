""" "More than half", the one arithmetic of every vote and quorum.

中国共产党支部工作条例（试行）第11条: 有表决权的到会人数超过应到会人数的半数方可召开；
中国共产党发展党员工作细则 第20、21、33条: 赞成人数超过应到会有表决权的正式党员的半数. 超过半数 is strict:
exactly half is not more than half (5 of 10 fails, 6 of 10 passes). Pure: no database.
"""

from __future__ import annotations


def more_than_half(count: int, of: int) -> bool:
    """``count`` is strictly more than half of ``of`` (integers only, so no rounding question arises)."""
    return count * 2 > of
