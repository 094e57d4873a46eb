"""Entering many study hours the way a member's record holds them: one record a day, at most 8 hours each (the
institute's bound on one record, ``study.max_hours_per_record``). No tests here."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from dangjian.talks import services

DAY = Decimal("8")


def add_study_days(user, person, first: date, hours, title: str = "网络学院") -> None:
    """``hours`` over consecutive days from ``first``, 8 a day and the rest on the last day."""
    left, day = Decimal(hours), first
    while left > 0:
        services.add_study(user, {"person": person, "studied_on": day, "title": title, "hours": min(left, DAY)})
        left -= min(left, DAY)
        day += timedelta(days=1)
