"""Dates from the rule table: letter validity, the 6-month and 2-year lost-contact flags.

Periods are counted as in ``dangjian.development.periods`` (民法典第201–202条): "6个月以上" is reached **on**
the corresponding day 6 months later (1 March → 1 September), and on the month's last day when it has no
such day (31 August → 28/29 February).
"""

from __future__ import annotations

from datetime import date, timedelta

from dangjian.core.ruletable import Rule, RuleSource
from dangjian.development.periods import add_months

from .rule_data import EFFECTIVE_2019, TRANSFER_RULES

SUSPEND_MONTHS = "lost_contact.suspend_after_months"
REMOVE_YEARS = "lost_contact.remove_after_suspension_years"
VALIDITY_MONTHS = "letter.validity_months"


def rule_in_force(key: str, on: date, table: RuleSource | None = None) -> Rule:
    """The rule in force on ``on``; a date before the first version (a member out of contact since 2017, a
    letter of 2018) is judged by the first version rather than failing: the table starts with the 2019
    条例, and the platform knows no earlier figures.

    Read through the rule store (a version stored there governs; the code table's otherwise), so the flags, the
    due dates and the words that name the months and years ("失联满6个月") follow one value. A request reads the
    store once; code outside a request that judges many cases holds it (``rule_store.holding``)."""
    if table is None:
        from dangjian.rules import services as rule_store

        table = rule_store.table(TRANSFER_RULES)
    return table.rule(key, max(on, EFFECTIVE_2019))


def _value(key: str, on: date) -> int:
    # every rule this module reads is a whole number of months or years; int() only tells the type checker
    return int(rule_in_force(key, on).value)


def suspend_months(on: date) -> int:
    """Months out of contact after which membership is suspended (第24条: 6), under the rule in force ``on``."""
    return _value(SUSPEND_MONTHS, on)


def remove_years(on: date) -> int:
    """Years of suspension after which an unreachable member is removed (第24条: 2), under the rule in force ``on``."""
    return _value(REMOVE_YEARS, on)


def letter_valid_until(sent_on: date, table: RuleSource | None = None) -> date:
    """Last valid day of a letter issued on ``sent_on``, under the rule in force that day.

    The validity is the institute's setting (L): read through the rule store unless a ``table`` is given
    (``rule_store.table(TRANSFER_RULES)``, taken once by a caller issuing many letters)."""
    if table is None:
        from dangjian.rules import services as rule_store

        table = rule_store.table(TRANSFER_RULES)
    return add_months(sent_on, table.value(VALIDITY_MONTHS, max(sent_on, EFFECTIVE_2019)))


def latest_start_reaching(today: date, months: int) -> date:
    """The last start date d with add_months(d, months) <= today, so "d <= this" is the SQL form of the rule."""
    d = add_months(today, -months)
    while add_months(d + timedelta(days=1), months) <= today:
        d += timedelta(days=1)
    return d


def suspension_due_on(last_contact_on: date) -> date:
    return add_months(last_contact_on, _value(SUSPEND_MONTHS, last_contact_on))


def removal_due_on(suspended_on: date) -> date:
    return add_months(suspended_on, 12 * _value(REMOVE_YEARS, suspended_on))


def suspension_cutoff(today: date) -> date:
    """Members last reached on or before this day are due for a suspension decision today."""
    return latest_start_reaching(today, _value(SUSPEND_MONTHS, today))


def removal_cutoff(today: date) -> date:
    return latest_start_reaching(today, 12 * _value(REMOVE_YEARS, today))


def full_months(start: date, end: date) -> int:
    """Whole months from start to end (0 when end is earlier)."""
    if end < start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    while months > 0 and add_months(start, months) > end:
        months -= 1
    return months
