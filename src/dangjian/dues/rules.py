"""The monthly dues a member owes (RULES.md §3). Pure: importable without Django settings.

Money is Decimal, rounded half-up to the fen (0.01 yuan); every amount carries
the rule that produced it, so a page can show it next to the figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from dangjian import clock
from dangjian.core.lazytext import N_, Message, RuleError

from .rule_data import DUES_RULES, DUES_TITLE

FEN = Decimal("0.01")
CATEGORIES = (
    "employee",
    "annual_salary",
    "self_employed",
    "retiree",
    "student",
    "unemployed",
    "welfare",
    "subsistence",
    "farmer",
)
CATEGORY_LABELS = {
    "employee": N_("在职"),
    "annual_salary": N_("年薪制"),
    "self_employed": N_("个体经营"),
    "retiree": N_("离退休"),
    "student": N_("学生"),
    "unemployed": N_("下岗失业"),
    "welfare": N_("依靠抚恤或救济生活"),
    "subsistence": N_("领取最低生活保障金"),
    "farmer": N_("农民"),
}
# categories whose own base (第三条 annual salary: the pay received that month; 第四条 self-employed: the previous
# quarter's average monthly net income) is charged at the employee bands of 第二条
BASE_RULES = {"annual_salary": "dues.base.annual_salary", "self_employed": "dues.base.self_employed"}
# what the base is called in the explanation next to the amount
BASE_WORDS = {"annual_salary": N_("当月实际领取的薪酬"), "self_employed": N_("上季度月平均纯收入")}
BAND_RULES = {"employee": "dues.employee_bands", "retiree": "dues.retiree_bands"} | dict.fromkeys(
    BASE_RULES, "dues.employee_bands"
)


@dataclass(frozen=True)
class DuesAmount:
    amount: Decimal
    explanation: str
    citation: str


def _base(value: Decimal) -> Decimal:
    try:
        base = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise RuleError(N_("月缴费基数不是有效金额：%(value)r"), value=value) from None
    if not base.is_finite():
        raise RuleError(N_("月缴费基数不是有效金额"))
    if base < 0:
        raise RuleError(N_("月缴费基数不能为负数"))
    return base


def dues_for(
    category: str, monthly_base: Decimal, *, on: date | None = None, farmer_amount: Decimal | None = None
) -> DuesAmount:
    """The amount with its explanation. ``farmer_amount`` is what the branch sets (0.20–1.00 yuan)."""
    if category not in CATEGORIES:
        raise RuleError(
            N_("未知的党费类别：%(category)s（可选：%(choices)s）"), category=category, choices="、".join(CATEGORIES)
        )
    base = _base(monthly_base)
    on = on or clock.today()
    if category in BAND_RULES:
        rule = DUES_RULES.rule(BAND_RULES[category], on)
        citation = rule.citation
        if category in BASE_RULES:
            base_rule = DUES_RULES.rule(BASE_RULES[category], on)
            citation = f"{base_rule.citation}、{citation.removeprefix(DUES_TITLE)}"  # one title, two articles
        lower = None
        for upper, rate in rule.value:
            if upper is None or base <= upper:
                amount = (base * rate).quantize(FEN, rounding=ROUND_HALF_UP) + 0  # + 0: never "-0.00"
                band = (
                    Message(N_("%(upper)s元及以下"), upper=upper)
                    if upper is not None
                    else Message(N_("%(lower)s元以上"), lower=lower)
                )
                explanation = Message(
                    N_("%(category)s，%(words)s%(base)s元（%(band)s档），按%(percent)s%%"),
                    category=CATEGORY_LABELS[category],
                    words=BASE_WORDS.get(category, N_("基数")),
                    base=base,
                    band=band,
                    percent=f"{(rate * 100).normalize():f}",
                )
                return DuesAmount(amount, explanation, citation)
            lower = upper
    rule = DUES_RULES.rule(f"dues.fixed.{category}", on)
    amount = rule.value
    if category == "farmer" and farmer_amount is not None:
        ceiling = DUES_RULES.value("dues.fixed.farmer_max", on)
        if not (rule.value <= farmer_amount <= ceiling):
            raise RuleError(N_("农民党员党费应在%(low)s元至%(high)s元之间"), low=rule.value, high=ceiling)
        amount = farmer_amount
    return DuesAmount(
        amount.quantize(FEN),
        Message(
            N_("%(category)s的党员，每月固定%(amount)s元")
            if len(CATEGORY_LABELS[category]) > 4
            else N_("%(category)s党员，每月固定%(amount)s元"),
            category=CATEGORY_LABELS[category],
            amount=amount,
        ),
        rule.citation,
    )


def monthly_dues(category: str, monthly_base: Decimal) -> Decimal:
    """Public rule function: the monthly dues in yuan, to the fen."""
    return dues_for(category, monthly_base).amount
