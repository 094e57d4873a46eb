"""Membership dues (党费收缴、使用和管理的规定, 2008-04-01; RULES.md §3) as a versioned rule table.

Bands are inclusive at their upper bound (含): 3000.00 pays 0.5%, 3000.01 pays 1%. Articles as numbered in the
regulation's text (中组发〔2008〕3号): 第一条 the base of monthly pay, 第二条 the bands, 第三条 annual-salary earners,
第四条 the self-employed, 第五条 retirees, 第六条 the fixed amounts, 第七条 relief, 第八条 when dues start, 第十条 a
pay change, 第十一条 voluntary extra dues. The quotes in the citations are word for word from a public copy of the text
(党费收缴 第一条 to 第十二条, xx22z.com/newsinfo/7.html, 2016; 第十一条's second sentence from w.sf024.com); there
is no "第一条第（一）项": the bands are 第二条 (employees), 第五条 (retirees) and 第六条 (fixed amounts).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from dangjian.core.ruletable import Rule, RuleTable

_DUES = "关于中国共产党党费收缴、使用和管理的规定（2008）"
DUES_TITLE = _DUES  # a citation of two articles names the regulation once
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
        Rule("dues.employee_bands", EMPLOYEE_BANDS, f"{_DUES}第一条、第二条", "Q", _SINCE),
        # 第三条: 实行年薪制人员中的党员，每月以当月实际领取的薪酬收入为计算基数，参照第一条、第二条规定交纳党费
        Rule(
            "dues.base.annual_salary",
            "pay_received_in_month",
            f"{_DUES}第三条",
            "Q",
            _SINCE,
            note="每月以当月实际领取的薪酬收入为计算基数，按第二条的比例交纳",
        ),
        # 第四条: 不按月取得收入的个体经营者等人员中的党员，每月以个人上季度月平均纯收入为计算基数，参照第一条、第二条
        Rule(
            "dues.base.self_employed",
            "previous_quarter_monthly_net",
            f"{_DUES}第四条",
            "Q",
            _SINCE,
            note="每月以个人上季度月平均纯收入为计算基数，按第二条的比例交纳",
        ),
        Rule("dues.retiree_bands", RETIREE_BANDS, f"{_DUES}第五条", "Q", _SINCE),
        Rule("dues.fixed.farmer", Decimal("0.20"), f"{_DUES}第六条", "Q", _SINCE, note="农民党员每月0.2元至1元"),
        Rule("dues.fixed.farmer_max", Decimal("1.00"), f"{_DUES}第六条", "Q", _SINCE),
        Rule("dues.fixed.student", Decimal("0.20"), f"{_DUES}第六条", "Q", _SINCE),
        Rule("dues.fixed.unemployed", Decimal("0.20"), f"{_DUES}第六条", "Q", _SINCE),
        # 第六条: 依靠抚恤或救济生活的党员、领取当地最低生活保障金的党员，每月交纳党费0.2元
        Rule("dues.fixed.welfare", Decimal("0.20"), f"{_DUES}第六条", "Q", _SINCE),
        Rule("dues.fixed.subsistence", Decimal("0.20"), f"{_DUES}第六条", "Q", _SINCE),
        Rule(
            "dues.base_change",
            "new_pay_month",
            f"{_DUES}第十条：党员工资收入发生变化后，从按新工资标准领取工资的当月起，以新的工资收入为基数，按照规定比例交纳党费",
            "Q",
            _SINCE,
        ),
        Rule(
            "dues.voluntary_central_threshold",
            Decimal("1000"),
            f"{_DUES}第十一条：自愿一次多交纳1000元以上的党费，全部上缴中央",
            "Q",
            _SINCE,
        ),
        # the approver is the nearest 党委 above the branch, never a 党总支 (services.relief_committee)
        Rule(
            "dues.relief_approval",
            "committee_above",
            f"{_DUES}第七条：交纳党费确有困难的党员，经党支部研究，报上一级党委批准后，可以少交或免交党费",
            "Q",
            _SINCE,
        ),
        Rule(
            "dues.start",
            "admission_month",
            f"{_DUES}第八条：预备党员从支部大会通过其为预备党员之日起交纳党费",
            "Q",
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
        "dues.base.annual_salary": "实行年薪制人员中的党员交纳党费的计算基数",
        "dues.base.self_employed": "个体经营者等人员中的党员交纳党费的计算基数",
        "dues.retiree_bands": "离退休党员交纳党费的比例",
        "dues.fixed.farmer": "农民党员每月交纳党费（最低）",
        "dues.fixed.farmer_max": "农民党员每月交纳党费（最高）",
        "dues.fixed.student": "学生党员每月交纳党费",
        "dues.fixed.unemployed": "下岗失业党员每月交纳党费",
        "dues.fixed.welfare": "依靠抚恤或救济生活的党员每月交纳党费",
        "dues.fixed.subsistence": "领取当地最低生活保障金的党员每月交纳党费",
        "dues.base_change": "工资调整后交纳基数的变更",
        "dues.voluntary_central_threshold": "自愿多交党费全部上缴中央的数额",
        "dues.relief_approval": "少交或免交党费的批准",
        "dues.start": "预备党员开始交纳党费的月份",
        "dues.arrears_months": "不交纳党费视为自行脱党的月数",
    },
)
