"""Democratic appraisal rules (RULES.md §1 and §4) as a versioned rule table."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from dangjian.core.ruletable import Rule, RuleTable
from dangjian.rules.confidence import gettext_noop as _

_EDU = "中国共产党党员教育管理工作条例（2019）第18条"
_SINCE = date(2019, 5, 6)

# The four grades of 民主评议党员, best first: the one definition (the model's choices, the tallies and the rule
# table all read it). The labels are translated by the model's choices.
GRADES = (
    ("excellent", _("优秀")),
    ("qualified", _("合格")),
    ("basic", _("基本合格")),
    ("unqualified", _("不合格")),
)
GRADE_CODES = tuple(code for code, _label in GRADES)

APPRAISAL_RULES = RuleTable(
    [
        Rule("appraisal.grades", GRADE_CODES, _EDU, "S", _SINCE),
        # 优秀 generally no more than a third of those appraised: warn, do not block.
        Rule("appraisal.excellent_share_max", Fraction(1, 3), "民主评议党员工作通行做法", "S", _SINCE),
        Rule("appraisal.probationary_graded", False, "本单位设置", "L", _SINCE, note="预备党员参加评议但不评定等次"),
    ],
    app="appraisal",
    titles={
        "appraisal.grades": "民主评议党员的等次",
        "appraisal.excellent_share_max": "评为优秀的比例上限（超出时提醒）",
        "appraisal.probationary_graded": "预备党员是否评定等次",
    },
)
