"""The attendance and voting shares of meetings (RULES.md §1), as a versioned rule table. Pure Python: no Django.

支部工作条例 art. 11 writes 半数以上 (at least half: 以上 includes the number) for the attendance a vote needs and
超过 (strictly more) for the yes votes a resolution needs; art. 12 writes 半数以上 for the committee meeting itself.
A members' meeting or life meeting without a vote is held whatever the attendance: the quorum conditions the vote.
Admission and conversion votes have their own, stricter rule (发展党员工作细则, ``development.rule_data``).
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from dangjian.core.ruletable import Rule, RuleTable

BRANCH_REGS = "中国共产党支部工作条例（试行）（2018）"
SINCE_2018 = date(2018, 10, 28)  # 支部工作条例 issued
HALF = Fraction(1, 2)

_RULES = [
    Rule(
        "vote.attendance_at_least_share",
        HALF,
        f"{BRANCH_REGS}第11条",
        "Q",
        SINCE_2018,
        note="表决必须有半数以上有表决权的党员到会方可进行（“以上”含本数：应到10人、到会5人即可表决）",
    ),
    Rule(
        "vote.yes_more_than_share",
        HALF,
        f"{BRANCH_REGS}第11条",
        "Q",
        SINCE_2018,
        note="赞成人数超过应到会有表决权的党员的半数为通过（应到10人，赞成5票不通过，6票通过）",
    ),
    Rule(
        "committee.attendance_at_least_share",
        HALF,
        f"{BRANCH_REGS}第12条",
        "Q",
        SINCE_2018,
        note="支部委员会会议须有半数以上委员到会方可进行，无论是否表决",
    ),
]

TITLES = {
    "vote.attendance_at_least_share": "表决须到会的有表决权党员比例（半数以上）",
    "vote.yes_more_than_share": "决议通过须超过的赞成比例（超过应到会人数的半数）",
    "committee.attendance_at_least_share": "支委会须到会的委员比例（半数以上）",
}

MEETING_VOTE_RULES = RuleTable(_RULES, app="meetings", titles=TITLES)
