"""Structural rules for organisations (RULES.md §1), as a versioned rule table."""

from __future__ import annotations

from datetime import date

from dangjian.core.ruletable import Rule, RuleTable

_BRANCH_RULES = "中国共产党支部工作条例（试行）2018 第4条"
_ORGAN_RULES = "中国共产党党和国家机关基层组织工作条例 2019 第7条"
_TERMS = "关于党的基层组织任期的意见（2018）"
_SINCE = date(2018, 10, 28)

ORG_RULES = RuleTable(
    [
        Rule("branch.min_full_members", 3, _BRANCH_RULES, "Q", _SINCE, note="正式党员3人以上的，应当成立党支部"),
        Rule("branch.max_members", 50, _BRANCH_RULES, "Q", _SINCE, note="党员人数一般不超过50人"),
        Rule(
            "branch.committee_threshold",
            7,
            _ORGAN_RULES,
            "P",
            date(2019, 4, 15),
            note="正式党员7人以上的设立支部委员会",
        ),
        Rule("term_years.committee", 5, _TERMS, "Q", _SINCE),
        Rule("term_years.general_branch", 3, _TERMS, "Q", _SINCE),
        Rule("term_years.branch", 3, _TERMS, "Q", _SINCE),
        Rule("term.election_warning_days", 90, "本单位设置", "L", _SINCE, note="届满前提醒换届的天数"),
    ],
    app="orgs",
    titles={
        "branch.min_full_members": "成立党支部的最少正式党员人数",
        "branch.max_members": "党支部党员人数上限",
        "branch.committee_threshold": "设立支部委员会的正式党员人数",
        "term_years.committee": "基层党委每届任期",
        "term_years.general_branch": "党总支每届任期",
        "term_years.branch": "党支部每届任期",
        "term.election_warning_days": "届满前提醒换届的天数",
    },
)
