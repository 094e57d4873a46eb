"""The meetings every organisation owes (RULES.md §1) and the compliance checker's own numbers.

``MEETING_RULES`` are the shipped obligations: version 1 of each (seeded by compliance 0002, now versions of
``compliance.obligation.<code>`` in the rule store), which the committee office revises on the rule pages when the
institute sets them (each revision a new version, never an edit).
A newcomer looking for "支委会每月召开" finds it here, with the article that requires it.

``COMPLIANCE_SETTINGS`` are the institute's numbers (本单位设置) for deadlines and reminders; the rule store
(``dangjian.rules``) holds their versions, these are the defaults. Pure Python: no database.
"""

from __future__ import annotations

from datetime import date

from dangjian.core.ruletable import Rule, RuleTable

BRANCH_REGS = "中国共产党支部工作条例（试行）（2018）"
EDUCATION_REGS = "中国共产党党员教育管理工作条例（2019）"
SINCE_2018 = date(2018, 10, 28)  # 支部工作条例 issued
SINCE_2019 = date(2019, 5, 6)  # 党员教育管理工作条例 issued

MEETING_RULES = [
    dict(
        code="branch.committee_meeting",
        title="支委会每月召开",
        org_kind="branch",
        condition="has_committee",
        meeting_kind="committee_meeting",
        period="month",
        citation=f"{BRANCH_REGS}第12条",
        confidence="Q",
        effective_from=SINCE_2018,
        note="支部委员会会议一般每月召开1次；只对设有支部委员会的党支部（已选举产生委员会）适用。",
    ),
    dict(
        code="branch.members_meeting",
        title="支部党员大会每季度召开",
        org_kind="branch",
        meeting_kind="members_meeting",
        period="quarter",
        citation=f"{BRANCH_REGS}第11条",
        confidence="Q",
        effective_from=SINCE_2018,
        note="支部党员大会一般每季度召开1次；表决必须有半数以上有表决权的党员到会方可进行，赞成人数超过应到会有表决权的党员的半数为通过。",
    ),
    dict(
        code="group.group_meeting",
        title="党小组会每月召开",
        org_kind="group",
        meeting_kind="group_meeting",
        period="month",
        citation=f"{BRANCH_REGS}第13条",
        confidence="Q",
        effective_from=SINCE_2018,
        note="党小组会一般每月召开1次（设有党小组的，由党小组承担）。",
    ),
    dict(
        code="branch.lecture",
        title="党课每季度1次",
        org_kind="branch",
        meeting_kind="lecture",
        period="quarter",
        # 支部工作条例, the "三会一课" article:
        # "党员领导干部应当定期为基层党员讲党课，党委（党组）书记每年至少讲1次党课". The yearly lecture is owed by
        # the secretary of a 党委（党组）, not of a branch; the article sets no number of branch lectures, so the
        # quarterly branch lecture is the institute's rule (L).
        citation="本单位规定（支部工作条例：党员领导干部应当定期为基层党员讲党课，党委（党组）书记每年至少讲1次党课）",
        confidence="L",
        effective_from=SINCE_2018,
        note=(
            "按季度上党课是本单位设置（常见做法，默认启用），可由党委办公室停用或修改。"
            "条例未规定党支部上党课的次数；每年至少讲1次党课的是党委（党组）书记。"
        ),
    ),
    dict(
        code="branch.theme_day",
        title="主题党日每月1次",
        org_kind="branch",
        meeting_kind="theme_day",
        period="month",
        citation=f"{EDUCATION_REGS}第16条",
        confidence="P",
        effective_from=SINCE_2019,
        note="党支部每月相对固定1天开展主题党日。",
    ),
    dict(
        code="branch.life_meeting",
        title="组织生活会每年召开",
        org_kind="branch",
        meeting_kind="life_meeting",
        period="year",
        counts_group_meetings=True,
        citation=f"{EDUCATION_REGS}第17条；{BRANCH_REGS}第17条",
        confidence="P",
        effective_from=SINCE_2018,
        note=(
            "每年至少召开1次，一般在第四季度。可以党员大会、支委会或党小组会的形式召开："
            "登记为“组织生活会”类型的会议，无论由支部还是其党小组召开，都计入支部；"
            "普通的支部党员大会、支委会、党小组会不计入。"
        ),
    ),
    # 民主评议党员: an obligation like the meetings, met by the branch's appraisal of the year (``models.Activity``)
    dict(
        code="branch.appraisal",
        title="民主评议党员每年开展",
        org_kind="branch",
        meeting_kind="appraisal",
        period="year",
        citation=f"{EDUCATION_REGS}第18条",
        confidence="P",
        effective_from=SINCE_2019,
        note=(
            "党支部一般每年开展1次民主评议党员（个人自评、党员互评、民主测评，可以结合组织生活会一并进行）。"
            "该年度的民主评议经党员大会确认评定等次后，视为完成；自2020年度起要求（条例2019年5月6日起施行）。"
        ),
    ),
]

MINUTES_DAYS = "compliance.minutes_days"
DUE_SOON_DAYS = "compliance.due_soon_days"
LATE_WINDOW_DAYS = "compliance.late_window_days"

COMPLIANCE_SETTINGS = RuleTable(
    [
        Rule(MINUTES_DAYS, 7, "本单位设置", "L", SINCE_2018, note="会议召开后超过该天数仍未完成会议记录的，列为逾期。"),
        Rule(
            DUE_SOON_DAYS, 7, "本单位设置", "L", SINCE_2018, note="周期剩余天数不超过该值且尚未召开的，显示为即将到期。"
        ),
        Rule(
            LATE_WINDOW_DAYS,
            92,
            "本单位设置",
            "L",
            SINCE_2018,
            note="支部书记的待办中保留周期结束不超过该天数的逾期事项。",
        ),
    ],
    app="compliance",
    titles={
        MINUTES_DAYS: "会后完成会议记录的天数",
        DUE_SOON_DAYS: "到期提醒天数",
        LATE_WINDOW_DAYS: "待办中保留逾期事项的天数",
    },
)
# the engine's short names for the three settings
SETTING_NAMES = {MINUTES_DAYS: "minutes_days", DUE_SOON_DAYS: "due_soon_days", LATE_WINDOW_DAYS: "late_window_days"}

# 自行脱党: a member who "没有正当理由，连续六个月不参加党的组织生活，或不交纳党费" is considered to have left the party
# and the branch members' meeting decides the 除名 (党章 第九条; 党员教育管理工作条例 2019 第31条). The dues half is
# ``dues.arrears_months``; this is the organisational-life half, read by ``compliance.lapsed``.
PARTY_CONSTITUTION = "中国共产党章程"
LAPSE_LIFE_MONTHS = "compliance.lapse_life_months"
LAPSE_RULES = RuleTable(
    [
        Rule(
            LAPSE_LIFE_MONTHS,
            6,
            f"{PARTY_CONSTITUTION}第九条；{EDUCATION_REGS}第31条",
            "Q",
            date(1982, 9, 6),  # 十二大党章: "连续六个月不参加党的组织生活" (kept in every revision since)
            note=(
                "党员如果没有正当理由，连续六个月不参加党的组织生活，或不交纳党费，或不做党所分配的工作，就被认为是"
                "自行脱党。支部大会应当决定把这样的党员除名，并报上级党组织批准。请假（经批准的缺席）视为有正当理由，"
                "不计入；支部在该期间未召开其应参加的会议的，不列入。"
            ),
        ),
    ],
    app="compliance",
    titles={LAPSE_LIFE_MONTHS: "连续不参加组织生活应研究除名的月数"},
)
