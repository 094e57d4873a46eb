"""Structural warnings for an organisation (RULES.md §1). Pure: no Django imports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dangjian.core.ruletable import Rule

from .rule_data import ORG_RULES


@dataclass(frozen=True)
class StructuralWarning:
    code: str
    message: str
    citation: str
    is_regulation: bool


def term_end(kind: str, elected_on: date) -> date:
    years = ORG_RULES.value(f"term_years.{kind}", elected_on)
    try:
        return elected_on.replace(year=elected_on.year + years)
    except ValueError:  # elected on 29 February
        return elected_on.replace(year=elected_on.year + years, day=28)


def structural_warnings(
    *,
    kind: str,
    full_members: int,
    total_members: int,
    has_committee: bool,
    term_ends_on: date | None,
    today: date,
) -> list[StructuralWarning]:
    out: list[StructuralWarning] = []
    if kind == "branch":
        rule = ORG_RULES.rule("branch.min_full_members", today)
        if full_members < rule.value:
            out.append(
                _w(
                    "too_few",
                    f"正式党员仅 {full_members} 人，少于 {rule.value} 人，应考虑成立联合党支部",
                    rule,
                )
            )
        rule = ORG_RULES.rule("branch.max_members", today)
        if total_members > rule.value:
            out.append(_w("too_many", f"党员 {total_members} 人，超过 {rule.value} 人，宜分设党支部", rule))
        rule = ORG_RULES.rule("branch.committee_threshold", today)
        if full_members >= rule.value and not has_committee:
            out.append(_w("no_committee", f"正式党员 {full_members} 人，应设立支部委员会", rule))
    if kind in {"committee", "general_branch", "branch"} and term_ends_on is not None and term_ends_on < today:
        rule = ORG_RULES.rule(f"term_years.{kind}", today)
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
