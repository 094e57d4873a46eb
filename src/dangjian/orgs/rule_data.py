"""Structural rules for organisations (RULES.md §1), as a versioned rule table.

Terms before the 2018 意见 follow the 党章 then in force. The 党章 gives a range ("三年至五年", "两年或三年"), and the
table keeps one number per version: the **upper bound**. The table answers "when is this term overdue"; a term
elected for the longer length the 党章 allowed is lawful until that length has run, so the lower bound would call
lawful terms overdue. The value stays a whole number of years in every version, so the rule store's stored versions
decode the same way across the revisions; the note gives the range in the 党章's words.
"""

from __future__ import annotations

from datetime import date

from dangjian.core.ruletable import Rule, RuleTable

_BRANCH_RULES = "中国共产党支部工作条例（试行）2018 第4条"
# 支部工作条例（试行）第六章（党支部委员会建设）: the ≥7 rule; the article number was not read, the chapter was
_BRANCH_COMMITTEE = "中国共产党支部工作条例（试行）2018 第六章"
_ORGAN_RULES = "中国共产党党和国家机关基层组织工作条例 2019 第7条"
_TERMS = "关于党的基层组织任期的意见（2018）第一条"
_SINCE = date(2018, 10, 28)

# 党章 revisions, each in force from the day the congress adopted it
_CHARTER_2002 = date(2002, 11, 14)  # 十六大
_CHARTER_2012 = date(2012, 11, 14)  # 十八大
_CHARTER_2017 = date(2017, 10, 24)  # 十九大

# The 2002 text: quoted word for word by 洞口县委组织部 (dkdj.gov.cn, 2006-03-03) as 党章第三十条.
_TERMS_2002 = "中国共产党章程（2002年修改）第三十条"
_NOTE_2002_COMMITTEE = "党章：党的基层委员会每届任期三年或四年（按上限4年计算届满）"
_NOTE_2002_BRANCH = "党章：总支部委员会、支部委员会每届任期两年或三年（按上限3年计算届满）"
# The text as the issue quotes it (not read in a copy of the 2012 党章; whether the 2007 revision already changed
# 三年或四年 to 三年至五年 is not confirmed, so the 2002 version stays until 2012): S.
_TERMS_2012 = "中国共产党章程（2012年修改）第三十条"
_NOTE_2012_COMMITTEE = "党章：党的基层委员会每届任期三年至五年（按上限5年计算届满）"
# The 十九大 text, quoted by the 2018 意见 itself: "党的基层委员会、总支部委员会、支部委员会每届任期三年至五年".
_TERMS_2017 = "中国共产党章程（2017年修改）第三十一条"
_NOTE_2017 = "党章：党的基层委员会、总支部委员会、支部委员会每届任期三年至五年（按上限5年计算届满）"


_EARLIER_TERMS = [
    Rule("term_years.committee", 4, _TERMS_2002, "Q", _CHARTER_2002, _CHARTER_2012, _NOTE_2002_COMMITTEE),
    Rule("term_years.general_branch", 3, _TERMS_2002, "Q", _CHARTER_2002, _CHARTER_2012, _NOTE_2002_BRANCH),
    Rule("term_years.branch", 3, _TERMS_2002, "Q", _CHARTER_2002, _CHARTER_2012, _NOTE_2002_BRANCH),
    Rule("term_years.committee", 5, _TERMS_2012, "S", _CHARTER_2012, _CHARTER_2017, _NOTE_2012_COMMITTEE),
    Rule("term_years.general_branch", 3, _TERMS_2012, "S", _CHARTER_2012, _CHARTER_2017, _NOTE_2002_BRANCH),
    Rule("term_years.branch", 3, _TERMS_2012, "S", _CHARTER_2012, _CHARTER_2017, _NOTE_2002_BRANCH),
    Rule("term_years.committee", 5, _TERMS_2017, "Q", _CHARTER_2017, _SINCE, _NOTE_2017),
    Rule("term_years.general_branch", 5, _TERMS_2017, "Q", _CHARTER_2017, _SINCE, _NOTE_2017),
    Rule("term_years.branch", 5, _TERMS_2017, "Q", _CHARTER_2017, _SINCE, _NOTE_2017),
]

ORG_RULES = RuleTable(
    [
        Rule("branch.min_full_members", 3, _BRANCH_RULES, "Q", _SINCE, note="正式党员3人以上的，应当成立党支部"),
        Rule("branch.max_members", 50, _BRANCH_RULES, "Q", _SINCE, note="党员人数一般不超过50人"),
        # 支部工作条例 2018 already requires the committee at 7 full members: "有正式党员7人以上的党支部，应当设立
        # 党支部委员会" (quoted from 第六章 by several party pages); the 2019 机关条例 repeats it for organs.
        Rule(
            "branch.committee_threshold",
            7,
            _BRANCH_COMMITTEE,
            "Q",
            _SINCE,
            note="有正式党员7人以上的党支部，应当设立党支部委员会",
        ),
        Rule(
            "branch.committee_threshold",
            7,
            _ORGAN_RULES,
            "P",
            date(2019, 4, 15),
            note="正式党员7人以上的设立支部委员会",
        ),
        *_EARLIER_TERMS,
        Rule("term_years.committee", 5, _TERMS, "Q", _SINCE, note="党的基层委员会每届任期一般为5年"),
        Rule("term_years.general_branch", 3, _TERMS, "Q", _SINCE, note="党的总支部委员会每届任期一般为3年"),
        Rule("term_years.branch", 3, _TERMS, "Q", _SINCE, note="党的支部委员会每届任期一般为3年"),
        # "其中，村和社区党的委员会、总支部委员会、支部委员会每届任期为5年" (意见 第一条); before the 意见 the
        # 党章's rule for the organisation's kind applies (see ``rules.term_years``)
        Rule(
            "term_years.village_community",
            5,
            _TERMS,
            "Q",
            _SINCE,
            note="村和社区党的委员会、总支部委员会、支部委员会每届任期为5年",
        ),
        # "如需延期或提前进行换届选举，应报上级党的委员会批准，延长或提前期限一般不超过1年" (意见 第二条)
        Rule(
            "term.max_shift_years",
            1,
            "关于党的基层组织任期的意见（2018）第二条",
            "Q",
            _SINCE,
            note="延期或提前换届须经上级党的委员会批准，延长或提前期限一般不超过1年",
        ),
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
        "term_years.village_community": "村、社区党组织每届任期",
        "term.max_shift_years": "延期或提前换届的最长期限",
        "term.election_warning_days": "届满前提醒换届的天数",
    },
)
