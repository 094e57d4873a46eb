"""The home page's development alert: how many steps are overdue or due within 30 days in the user's scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy, ngettext

from dangjian.accounts.scope import has_perm
from dangjian.core.contributions import HomeItem

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


KIND = gettext_lazy("发展党员")
ORDER = 40


def home_items(user, today: date) -> list[HomeItem]:
    """The two counts as summary lines (each stands for its number of people), linking to their lists."""
    a = alert(user, today)
    if a is None or not a.any:
        return []
    out = []
    if a.overdue:
        text = ngettext("%(n)d 人的步骤已超期", "%(n)d 人的步骤已超期", a.overdue) % {"n": a.overdue}
        out.append(
            HomeItem("late", KIND, text, a.overdue_url, "development", count=a.overdue, more=a.overdue_url, order=ORDER)
        )
    if a.soon:
        text = ngettext("%(n)d 人的步骤30日内到期", "%(n)d 人的步骤30日内到期", a.soon) % {"n": a.soon}
        more = a.overdue_url if a.overdue else a.soon_url
        out.append(HomeItem("due", KIND, text, a.soon_url, "development", count=a.soon, more=more, order=ORDER))
    return out
