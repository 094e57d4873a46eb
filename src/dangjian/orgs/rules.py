"""Structural warnings and term ends for an organisation (RULES.md §1). Pure: no Django imports.

Every rule is read for the date it governs; a date no known rule covers (before the first version) is no crash:
``term_end`` raises ``NoRuleInForce`` (its message says so in words, for the page to show) and the structural
warnings skip a check whose rule was not yet in force.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dangjian.core.ruletable import NoRuleInForce, Rule

from .rule_data import ORG_RULES

# Organisation settings whose terms have their own rule (关于党的基层组织任期的意见 2018 第一条)
VILLAGE_COMMUNITY = ("village", "community")


@dataclass(frozen=True)
class StructuralWarning:
    code: str
    message: str
    citation: str
    is_regulation: bool


def term_rule(kind: str, on: date, setting: str = "") -> Rule:
    """The term rule for an organisation of ``kind`` (and ``setting``) elected on ``on``.

    Village and community organisations have 5 years from the 2018 意见; before it the 党章's rule for their kind
    applied to them as to every other organisation, so the kind's rule answers for earlier dates.
    """
    if setting in VILLAGE_COMMUNITY:
        try:
            return ORG_RULES.rule("term_years.village_community", on)
        except NoRuleInForce:
            pass
    return ORG_RULES.rule(f"term_years.{kind}", on)


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def term_end(kind: str, elected_on: date, setting: str = "") -> date:
    """The regular end of a term elected on ``elected_on``; ``NoRuleInForce`` before the first known term rule."""
    return add_years(elected_on, term_rule(kind, elected_on, setting).value)


def shift_limit(regular_end: date) -> tuple[date, date, Rule]:
    """The earliest and latest end an approved early or late election may set (意见 第二条: 一般不超过1年)."""
    rule = ORG_RULES.rule("term.max_shift_years", regular_end)
    return add_years(regular_end, -rule.value), add_years(regular_end, rule.value), rule


def _in_force(key: str, on: date) -> Rule | None:
    try:
        return ORG_RULES.rule(key, on)
    except NoRuleInForce:  # no known rule that day: nothing to warn about
        return None


def structural_warnings(
    *,
    kind: str,
    full_members: int,
    total_members: int,
    has_committee: bool,
    term_ends_on: date | None,
    today: date,
    setting: str = "",
) -> list[StructuralWarning]:
    out: list[StructuralWarning] = []
    if kind == "branch":
        rule = _in_force("branch.min_full_members", today)
        if rule is not None and full_members < rule.value:
            out.append(
                _w(
                    "too_few",
                    f"正式党员仅 {full_members} 人，少于 {rule.value} 人，应考虑成立联合党支部",
                    rule,
                )
            )
        rule = _in_force("branch.max_members", today)
        if rule is not None and total_members > rule.value:
            out.append(_w("too_many", f"党员 {total_members} 人，超过 {rule.value} 人，宜分设党支部", rule))
        rule = _in_force("branch.committee_threshold", today)
        if rule is not None and full_members >= rule.value and not has_committee:
            out.append(_w("no_committee", f"正式党员 {full_members} 人，应设立支部委员会", rule))
    if kind in {"committee", "general_branch", "branch"} and term_ends_on is not None and term_ends_on < today:
        try:
            rule = term_rule(kind, today, setting)
        except NoRuleInForce:
            return out
        days = (today - term_ends_on).days
        out.append(
            _w(
                "term_expired",
                f"委员会任期已于 {term_ends_on:%Y-%m-%d} 届满（逾期 {days} 天），应按期换届",
                rule,
            )
        )
    return out


def _w(code: str, message: str, rule: Rule) -> StructuralWarning:
    return StructuralWarning(code, message, rule.citation, rule.is_regulation)
