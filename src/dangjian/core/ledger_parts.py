"""What the ledger's parts (``DocumentProvider``) share to list their gaps: which deadlines count as missed in a
year, and one gap per late record.

A deadline makes a gap of its year when it has passed (it is before today) and falls within the year: one after
the year is the next year's gap, one today or later is not missed yet. Every part reads it the same way, so that
the gaps before a ledger agree with the lights and lists of the apps' own pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.utils import timezone

from .contributions import LedgerGap, Period

T = TypeVar("T")


def missed_by(period: Period, today: date | None = None) -> date:
    """The last deadline that is a gap of ``period``: the period's last day, or yesterday while it runs."""
    today = today or timezone.localdate()
    return min(period.end, today - timedelta(days=1))


def gaps_of(
    section: str,
    records: Iterable[T],
    text: Any,
    words: Callable[[T], Mapping[str, Any]],
    link: Callable[[T], str],
    due: Callable[[T], date | None],
) -> list[LedgerGap]:
    """One gap per record, in the records' order: ``text`` (a translatable pattern) filled with ``words(record)``,
    linking to ``link(record)`` (the page where it is put right), due on ``due(record)``."""
    return [LedgerGap(section, str(text) % words(r), link(r), due(r)) for r in records]


def overdue_gaps(
    section: str,
    rows: QuerySet,
    deadline: str,
    period: Period,
    text: Any,
    words: Callable[[Any], Mapping[str, Any]],
    link: Callable[[Any], str],
) -> list[LedgerGap]:
    """The gaps of ``rows`` (still to be done) whose ``deadline`` field was missed in ``period``, earliest first,
    each due on its deadline (one query)."""
    late = rows.filter(**{f"{deadline}__lte": missed_by(period)}).order_by(deadline, "pk")
    return gaps_of(section, late, text, words, link, lambda row: getattr(row, deadline))
