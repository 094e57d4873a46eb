"""Rules the roster holds its members' dates to (issue 13 §3), as a versioned rule table. Pure Python: no Django.

党章 第一条 (the 2017 text, quoted word for word from 共产党员网's copy):
"年满十八岁的中国工人、农民、军人、知识分子和其他社会阶层的先进分子，承认党的纲领和章程，
愿意参加党的一个组织并在其中积极工作、执行党的决议和按期交纳党费的，可以申请加入中国共产党。"
The 1982 text (十二大) already opens "年满十八岁的…" (quoted by a party page as 党章第一条); the table
starts there, and a date before it is not judged (``NoRuleInForce``): the roster does not refuse a record
it cannot check.
"""

from __future__ import annotations

from datetime import date

from dangjian.core.ruletable import Rule, RuleTable

CHARTER_ARTICLE_1 = "中国共产党章程 第一条"
_CHARTER_1982 = date(1982, 9, 6)  # 十二大 adopted the charter whose article 1 the later revisions keep

TITLES = {"member.min_age_years": "申请入党的最低年龄（花名册核对）"}

PEOPLE_RULES = RuleTable(
    [
        Rule(
            "member.min_age_years",
            18,
            CHARTER_ARTICLE_1,
            "Q",
            _CHARTER_1982,
            note="年满十八岁方可申请入党：申请入党日期、入党日期均不早于年满十八周岁之日",
        ),
    ],
    app="people",
    titles=TITLES,
)
