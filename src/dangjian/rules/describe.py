"""A rule's value in plain Chinese, for the catalogue: "6个月", "1/3", "是". Pure: no database."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

# the unit is part of every key (rule_data modules): the longest matching ending names it
_UNITS = (
    ("_working_days", _("个工作日")),
    ("_months", _("个月")),
    ("_years", _("年")),
    ("_days", _("天")),
    ("_hours_per_year", _("学时")),
    ("_hours", _("学时")),
    ("_per_member_per_year", _("次")),
    ("_visits_per_year", _("次")),
    ("_count", _("人")),
    ("_percent", "%"),
    ("_points", _("分")),
)
_WORDS = {
    "new_pay_month": _("从领取新工资的当月起"),
    "admission_month": _("从支部大会通过其入党的当月起"),
    "parent_committee": _("经支部党员大会讨论，报上一级党委批准"),
    "excellent": _("优秀"),
    "qualified": _("合格"),
    "basic": _("基本合格"),
    "unqualified": _("不合格"),
}


def _percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


def _bands(bands: Iterable[tuple[Decimal | None, Decimal]]) -> str:
    """Dues bands: (upper bound of monthly income, or None for the top band; rate)."""
    parts = []
    lower: Decimal | None = None
    for upper, rate in bands:
        if upper is None:
            parts.append(_t("%(n)s元以上 %(r)s") % {"n": f"{lower:f}", "r": _percent(rate)})
        else:
            parts.append(_t("%(n)s元及以下 %(r)s") % {"n": f"{upper:f}", "r": _percent(rate)})
            lower = upper
    return "；".join(parts)


def describe(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return _t("是") if value else _t("否")
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, Decimal):
        return _t("%(n)s元") % {"n": f"{value:f}"}
    if isinstance(value, (tuple, list)):
        if value and isinstance(value[0], (tuple, list)):
            return _bands(value)
        return "、".join(str(_WORDS.get(str(v), v)) for v in value)
    if isinstance(value, str):
        return str(_WORDS.get(value, value))
    if isinstance(value, int):
        for ending, unit in _UNITS:
            if key.endswith(ending):
                return f"{value}{unit}"
        return str(value)
    return str(value)
