"""The integration app's settings (本单位设置) in the rule store: the office changes them on the rules page."""

from __future__ import annotations

from dangjian.core.ruletable import EARLIEST, Rule, RuleTable

LOCAL = "本单位设置"
# 党员示范岗 are reviewed each year (评议); a post scoring below this keeps no plate. No regulation sets the figure:
# the institute's setting (L), 80 as the usual local practice.
POST_MIN_SCORE = "integration.model_post.min_review_score"

POSTS_RULES = RuleTable(
    [
        Rule(
            POST_MIN_SCORE,
            80,
            LOCAL,
            "L",
            EARLIEST,
            note="党员示范岗年度评议得分低于该分数的，撤销示范岗（摘牌）",
        ),
    ],
    app="integration",
    titles={POST_MIN_SCORE: "党员示范岗评议保留的最低得分"},
)
