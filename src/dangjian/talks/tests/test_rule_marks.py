"""谈心谈话 is regulation, quoted word for word: 支部工作条例（试行）第十九条
"党支部应当经常开展谈心谈话。党支部委员之间、党支部委员和党员之间、党员和党员之间，每年谈心谈话一般不少于1次"
(public pages quoting the article). It was marked S (a summary) although the text is quoted: Q (条文引用)."""

from __future__ import annotations

from datetime import date

from dangjian.rules.confidence import is_regulation
from dangjian.talks.rule_data import TALKS_RULES


def test_talks_once_a_year_cite_article_19_and_are_marked_q():
    rule = TALKS_RULES.rule("talks.min_per_member_per_year", date(2025, 6, 1))
    assert rule.value == 1
    assert rule.confidence == "Q" and is_regulation(rule.confidence)
    assert rule.citation == "中国共产党支部工作条例（试行）（2018）第19条"
    assert "每年谈心谈话一般不少于1次" in rule.note and "党支部委员和党员之间" in rule.note
