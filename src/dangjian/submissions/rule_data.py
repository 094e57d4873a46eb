"""The submissions app's settings (本单位设置) in the rule store: the office changes them on the rules page."""

from __future__ import annotations

from dangjian.core.ruletable import EARLIEST, Rule, RuleTable

LOCAL = "本单位设置"
# No regulation sets how soon the organisation above answers a request (党政机关公文处理工作条例 asks only that
# requests be handled promptly): the institute's setting (L), 10 working days as the usual local practice.
ANSWER_DAYS = "submissions.request.answer_working_days"
# How many days before a request's deadline the office is reminded of it (and every day after, while it is late):
# no regulation; 3 days leave time to convene the committee that answers.
REMIND_DAYS = "submissions.request.remind_days"
# How long an answer stays on the sender's home page after it arrives: no regulation; a month of notice.
RECENT_DAYS = "submissions.answer.shown_days"

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
        Rule(
            REMIND_DAYS,
            3,
            LOCAL,
            "L",
            EARLIEST,
            note="请示距答复期限不足该天数（含已超期）时，每日提醒负责答复的组织部门",
        ),
        Rule(
            RECENT_DAYS,
            30,
            LOCAL,
            "L",
            EARLIEST,
            note="上级的批复、阅知在报送单位首页保留显示的天数（退回的请示在重新报送前一直显示）",
        ),
    ],
    app="submissions",
    titles={ANSWER_DAYS: "请示的答复期限", REMIND_DAYS: "请示答复到期提醒提前天数", RECENT_DAYS: "答复在首页显示天数"},
)
