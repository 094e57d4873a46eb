"""Numeric rules for transfers and lost contact (RULES.md §6), as a versioned rule table.

The unit is part of every key. Confidence marks as in RULES.md: P/Q are regulation; S/L/U are organisation
settings whose value here is the default the rule store may replace. Pure Python: no Django. A revision is a new
``Rule`` with a later ``effective_from`` (and ``effective_to`` on the old one), never an edit of a row in force.
"""

from __future__ import annotations

from datetime import date

from dangjian.core.ruletable import Rule, RuleTable

EDUCATION_RULES_2019 = "中国共产党党员教育管理工作条例（2019）"
EFFECTIVE_2019 = date(2019, 5, 6)  # 中共中央印发，自印发之日起施行


def _art(number: int) -> str:
    return f"{EDUCATION_RULES_2019} 第{number}条"


_PRACTICE = "本单位设置（条例未规定介绍信有效期，常见做法约3个月）"

_RULES_2019 = [
    Rule(
        "lost_contact.suspend_after_months",
        6,
        _art(24),
        "P",
        EFFECTIVE_2019,
        note="党员失去联系6个月以上，经多方查找仍无法取得联系的，应当停止其党籍",
    ),
    Rule(
        "lost_contact.remove_after_suspension_years",
        2,
        _art(24),
        "P",
        EFFECTIVE_2019,
        note="停止党籍2年后确实无法取得联系的，按照自行脱党予以除名",
    ),
    Rule(
        "letter.validity_months",
        3,
        _PRACTICE,
        "L",
        EFFECTIVE_2019,
        note="介绍信有效期默认3个月（自开具之日起算，到期月对应日为最后一日）；这是惯例而非条例规定，可按本单位要求调整",
    ),
    Rule(
        "transfer.old_org_responsible",
        True,
        _art(25),
        "P",
        EFFECTIVE_2019,
        note="组织关系转出前，原党组织继续负责教育管理；接收党组织无正当理由不得拒绝接收",
    ),
]

TITLES = {
    "lost_contact.suspend_after_months": "失去联系停止党籍的月数",
    "lost_contact.remove_after_suspension_years": "停止党籍后除名的年数",
    "letter.validity_months": "组织关系介绍信有效期",
    "transfer.old_org_responsible": "转出前原党组织继续负责",
}

TRANSFER_RULES = RuleTable(_RULES_2019, app="transfers", titles=TITLES)
