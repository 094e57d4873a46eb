"""Every rule table answers for any date from 1949: the version then in force, or ``NoRuleInForce`` with the
sentence "该日期（…）无已知规则" — never another exception (issue 12 §5).

The walk visits, for each key of each table (the code tables and the rule store's view of them, with the versions
the migrations put in the store): 1949-10-01, the day before the first version, and each day a version starts or
ends and the day before it.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dangjian.core.ruletable import EARLIEST, TABLES, NoRuleInForce, Rule, RuleTable
from dangjian.rules import services as rule_store

ONE = timedelta(days=1)


def _days(change_days: list[date]) -> list[date]:
    days = {EARLIEST, change_days[0] - ONE}
    for d in change_days:
        days.update((d - ONE, d))
    return sorted(d for d in days if d >= EARLIEST)


def _answers(lookup, key: str, on: date) -> str:
    """'rule' when a version in force on ``on`` answers, 'none' when the table says no rule is known."""
    try:
        rule = lookup(key, on)
    except NoRuleInForce as exc:
        assert exc.key == key and exc.on == on
        assert f"该日期（{on:%Y-%m-%d}）无已知规则" in exc.message
        return "none"
    assert isinstance(rule, Rule) and rule.key == key
    assert rule.in_force(on), f"{key} on {on}: {rule.effective_from}–{rule.effective_to}"
    return "rule"


def _code_tables() -> list[RuleTable]:
    return [t for tables in TABLES.values() for t in tables]


def test_every_app_registers_its_tables():
    # the walk below is only as good as the registry it walks
    assert {"orgs", "talks", "dues", "development", "transfers", "meetings", "appraisal", "compliance"} <= set(TABLES)


def test_every_code_table_answers_on_every_change_day():
    walked = 0
    for table in _code_tables():
        keys = table.keys()  # a table is not iterable: its keys are a sorted list
        for key in keys:
            days = _days(table.change_days(key))
            results = {on: _answers(table.rule, key, on) for on in days}
            first = table.versions(key)[0].effective_from
            assert results[first] == "rule"
            # a setting in force from 1949-10-01 on has no day before it to ask about
            assert first - ONE < EARLIEST or results[first - ONE] == "none"
            walked += len(days)
    assert walked > 100


@pytest.mark.django_db
def test_every_store_table_answers_on_every_change_day():
    """The rule store answers the same way (``rules.lookup.BookTable``), stored versions included."""
    book = rule_store.book()
    for table in _code_tables():
        seen = book.table(table)
        keys = table.keys()
        for key in keys:
            stored = [d for s in book.versions(key) for d in (s.rule.effective_from, s.rule.effective_to) if d]
            days = _days(sorted({*table.change_days(key), *stored}))
            for on in days:
                _answers(seen.rule, key, on)
    stored_keys = book.keys()
    for key in stored_keys:  # rules only the store holds too (the compliance obligations)
        for s in book.versions(key):
            for on in _days([s.rule.effective_from]):
                _answers(lambda k, d: book.rule(k, d), key, on)


def test_before_the_first_version_the_message_names_the_rule_and_the_date():
    from dangjian.orgs.rule_data import ORG_RULES

    with pytest.raises(NoRuleInForce) as caught:
        ORG_RULES.rule("branch.max_members", date(1990, 1, 1))
    assert isinstance(caught.value, LookupError)  # callers written for the old error keep working
    assert caught.value.message == "该日期（1990-01-01）无已知规则：党支部党员人数上限"
    assert caught.value.first == date(2018, 10, 28)
