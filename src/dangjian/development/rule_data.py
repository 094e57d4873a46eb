"""Numeric rules for developing new members (RULES.md §2), as a versioned rule table.

The unit is part of every key (``_years``, ``_months``, ``_days``, ``_hours``, ``_count``); a local rule's
yes/no switches end in ``_enabled`` (off by default, RULES.md) and ``_blocks`` (block, or only warn).
Confidence marks as in RULES.md: P/Q are regulation, S/L/U are organisation settings whose value here is the
default the rule store may replace (``dangjian.rules``). Pure Python: no Django.

Revisions: the 细则 was reportedly revised in 2026. Do **not** edit the 2014 rows when it arrives: give each
changed 2014 row ``effective_to=<2026 effective date>`` and add a new ``Rule`` with ``effective_from`` on that
date, so that cases before it are still judged by the 2014 numbers.
"""

from __future__ import annotations

from datetime import date

from dangjian.core.ruletable import Rule, RuleTable

DETAILED_RULES_2014 = "中国共产党发展党员工作细则（2014）"
EFFECTIVE_2014 = date(2014, 5, 28)  # 中共中央办公厅印发，自发布之日起施行


def _art(number: int) -> str:
    return f"{DETAILED_RULES_2014} 第{number}条"


_SUMMARY = f"{DETAILED_RULES_2014}（条号待核实）"
_LOCAL = "本单位设置"

_RULES_2014 = [
    Rule("applicant.min_age_years", 18, _art(5), "Q", EFFECTIVE_2014, note="年满十八岁，以递交入党申请书之日为准"),
    Rule("talk.within_months", 1, _art(7), "Q", EFFECTIVE_2014, note="收到入党申请书后1个月内派人谈话"),
    # No national rule sets a waiting period before an applicant can be confirmed as an activist: 细则 第7条
    # asks for the talk within a month, 第8条 for a recommendation (党员推荐、群团组织推优), neither for a time.
    # Q&A books on party work advise against a fixed wait of half a year to a year (e.g.
    # 《党的基层组织工作热点疑点要点500问》 第175问: 不利于培养教育和考察，容易挫伤申请人的积极性; issue 12 §4 cites
    # 中组部组织局's Q&A to the same effect, not read here). RULES.md: a local (L) rule is off unless the office
    # turns it on, so the switch is off by default; the number and whether it blocks (or only warns) are the
    # office's too once it is on.
    Rule(
        "activist.wait_after_application_enabled",
        False,
        _LOCAL,
        "L",
        EFFECTIVE_2014,
        note="是否启用“递交申请书后满一定期限方可确定为入党积极分子”（本单位设置，非条例要求，默认不启用）",
    ),
    Rule(
        "activist.wait_after_application_months",
        6,
        _LOCAL,
        "L",
        EFFECTIVE_2014,
        note="启用时：递交申请书满6个月后方可确定为入党积极分子（本单位设置，非条例要求）",
    ),
    Rule(
        "activist.wait_after_application_blocks",
        True,
        _LOCAL,
        "L",
        EFFECTIVE_2014,
        note="启用时：是＝未满等待期不能确定（可例外放行）；否＝只提示，不阻止",
    ),
    Rule("training_contact.min_count", 1, _art(9), "S", EFFECTIVE_2014, note="指定1至2名正式党员作培养联系人"),
    Rule("training_contact.max_count", 2, _art(9), "S", EFFECTIVE_2014, note="指定1至2名正式党员作培养联系人"),
    Rule("activist.review_interval_months", 6, _art(11), "Q", EFFECTIVE_2014, note="党支部每半年考察一次"),
    Rule(
        "candidate.min_activist_years",
        1,
        _art(13),
        "Q",
        EFFECTIVE_2014,
        note="经过一年以上培养教育和考察；“以上”含本数，满一年之日即可",
    ),
    Rule(
        "sponsor.required_count",
        2,
        _art(14),
        "Q",
        EFFECTIVE_2014,
        note="两名正式党员作入党介绍人；受留党察看处分未恢复党员权利的不能作介绍人",
    ),
    Rule("training.min_days", 3, _art(17), "Q", EFFECTIVE_2014, note="集中培训时间一般不少于3天（或不少于24个学时）"),
    Rule("training.min_hours", 24, _art(17), "Q", EFFECTIVE_2014, note="集中培训时间一般不少于3天（或不少于24个学时）"),
    # 第19条: "发展对象未来3个月内将离开工作、学习单位的，一般不办理接收预备党员的手续" — judged at 预审 and at the
    # later admission decisions (the branch meeting, the approval) against the expected departure recorded on the
    # case; 一般 (generally): the office may override.
    Rule(
        "pre_review.leave_window_months",
        3,
        _art(19),
        "Q",
        EFFECTIVE_2014,
        note="发展对象未来3个月内将离开工作、学习单位的，一般不办理接收预备党员的手续",
    ),
    # A local deadline, not in the 细则: off unless the office turns it on (RULES.md, L rules).
    Rule(
        "admission.meeting_after_pre_review_enabled",
        False,
        _LOCAL,
        "L",
        EFFECTIVE_2014,
        note="是否启用“预审后一定期限内召开支部大会”的期限（本单位设置，默认不启用）",
    ),
    Rule(
        "admission.meeting_after_pre_review_months",
        1,
        _LOCAL,
        "L",
        EFFECTIVE_2014,
        note="启用时：预审后一般1个月内召开支部大会（本单位设置）",
    ),
    Rule(
        "admission.meeting_after_pre_review_blocks",
        False,
        _LOCAL,
        "L",
        EFFECTIVE_2014,
        note="启用时：是＝超过期限不能记录支部大会（可例外放行）；否＝只显示期限和超期提示",
    ),
    Rule(
        "vote.majority_denominator_count",
        2,
        f"{DETAILED_RULES_2014} 第20、21条",
        "Q",
        EFFECTIVE_2014,
        note="到会有表决权的正式党员超过应到人数的半数；赞成人数超过应到会有表决权的正式党员的半数（转正同，第33条）；"
        "因故不能到会、会前正式提交书面意见的，统计在票数内，不计入到会人数",
    ),
    Rule("publicity.min_working_days", 5, _LOCAL, "L", EFFECTIVE_2014, note="公示不少于5个工作日（本单位设置）"),
    # the text is quoted by public pages ("党委对党支部上报的接收预备党员的决议，应当在三个月内审批……但不得超过六个月");
    # the article's number is not confirmed, hence _SUMMARY's "条号待核实" with the Q mark
    Rule(
        "admission.approval_within_months",
        3,
        _SUMMARY,
        "Q",
        EFFECTIVE_2014,
        note="基层党委对党支部上报的接收预备党员的决议，应当在3个月内审批，并报上级党委组织部门备案",
    ),
    Rule(
        "admission.approval_special_max_months",
        6,
        _SUMMARY,
        "Q",
        EFFECTIVE_2014,
        note="因特殊情况可适当延长审批时间，但不得超过6个月",
    ),
    Rule("probation.duration_years", 1, _art(32), "Q", EFFECTIVE_2014, note="预备期为一年，从支部大会通过之日算起"),
    Rule("probation.max_extensions_count", 1, _art(32), "Q", EFFECTIVE_2014, note="预备期只能延长一次"),
    Rule("probation.extension_min_months", 6, _art(32), "Q", EFFECTIVE_2014, note="延长时间不能少于半年"),
    Rule("probation.extension_max_months", 12, _art(32), "Q", EFFECTIVE_2014, note="延长时间最长不超过一年"),
    Rule("conversion.approval_within_months", 3, _art(34), "Q", EFFECTIVE_2014, note="转正审批应在3个月内完成"),
    Rule("party_standing.offset_days", 0, _art(34), "Q", EFFECTIVE_2014, note="党龄从预备期满转为正式党员之日算起"),
    Rule(
        "conversion.transferred_in_postpone_max_months",
        6,
        _art(36),
        "Q",
        EFFECTIVE_2014,
        note="转入的预备党员，转正讨论可推迟，最长不超过6个月",
    ),
]

