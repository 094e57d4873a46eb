"""Membership dues (党费收缴、使用和管理的规定, 2008-04-01; RULES.md §3) as a versioned rule table.

Bands are inclusive at their upper bound (含): 3000.00 pays 0.5%, 3000.01 pays 1%.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from dangjian.core.ruletable import Rule, RuleTable

_DUES = "关于中国共产党党费收缴、使用和管理的规定（2008）"
_SINCE = date(2008, 4, 1)
# the first month the rule table can judge: pages, forms and imports refuse earlier months
DUES_SINCE = _SINCE

# (upper bound inclusive, or None for no bound; rate)
EMPLOYEE_BANDS = (
    (Decimal("3000"), Decimal("0.005")),
    (Decimal("5000"), Decimal("0.01")),
    (Decimal("10000"), Decimal("0.015")),
    (None, Decimal("0.02")),
)
RETIREE_BANDS = ((Decimal("5000"), Decimal("0.005")), (None, Decimal("0.01")))

DUES_RULES = RuleTable(
    [
        Rule("dues.employee_bands", EMPLOYEE_BANDS, f"{_DUES}第一条第（一）项", "Q", _SINCE),
        Rule("dues.retiree_bands", RETIREE_BANDS, f"{_DUES}第一条第（二）项", "Q", _SINCE),
        Rule(
            "dues.fixed.farmer", Decimal("0.20"), f"{_DUES}第一条第（三）项", "Q", _SINCE, note="农民党员每月0.2元至1元"
        ),
        Rule("dues.fixed.farmer_max", Decimal("1.00"), f"{_DUES}第一条第（三）项", "Q", _SINCE),
        Rule("dues.fixed.student", Decimal("0.20"), f"{_DUES}第一条第（四）项", "Q", _SINCE),
        Rule("dues.fixed.unemployed", Decimal("0.20"), f"{_DUES}第一条第（四）项", "Q", _SINCE),
        Rule(
            "dues.base_change",
            "new_pay_month",
            f"{_DUES}：工资调整后，从领取新工资的当月起按新基数交纳",
            "Q",
            _SINCE,
        ),
        Rule(
            "dues.voluntary_central_threshold",
            Decimal("1000"),
            f"{_DUES}：党员自愿多交党费一次在1000元以上的，全部上缴中央",
            "Q",
            _SINCE,
        ),
        Rule(
            "dues.relief_approval",
            "parent_committee",
            f"{_DUES}：经济困难的党员，经支部党员大会讨论、报上一级党委批准，可少交或免交党费",
            "S",
            _SINCE,
        ),
        Rule(
            "dues.start",
            "admission_month",
            f"{_DUES}：预备党员从支部大会通过其入党的当月起交纳党费",
            "S",
            _SINCE,
        ),
        # before the 2019 条例 the Party Constitution said the same: six months without paying dues and
        # without good reason is taken as leaving the party
        Rule("dues.arrears_months", 6, "中国共产党章程 第九条", "P", _SINCE, effective_to=date(2019, 5, 6)),
        Rule("dues.arrears_months", 6, "中国共产党党员教育管理工作条例（2019）第31条", "P", date(2019, 5, 6)),
    ],
    app="dues",
    titles={
        "dues.employee_bands": "在职党员按工资收入交纳党费的比例",
        "dues.retiree_bands": "离退休党员交纳党费的比例",
        "dues.fixed.farmer": "农民党员每月交纳党费（最低）",
        "dues.fixed.farmer_max": "农民党员每月交纳党费（最高）",
        "dues.fixed.student": "学生党员每月交纳党费",
        "dues.fixed.unemployed": "下岗失业党员每月交纳党费",
        "dues.base_change": "工资调整后交纳基数的变更",
        "dues.voluntary_central_threshold": "自愿多交党费全部上缴中央的数额",
        "dues.relief_approval": "少交或免交党费的批准",
        "dues.start": "预备党员开始交纳党费的月份",
        "dues.arrears_months": "不交纳党费视为自行脱党的月数",
    },
)
