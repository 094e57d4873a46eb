"""The numbers of talks, study hours and contact points (RULES.md §1), as a versioned rule table."""

from __future__ import annotations

from datetime import date

from dangjian.core.ruletable import Rule, RuleTable

_EDU = "中国共产党党员教育管理工作条例（2019）"

TALKS_RULES = RuleTable(
    [
        Rule(
            "training.min_hours_per_year",
            32,
            f"{_EDU}第20条",
            "P",
            date(2019, 5, 6),
            note="每名党员每年集中学习培训一般不少于32学时",
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
        "talks.min_per_member_per_year": "每名党员每年谈心谈话次数",
        "contact_point.min_visits_per_year": "领导干部每年到联系点的次数",
    },
)