# --- 2026 revision -------------------------------------------------------------------------------------------
# Reserved. Nothing has been read from the 2026 text yet, so nothing is entered here; do not guess. When it is
# read: set effective_to on each changed 2014 rule (above) and append the new Rule rows to _RULES_2026.
_RULES_2026: list[Rule] = []

TITLES = {
    "applicant.min_age_years": "申请入党的最低年龄",
    "talk.within_months": "收到入党申请书后派人谈话的期限",
    "activist.wait_after_application_enabled": "是否启用确定入党积极分子前的等待期",
    "activist.wait_after_application_months": "递交申请书后确定为入党积极分子的等待期",
    "activist.wait_after_application_blocks": "等待期未满是否阻止确定入党积极分子",
    "training_contact.min_count": "培养联系人最少人数",
    "training_contact.max_count": "培养联系人最多人数",
    "activist.review_interval_months": "党支部考察入党积极分子的间隔",
    "candidate.min_activist_years": "入党积极分子培养考察的最短时间",
    "sponsor.required_count": "入党介绍人人数",
    "training.min_days": "发展对象集中培训最少天数",
    "training.min_hours": "发展对象集中培训最少学时",
    "pre_review.leave_window_months": "将离开工作、学习单位而一般不办理接收手续的期限",
    "admission.meeting_after_pre_review_enabled": "是否启用预审后召开支部大会的期限",
    "admission.meeting_after_pre_review_months": "预审后召开支部大会的期限",
    "admission.meeting_after_pre_review_blocks": "超过预审后召开支部大会的期限是否阻止记录",
    "vote.majority_denominator_count": "支部大会表决：超过半数",
    "publicity.min_working_days": "发展对象公示的最少工作日",
    "admission.approval_within_months": "基层党委审批接收预备党员的期限",
    "admission.approval_special_max_months": "特殊情况下审批期限的上限",
    "probation.duration_years": "预备期",
    "probation.max_extensions_count": "预备期可延长的次数",
    "probation.extension_min_months": "延长预备期的最短时间",
    "probation.extension_max_months": "延长预备期的最长时间",
    "conversion.approval_within_months": "审批预备党员转正的期限",
    "party_standing.offset_days": "党龄起算：转正之日",
    "conversion.transferred_in_postpone_max_months": "转入的预备党员推迟讨论转正的上限",
}

DEVELOPMENT_RULES = RuleTable(_RULES_2014 + _RULES_2026, app="development", titles=TITLES)
