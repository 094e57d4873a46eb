"""Who is on a meeting's roster and who votes (issue 12 §2), as a versioned rule table. Pure Python: no Django.

Read where: 党章 第四十条 (2017, 2022) / 第三十九条 (2012) "党员在留党察看期间没有表决权、选举权和被选举权",
quoted on a 党群工作部 page of 2016 (手抄党章 第八十四天) and, for 纪律处分条例（2023）第十二条, by 共产党员网
(2024-05-24): "党员受留党察看处分期间，没有表决权、选举权和被选举权". 党员教育管理工作条例（2019）第二十四条, as
reprinted by 共产党员网: "对与党组织失去联系6个月以上、通过各种方式查找仍然没有取得联系的党员，予以停止党籍".
The exemption from 应到会 is practice (S), not an article: organisation departments' guides on 三会一课.
"""

from __future__ import annotations

from datetime import date

from dangjian.core.ruletable import Rule, RuleTable

PARTY_CONSTITUTION = "中国共产党章程"

_RULES = [
    Rule(
        "roster.discipline_probation_votes",
        False,
        f"{PARTY_CONSTITUTION}（2012）第三十九条",
        "Q",
        date(2012, 11, 14),
        effective_to=date(2017, 10, 24),
        note="党员在留党察看期间没有表决权、选举权和被选举权：到会，不计入有表决权人数",
    ),
    Rule(
        "roster.discipline_probation_votes",
        False,
        f"{PARTY_CONSTITUTION}（2017、2022）第四十条；中国共产党纪律处分条例（2023）第十二条；"
        "中国共产党基层组织选举工作条例（2020）第五条",
        "Q",
        date(2017, 10, 24),
        note="留党察看期间没有表决权、选举权和被选举权；恢复党员权利之日起重新享有表决权",
    ),
    Rule(
        "roster.rights_stopped_left_out",
        ("应到会人数", "党费名单", "党员人数"),
        "中国共产党党员教育管理工作条例（2019）第二十四条",
        "Q",
        date(2019, 5, 6),
        note="失去联系6个月以上、查找仍无联系的党员予以停止党籍；自停止党籍决定之日起不列入应到会人数、党费名单和"
        "党员人数（由停止党籍推出），恢复党籍决定之日起重新列入",
    ),
    Rule(
        "roster.exemption_reasons",
        ("长期病休", "出国（境）半年以上", "被羁押", "外出务工未转关系半年以上", "其他经批准的情形"),
        "各地党委组织部门“三会一课”工作指引（参考做法）",
        "S",
        date(2018, 10, 28),
        note="因病长期请假、出国出境半年以上、被羁押、外出务工经商未转组织关系半年以上等原因不能参加组织生活的党员，"
        "经上级党组织批准，可不计算在应到会人数内",
    ),
]

TITLES = {
    "roster.discipline_probation_votes": "留党察看期间是否有表决权（否）",
    "roster.rights_stopped_left_out": "停止党籍的党员不列入应到会、党费和党员人数",
    "roster.exemption_reasons": "经上级党组织批准不计入应到会人数的情形",
}

ROSTER_RULES = RuleTable(_RULES, app="meetings", titles=TITLES)


def discipline_probation_votes(on: date) -> bool:
    """Whether a member under 留党察看 votes on ``on``; before the first version known here, the first version
    (the rule is older than the 2012 text this table starts from)."""
    try:
        return bool(ROSTER_RULES.value("roster.discipline_probation_votes", on))
    except LookupError:
        return bool(ROSTER_RULES.versions("roster.discipline_probation_votes")[0].value)
