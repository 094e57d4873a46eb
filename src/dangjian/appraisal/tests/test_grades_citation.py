"""The appraisal grades are practice, not the article. 党员教育管理工作条例 第18条 requires the yearly
民主评议党员 (个人自评、党员互评、民主测评) and names no grades; the four grades and the one-third share of 优秀
come from practice, as 共产党员网's 民主评议党员 guide puts it:
"按照“优秀”“合格”“基本合格”“不合格”对党员进行评定。评定为“优秀”的比例一般不超过党员总数的1/3".
No central document naming them was read, so both rules are S (参考做法)."""

from __future__ import annotations

from datetime import date

from dangjian.appraisal.models import Grade
from dangjian.appraisal.rule_data import APPRAISAL_RULES, GRADES

ON = date(2025, 12, 1)


def test_the_grades_cite_practice_and_are_marked_s():
    rule = APPRAISAL_RULES.rule("appraisal.grades", ON)
    assert rule.confidence == "S"
    assert "通行做法" in rule.citation and "第18条未规定等次" in rule.citation
    assert rule.value == ("excellent", "qualified", "basic", "unqualified")
    assert rule.note == "按照“优秀”“合格”“基本合格”“不合格”对党员进行评定"


def test_the_excellent_share_cites_the_same_practice():
    rule = APPRAISAL_RULES.rule("appraisal.excellent_share_max", ON)
    assert rule.confidence == "S" and rule.citation == APPRAISAL_RULES.rule("appraisal.grades", ON).citation
    assert "1/3" in rule.note


def test_the_model_choices_are_the_one_list_of_grades():
    assert [label for _code, label in GRADES] == ["优秀", "合格", "基本合格", "不合格"]
    assert [str(c) for c in Grade.values] == [code for code, _label in GRADES]
