"""What review puts on a reviewer's home page: "考核评分待完成 n 项" per cycle in review, linking to their queue.

Counted in the database by ``review_queue.counts`` for each cycle in review the user reviews (a few counting
queries a cycle, whatever the number of units; none beyond the first for a user who reviews nothing). Wired into
the home page by ``contrib.home_items``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core.contributions import HomeItem, Level

from . import review_queue
from .models import AssessmentCycle, CycleStatus, Reviewer

KIND = gettext_lazy("考核评分")


def home_items(user: Any, today: date) -> list[HomeItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    cycles = {
        c.pk: c
        for c in AssessmentCycle.objects.filter(
            status=CycleStatus.REVIEW,
            pk__in=Reviewer.objects.filter(user_id=user.pk, removed_at__isnull=True).values("cycle_id"),
        ).select_related("system")
    }
    if not cycles:
        return []
    waiting = {pk: review_queue.counts(user, cycle)[review_queue.TODO] for pk, cycle in cycles.items()}
    waiting = {pk: n for pk, n in waiting.items() if n}
    out = []
    for cycle_id, n in sorted(waiting.items()):
        deadline = cycles[cycle_id].review_deadline
        level: Level = "late" if deadline < today else "due"
        text = _("考核评分待完成 %(n)d 项") % {"n": n}
        link = reverse("assessment:review_queue", args=[cycle_id]) + "?status=" + review_queue.TODO
        out.append(HomeItem(level, KIND, text, link, "assessment", due=deadline, count=n))
    return out
