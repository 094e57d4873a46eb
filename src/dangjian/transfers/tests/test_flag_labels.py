"""The lost-contact flags name the months and years of the rules in force, not literals (党员教育管理工作条例
（2019）第24条: "党员失去联系6个月以上…应当停止其党籍"; "停止党籍2年后确实无法取得联系的，按照自行脱党予以除名")."""

from __future__ import annotations

from datetime import date

from dangjian.core.ruletable import Rule, RuleTable
from dangjian.transfers import lost, rules
from dangjian.transfers.rule_data import EFFECTIVE_2019

TODAY = date(2026, 3, 1)


def test_the_flags_read_the_2019_rule():
    assert lost.flag_label("suspend_due", TODAY) == "失联满6个月，待作出停止党籍决定"
    assert lost.flag_label("removal_due", TODAY) == "停止党籍满2年，待作出除名决定"
    assert lost.flag_label(None, TODAY) is None


def test_a_revised_rule_renames_the_flags(monkeypatch):
    revised = RuleTable(
        [
            Rule(rules.SUSPEND_MONTHS, 3, "修订后的条例", "P", EFFECTIVE_2019),
            Rule(rules.REMOVE_YEARS, 1, "修订后的条例", "P", EFFECTIVE_2019),
        ]
    )
    monkeypatch.setattr(rules, "TRANSFER_RULES", revised)
    assert lost.flag_label("suspend_due", TODAY) == "失联满3个月，待作出停止党籍决定"
    assert lost.flag_label("removal_due", TODAY) == "停止党籍满1年，待作出除名决定"
