"""The ledger parts' shared reading of a missed deadline, and their gaps built one per late record."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import LedgerGap, Period
from dangjian.core.ledger_parts import gaps_of, missed_by


def test_a_deadline_is_missed_once_past_and_within_its_year():
    year = Period.year(2025)
    # a past year: every deadline up to its last day
    assert missed_by(year, today=date(2026, 3, 1)) == date(2025, 12, 31)
    # the current year: up to yesterday (a deadline today is not missed yet)
    assert missed_by(year, today=date(2025, 6, 15)) == date(2025, 6, 14)
    # the year's first day: nothing of it is missed
    assert missed_by(year, today=date(2025, 1, 1)) == date(2024, 12, 31)


def test_one_gap_per_record_in_order_with_its_words_link_and_day():
    records = [("一支部", date(2025, 3, 31)), ("二支部", date(2025, 4, 30))]
    gaps = gaps_of(
        "dues",
        records,
        _("%(branch)s无党费收缴记录"),
        lambda r: {"branch": r[0]},
        lambda r: f"/dues/{r[0]}/",
        lambda r: r[1],
    )
    assert gaps == [
        LedgerGap("dues", "一支部无党费收缴记录", "/dues/一支部/", date(2025, 3, 31)),
        LedgerGap("dues", "二支部无党费收缴记录", "/dues/二支部/", date(2025, 4, 30)),
    ]
    assert all(type(g.text) is str for g in gaps)  # the lazy pattern is rendered, as the ledger prints it
    assert gaps_of("dues", [], _("%(branch)s"), dict, str, lambda r: None) == []
