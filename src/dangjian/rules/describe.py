"""A rule's value in plain Chinese, for the catalogue: "6个月", "1/3", "是". Pure: no database."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

# the unit is part of every key (rule_data modules): the longest matching ending names it
_UNITS = (
    ("_working_days", "个工作日"),
    ("_months", "个月"),
    ("_years", "年"),
    ("_days", "天"),
    ("_hours_per_year", "学时"),
    ("_hours", "学时"),
    ("_per_member_per_year", "次"),
    ("_visits_per_year", "次"),
    ("_count", "人"),
)
_WORDS = {
    "new_pay_month": "从领取新工资的当月起",
    "admission_month": "从支部大会通过其入党的当月起",
    "parent_committee": "经支部党员大会讨论，报上一级党委批准",
    "excellent": "优秀",
    "qualified": "合格",
    "basic": "基本合格",
    "unqualified": "不合格",
}


def _percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


def _bands(bands) -> str:
    parts = []
    lower = None
    for upper, rate in bands:
        if upper is None:
            parts.append(f"{lower:f}元以上 {_percent(rate)}")
        else:
            parts.append(f"{upper:f}元及以下 {_percent(rate)}")
            lower = upper
    return "；".join(parts)


def describe(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, Decimal):
        return f"{value:f}元"
    if isinstance(value, (tuple, list)):
        if value and isinstance(value[0], (tuple, list)):
            return _bands(value)
        return "、".join(_WORDS.get(str(v), str(v)) for v in value)
    if isinstance(value, str):
        return _WORDS.get(value, value)
    if isinstance(value, int):
        for ending, unit in _UNITS:
            if key.endswith(ending):
                return f"{value}{unit}"
        return str(value)
    return str(value)
