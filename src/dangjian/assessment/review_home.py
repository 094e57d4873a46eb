"""What review puts on a reviewer's home page: "考核评分待完成 n 项" per cycle in review, linking to their queue.

Read set-wise by ``review_queue.items`` over every cycle in review the user reviews (a constant number of queries;
none beyond the first for a user who reviews nothing). Wired into the home page by ``contrib.home_items``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core.contributions import HomeItem, Level

from . import review_queue
from .models import CycleStatus, Reviewer

KIND = gettext_lazy("考核评分")


def home_items(user: Any, today: date) -> list[HomeItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    cycles = dict(
        Reviewer.objects.filter(user_id=user.pk, removed_at__isnull=True, cycle__status=CycleStatus.REVIEW)
        .values_list("cycle_id", "cycle__review_deadline")
        .distinct()
    )
    if not cycles:
        return []
    waiting: dict[int, int] = {}
    for item in review_queue.pending(review_queue.items(user, cycles)):
        waiting[item.cycle_id] = waiting.get(item.cycle_id, 0) + 1
    out = []
    for cycle_id, n in sorted(waiting.items()):
        deadline = cycles[cycle_id]
        level: Level = "late" if deadline < today else "due"
        text = _("考核评分待完成 %(n)d 项") % {"n": n}
        link = reverse("assessment:review_queue", args=[cycle_id]) + "?status=" + review_queue.TODO
        out.append(HomeItem(level, KIND, text, link, "assessment", due=deadline, count=n))
    return out
