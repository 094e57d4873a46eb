"""The upper committee's approval time limit is quoted, so it is Q, not S. 发展党员工作细则（2014）: "党委对党支部上报的
接收预备党员的决议，应当在三个月内审批，并报上级党委组织部门备案……因特殊情况可适当延长审批时间，但不得超过六个月"
(public pages quoting the 细则; the article's number is not confirmed, so the citation keeps "条号待核实")."""

from __future__ import annotations

from datetime import date

from dangjian.development.rule_data import DETAILED_RULES_2014, DEVELOPMENT_RULES
from dangjian.rules.confidence import is_regulation

ON = date(2025, 6, 1)


def test_the_approval_limits_are_regulation_quoted_with_their_values():
    within = DEVELOPMENT_RULES.rule("admission.approval_within_months", ON)
    special = DEVELOPMENT_RULES.rule("admission.approval_special_max_months", ON)
    assert (within.value, special.value) == (3, 6)
    for rule in (within, special):
        assert rule.confidence == "Q" and is_regulation(rule.confidence)
        assert rule.citation.startswith(DETAILED_RULES_2014) and "条号待核实" in rule.citation
    assert "应当在3个月内审批" in within.note and "不得超过6个月" in special.note
