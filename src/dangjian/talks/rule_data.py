"""The numbers of talks, study hours and contact points (RULES.md §1), as a versioned rule table."""

from __future__ import annotations

from datetime import date

from dangjian.core.ruletable import Rule, RuleTable

_EDU = "中国共产党党员教育管理工作条例（2019）"
# 中共中央《2014—2018年全国党员教育培训工作规划》: "党员每年集中学习培训时间一般不少于32学时，基层党组织书记和
# 班子成员每年集中学习培训时间一般不少于56学时". Read in a summary of the plan, not in its text: S.
_PLAN_2014 = "2014—2018年全国党员教育培训工作规划"
_PLAN_FROM = date(2014, 1, 1)  # the plan's period
_PLAN_ENDS = date(2019, 1, 1)  # the day after its period
LEADER_HOURS = "training.leader_min_hours_per_year"
STUDY_MAX_HOURS = "study.max_hours_per_record"

TALKS_RULES = RuleTable(
    [
        # before the 2019 条例 the plan set the same 32 hours; the 条例 takes over from 2019-05-06, and the plan's
        # figure is kept for the months between its period's end and the 条例 (nothing else is known for them)
        Rule(
            "training.min_hours_per_year",
            32,
            _PLAN_2014,
            "S",
            _PLAN_FROM,
            date(2019, 5, 6),
            note="党员每年集中学习培训时间一般不少于32学时",
        ),
        # secretaries and committee members: the plan's 56 hours. The 2019 条例 (art. 20) names only the 32 hours
        # of every member, so after the plan's period (2014—2018) the figure is no longer national: from 2019 it
        # is kept as the institute's setting (L) with the same default, which the office may change on the rules
        # page; the years of the plan are judged by the plan (S).
        Rule(
            LEADER_HOURS,
            56,
            _PLAN_2014,
            "S",
            _PLAN_FROM,
            _PLAN_ENDS,
            note="基层党组织书记和班子成员每年集中学习培训时间一般不少于56学时",
        ),
        Rule(
            LEADER_HOURS,
            56,
            f"本单位设置（沿用{_PLAN_2014}）",
            "L",
            _PLAN_ENDS,
            note="党支部书记和支部委员每年集中学习培训不少于56学时（2019年条例未规定，沿用2014—2018年规划的要求）",
        ),
        Rule(
            "training.min_hours_per_year",
            32,
            f"{_EDU}第20条",
            "P",
            date(2019, 5, 6),
            note="每名党员每年集中学习培训一般不少于32学时",
        ),
        # One study record is one day's study (the model has one date, 学习日期); no regulation bounds a day's class
        # hours, the usual reckoning is 8 a day (一天按8学时计). A 31-hour record was accepted (issue 13 §3): the
        # institute's setting (L), a longer training class is entered day by day.
        Rule(
            STUDY_MAX_HOURS,
            8,
            "本单位设置",
            "L",
            _PLAN_FROM,  # with the yearly hours this app reckons (the 2014 plan); earlier records are not bounded
            note="一条学习记录为一天的学习，学时不超过8（一天按8学时计）",
        ),
        Rule(
            "talks.min_per_member_per_year",
            1,
            # quoted word for word by public pages citing 支部工作条例（试行）第十九条 (RULES.md §1 had it as a summary)
            "中国共产党支部工作条例（试行）（2018）第19条",
            "Q",
            date(2018, 10, 28),
            note="党支部应当经常开展谈心谈话。党支部委员之间、党支部委员和党员之间、党员和党员之间，每年谈心谈话一般不少于1次",
        ),
        Rule(
            "contact_point.min_visits_per_year",
            2,
            "本单位设置",
            "L",
            date(2018, 1, 1),
            note="领导干部每年到联系点调研次数",
        ),
    ],
    app="talks",
    titles={
        "training.min_hours_per_year": "党员每年集中学习培训学时",
        LEADER_HOURS: "书记和支部委员每年集中学习培训学时",
        STUDY_MAX_HOURS: "一条学习记录的最多学时",
        "talks.min_per_member_per_year": "每名党员每年谈心谈话次数",
        "contact_point.min_visits_per_year": "领导干部每年到联系点的次数",
    },
)
