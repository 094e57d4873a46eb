"""The branch lecture cites what 支部工作条例（试行）says:
"党员领导干部应当定期为基层党员讲党课，党委（党组）书记每年至少讲1次党课" (the "三会一课" article of chapter 5,
as quoted by public pages; RULES.md §1). The yearly lecture is the 党委（党组）书记's, not the branch
secretary's, and the quarterly branch lecture is the institute's rule (L)."""

from __future__ import annotations

from dangjian.compliance.rule_data import MEETING_RULES
from dangjian.meetings.facts import HELD_KINDS
from dangjian.meetings.models import MeetingKind

ARTICLE = "党委（党组）书记每年至少讲1次党课"


def test_the_lecture_obligation_quotes_the_article_and_stays_a_local_rule():
    (lecture,) = [r for r in MEETING_RULES if r["code"] == "branch.lecture"]
    assert ARTICLE in lecture["citation"] and "党员领导干部应当定期为基层党员讲党课" in lecture["citation"]
    assert "党支部书记" not in lecture["citation"]
    assert lecture["confidence"] == "L" and lecture["citation"].startswith("本单位规定")
    assert "每年至少讲1次党课的是党委（党组）书记" in lecture["note"]


def test_the_lecture_fact_cites_the_same_words():
    rule, _fact = HELD_KINDS[MeetingKind.LECTURE]
    assert ARTICLE in str(rule) and "党支部书记" not in str(rule)
