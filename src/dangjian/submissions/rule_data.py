"""The submissions app's setting (本单位设置) in the rule store: the office changes it on the rules page."""

from __future__ import annotations

from dangjian.core.ruletable import EARLIEST, Rule, RuleTable

LOCAL = "本单位设置"
# No regulation sets how soon the organisation above answers a request (党政机关公文处理工作条例 asks only that
# requests be handled promptly): the institute's setting (L), 10 working days as the usual local practice.
ANSWER_DAYS = "submissions.request.answer_working_days"

SUBMISSION_RULES = RuleTable(
    [
        Rule(
            ANSWER_DAYS,
            10,
            LOCAL,
            "L",
            EARLIEST,
            note="上级党组织收到请示后应在该期限内答复（批复或退回），从报送次日起按工作日计算",
        ),
    ],
    app="submissions",
    titles={ANSWER_DAYS: "请示的答复期限"},
)
