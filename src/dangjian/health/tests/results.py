"""Screening results written directly (no checkup, no run job): the queue and follow-up tests only need rows."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from dangjian.health.models import Consent, ScreeningResult, ScreeningRun

# Last year's screening: every date from its 1 January to today is a valid contact date, and there is always a day
# before today within it (on 1 January the current year would have none).
YEAR = timezone.localdate().year - 1


def make_result(person, *, by, year: int = YEAR, cvd=None, gastric=None, **fields) -> ScreeningResult:
    """A result with the active consent a run needs for it; ``cvd`` is the percent (category derived as in
    HEALTH_MODELS.md §1), ``gastric`` the points (§2)."""
    Consent.objects.get_or_create(
        person=person, year=year, defaults={"given_on": date(year, 1, 1), "given_recorded_by": by}
    )
    run = ScreeningRun.objects.filter(year=year, started_by=by).first()
    run = run or ScreeningRun.objects.create(year=year, started_by=by, status="done")
    cvd_category = "" if cvd is None else "low" if cvd < 5 else "medium" if cvd < 10 else "high"
    gastric_category = "" if gastric is None else "low" if gastric <= 11 else "medium" if gastric <= 16 else "high"
    values = {
        "age": 50,
        "cvd_percent": cvd,
        "cvd_category": cvd_category,
        "gastric_points": gastric,
        "gastric_category": gastric_category,
        "follow_up_needed": cvd_category in ("medium", "high") or gastric_category in ("medium", "high"),
        **fields,
    }
    return ScreeningResult.objects.create(run=run, person=person, year=year, **values)
