"""The institute's settings for 抓两头促中间 and 星级党支部 (本单位设置): defaults the office may change on /rules/.

No regulation fixes these figures: the 星级党支部 thresholds and the share of 五星 follow the common practice of
grading branches by the responsibility assessment's total (五星 ≥95 and at most 10 % of the units, 四星 ≥90, 三星 ≥80,
二星 ≥70, 一星 below), and the 后进 threshold follows the assessment's lowest band (差 below 70). Quotas are percents
of the units rated; 100 means no quota.
"""

from __future__ import annotations

from datetime import date

from dangjian.core.ruletable import Rule, RuleTable

LOCAL = "本单位设置"
SINCE = date(2018, 1, 1)

TOP_COUNT = "ends.top_count"
TOP_PERCENT = "ends.top_percent"
BOTTOM_BELOW = "ends.bottom_below"
BOTTOM_PERCENT = "ends.bottom_percent"
STAR_LEVELS = (5, 4, 3, 2)


def star_minimum(stars: int) -> str:
    return f"stars.{stars}.minimum"


def star_quota(stars: int) -> str:
    return f"stars.{stars}.quota_percent"


_MINIMUMS = {5: 95, 4: 90, 3: 80, 2: 70}
_QUOTAS = {5: 10, 4: 100, 3: 100, 2: 100}
_NAMES = {5: "五星", 4: "四星", 3: "三星", 2: "二星"}

ASSESSMENT_RULES = RuleTable(
    [
        Rule(TOP_COUNT, 3, LOCAL, "L", SINCE, note="抓两头：默认列为先进党支部、标杆党支部候选的前几名单位"),
        Rule(TOP_PERCENT, 10, LOCAL, "L", SINCE, note="抓两头：按比例确定候选时，默认取排名前百分之几的单位"),
        Rule(BOTTOM_BELOW, 70, LOCAL, "L", SINCE, note="抓两头：总分低于该分数的单位列为后进，约谈并整改"),
        Rule(BOTTOM_PERCENT, 10, LOCAL, "L", SINCE, note="抓两头：按比例确定后进时，默认取排名最后百分之几的单位"),
        *(
            Rule(star_minimum(s), _MINIMUMS[s], LOCAL, "L", SINCE, note=f"{_NAMES[s]}党支部：考核总分不低于该分数")
            for s in STAR_LEVELS
        ),
        *(
            Rule(
                star_quota(s),
                _QUOTAS[s],
                LOCAL,
                "L",
                SINCE,
                note=f"{_NAMES[s]}党支部不超过参评单位的百分之几（100为不限）",
            )
            for s in STAR_LEVELS
        ),
    ],
    app="assessment",
    titles={
        TOP_COUNT: "先进、标杆候选默认个数",
        TOP_PERCENT: "先进、标杆候选默认比例（%）",
        BOTTOM_BELOW: "后进单位总分线",
        BOTTOM_PERCENT: "后进单位默认比例（%）",
        **{star_minimum(s): f"{_NAMES[s]}党支部最低总分" for s in STAR_LEVELS},
        **{star_quota(s): f"{_NAMES[s]}党支部名额比例（%）" for s in STAR_LEVELS},
    },
)
