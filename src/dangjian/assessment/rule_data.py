"""The assessment's settings as a versioned rule table: the 述职评议's rater-group weights and grade points, and the
三张清单's default deadline. The office changes them on the rules page (/rules/), for the whole institute or a
committee's subtree, without code. Pure: no Django at import.

党委（党组）书记抓基层党建工作述职评议考核办法（试行） asks for a 评议 by groups of raters with the grades 好、较好、
一般、差 and leaves the weighing and the scoring to the committee holding the meeting; the text was not read here for
numbers, none is attributed to it: every value below is 本单位设置 (L).

Also the institute's settings for 抓两头促中间 and 星级党支部. No regulation fixes these figures either: the
星级党支部 thresholds and the share of 五星 follow the common practice of grading branches by the responsibility
assessment's total (五星 ≥95 and at most 10 % of the units, 四星 ≥90, 三星 ≥80, 二星 ≥70, 一星 below), and the 后进
threshold follows the assessment's lowest band (差 below 70). Quotas are percents of the units rated; 100 means no
quota.
"""

from __future__ import annotations

from datetime import date

from dangjian.core.ruletable import Rule, RuleTable

_LOCAL = "本单位设置"
_SINCE = date(2015, 1, 1)  # the 办法's first year of 述职评议考核; meetings before it are not reckoned

# one key a rater group (RaterGroup's values), weights in percent; a meeting opening its vote needs them to add up
# to 100 (report_services.open_voting)
WEIGHT_KEYS = {
    "committee": "assessment.report_weight_committee_percent",
    "secretaries": "assessment.report_weight_secretaries_percent",
    "members": "assessment.report_weight_members_percent",
    "staff": "assessment.report_weight_staff_percent",
}
# the points a grade is worth in a secretary's score (report_results), one key a grade (ReportGrade's values)
POINT_KEYS = {
    "good": "assessment.report_good_points",
    "fairly_good": "assessment.report_fairly_good_points",
    "average": "assessment.report_average_points",
    "poor": "assessment.report_poor_points",
}
# the least score of each overall grade but the last (差 is whatever scores below 一般)
BAND_KEYS = {
    "good": "assessment.report_good_min_points",
    "fairly_good": "assessment.report_fairly_good_min_points",
    "average": "assessment.report_average_min_points",
}
RECTIFICATION_DAYS = "assessment.rectification_deadline_days"

DEFAULT_WEIGHTS = {"committee": 30, "secretaries": 20, "members": 30, "staff": 20}
DEFAULT_POINTS = {"good": 100, "fairly_good": 80, "average": 60, "poor": 0}
DEFAULT_BANDS = {"good": 90, "fairly_good": 75, "average": 60}
_GROUP_WORDS = {"committee": "党委委员", "secretaries": "其他书记", "members": "党员代表", "staff": "职工代表"}
_GRADE_WORDS = {"good": "好", "fairly_good": "较好", "average": "一般", "poor": "差"}

LOCAL = "本单位设置"
SINCE = date(2018, 1, 1)

TOP_COUNT = "assessment.ends.top_count"
TOP_PERCENT = "assessment.ends.top_percent"
BOTTOM_BELOW = "assessment.ends.bottom_below"
BOTTOM_PERCENT = "assessment.ends.bottom_percent"
STAR_LEVELS = (5, 4, 3, 2)


def star_minimum(stars: int) -> str:
    return f"assessment.stars.{stars}.minimum"


def star_quota(stars: int) -> str:
    return f"assessment.stars.{stars}.quota_percent"


_MINIMUMS = {5: 95, 4: 90, 3: 80, 2: 70}
_QUOTAS = {5: 10, 4: 100, 3: 100, 2: 100}
_NAMES = {5: "五星", 4: "四星", 3: "三星", 2: "二星"}

_RULES = [
    *(
        Rule(
            key,
            DEFAULT_WEIGHTS[group],
            _LOCAL,
            "L",
            _SINCE,
            note=f"述职评议中{_GROUP_WORDS[group]}测评组的权重（各组之和为100）",
        )
        for group, key in WEIGHT_KEYS.items()
    ),
    *(
        Rule(key, DEFAULT_POINTS[grade], _LOCAL, "L", _SINCE, note=f"述职评议得分中“{_GRADE_WORDS[grade]}”计的分数")
        for grade, key in POINT_KEYS.items()
    ),
    *(
        Rule(key, DEFAULT_BANDS[grade], _LOCAL, "L", _SINCE, note=f"述职评议得分不低于此分为“{_GRADE_WORDS[grade]}”")
        for grade, key in BAND_KEYS.items()
    ),
    # one quarter to rectify, when the office seeds a list without naming a deadline
    Rule(RECTIFICATION_DAYS, 90, _LOCAL, "L", _SINCE, note="生成三张清单时未指定整改时限的，自生成之日起的整改天数"),
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
]

ASSESSMENT_RULES = RuleTable(
    _RULES,
    app="assessment",
    titles={
        **{key: f"述职评议{_GROUP_WORDS[group]}权重" for group, key in WEIGHT_KEYS.items()},
        **{key: f"述职评议“{_GRADE_WORDS[grade]}”的分数" for grade, key in POINT_KEYS.items()},
        **{key: f"述职评议评为“{_GRADE_WORDS[grade]}”的最低得分" for grade, key in BAND_KEYS.items()},
        RECTIFICATION_DAYS: "三张清单的默认整改时限",
        TOP_COUNT: "先进、标杆候选默认个数",
        TOP_PERCENT: "先进、标杆候选默认比例（%）",
        BOTTOM_BELOW: "后进单位总分线",
        BOTTOM_PERCENT: "后进单位默认比例（%）",
        **{star_minimum(s): f"{_NAMES[s]}党支部最低总分" for s in STAR_LEVELS},
        **{star_quota(s): f"{_NAMES[s]}党支部名额比例（%）" for s in STAR_LEVELS},
    },
)
