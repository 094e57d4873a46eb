"""Democratic appraisal rules (RULES.md §1 and §4) as a versioned rule table."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from dangjian.core.ruletable import Rule, RuleTable
from dangjian.rules.confidence import gettext_noop as _

_SINCE = date(2019, 5, 6)
# 党员教育管理工作条例 art. 18 requires the yearly appraisal (自评、互评、民主测评) but names no grades. The four
# grades and the one-third share of 优秀 are practice: 共产党员网's 民主评议党员 guide
# ("按照“优秀”“合格”“基本合格”“不合格”对党员进行评定。评定为“优秀”的比例一般不超过党员总数的1/3") and branch
# notices that follow it. No central document naming them was found to read (a 中组部 意见 on 民主评议 is often
# mentioned, never quoted), so both rules are S.
_PRACTICE = "民主评议党员通行做法（共产党员网“民主评议党员”专题；党员教育管理工作条例第18条未规定等次）"

# The four grades of 民主评议党员, best first: the one definition (the model's choices, the tallies and the rule
# table all read it). The labels are translated by the model's choices.
GRADES = (
    ("excellent", _("优秀")),
    ("qualified", _("合格")),
    ("basic", _("基本合格")),
    ("unqualified", _("不合格")),
)
GRADE_CODES = tuple(code for code, _label in GRADES)
MIN_RATERS = "appraisal.min_raters_for_tallies"

APPRAISAL_RULES = RuleTable(
    [
        Rule(
            "appraisal.grades",
            GRADE_CODES,
            _PRACTICE,
            "S",
            _SINCE,
            note="按照“优秀”“合格”“基本合格”“不合格”对党员进行评定",
        ),
        # 优秀 generally no more than a third of those appraised: warn, do not block.
        Rule(
            "appraisal.excellent_share_max",
            Fraction(1, 3),
            _PRACTICE,
            "S",
            _SINCE,
            note="评定为“优秀”的比例一般不超过党员总数的1/3",
        ),
        Rule("appraisal.probationary_graded", False, "本单位设置", "L", _SINCE, note="预备党员参加评议但不评定等次"),
        # 互评 is anonymous (党员教育管理工作条例 第18条 names 互评 but no procedure; anonymity is practice): with one
        # or two raters a tally shows what each of them gave. The tallies wait for the review to close and for at
        # least this many raters (issue 13 §3 asks for 3).
        Rule(
            MIN_RATERS,
            3,
            "本单位设置",
            "L",
            _SINCE,
            note="互评结束且参与互评的党员不少于3人时，才显示互评汇总票数，以免推知个人的评价",
        ),
    ],
    app="appraisal",
    titles={
        "appraisal.grades": "民主评议党员的等次",
        "appraisal.excellent_share_max": "评为优秀的比例上限（超出时提醒）",
        "appraisal.probationary_graded": "预备党员是否评定等次",
        MIN_RATERS: "显示互评汇总所需的最少互评人数",
    },
)
