"""The home page's development alert: how many steps are overdue or due within 30 days in the user's scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q
from django.urls import reverse

from dangjian.accounts.scope import has_perm

from .filters import SOON_DAYS, VIEW
from .models import CaseStatus, Development


@dataclass(frozen=True)
class DevelopmentAlert:
    overdue: int
    soon: int
    overdue_url: str
    soon_url: str

    @property
    def any(self) -> bool:
        return bool(self.overdue or self.soon)


def alert(user, today: date) -> DevelopmentAlert | None:
    """None for users without ``development.view``; otherwise the two counts (one query) and their lists."""
    if not has_perm(user, VIEW):
        return None
    counts = (
        Development.objects.visible_to(user, VIEW)
        .filter(status=CaseStatus.OPEN)
        .aggregate(
            overdue=Count("id", filter=Q(next_due_on__lt=today)),
            soon=Count("id", filter=Q(next_due_on__gte=today, next_due_on__lte=today + timedelta(days=SOON_DAYS))),
        )
    )
    return DevelopmentAlert(
        counts["overdue"], counts["soon"], reverse("development:overdue"), reverse("development:due")
    )
