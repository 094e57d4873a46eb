"""The 联席 follow-ups on the home page of the unit's maintainers (those who hold ``integration.change`` over the
unit: its secretary, the office above it): overdue, or due within 14 days. Two queries per call.

Also the menu entries of 支部共建 and 联席 (wired in ``contrib.py``).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts.scope import has_perm
from dangjian.core.contributions import HomeItem, Level

from .models import LeaderLiaison

VIEW = "integration.view"
CHANGE = "integration.change"
KIND = gettext_lazy("联席跟进落实")
SOON = timedelta(days=14)
SHOWN = 5  # the first few by due date; the rest in one "另有" line
ORDER = 40


def home_items(user, today: date) -> list[HomeItem]:
    if not has_perm(user, CHANGE):
        return []
    horizon = today + SOON
    pending = (
        LeaderLiaison.objects.visible_to(user, CHANGE)
        .filter(follow_up_done_on__isnull=True, follow_up_due__isnull=False, follow_up_due__lte=horizon)
        .exclude(follow_up="")
    )
    first = list(pending.select_related("leader", "organization").order_by("follow_up_due", "pk")[:SHOWN])
    if not first:
        return []
    more = reverse("integration:liaison_list") + "?state=open"
    out = []
    level: Level
    for li in first:
        values = {"leader": li.leader.name, "org": li.organization.name, "due": f"{li.follow_up_due:%Y-%m-%d}"}
        if li.follow_up_due < today:
            level, text = "late", _("%(leader)s 与 %(org)s 联席的跟进事项已逾期（期限 %(due)s）") % values
        else:
            level, text = "due", _("%(leader)s 与 %(org)s 联席的跟进事项 %(due)s 到期") % values
        link = reverse("integration:liaison_detail", args=[li.pk])
        out.append(HomeItem(level, KIND, text, link, "integration", li.follow_up_due, more=more, order=ORDER))
    if len(first) == SHOWN:
        counts = pending.aggregate(n=Count("id"), late=Count("id", filter=Q(follow_up_due__lt=today)))
        rest = counts["n"] - SHOWN
        if rest > 0:
            level = "late" if counts["late"] > SHOWN else "due"
            text = _("另有 %(n)d 项联席跟进事项逾期或即将到期") % {"n": rest}
            out.append(HomeItem(level, KIND, text, more, "integration", count=rest, more=more, order=ORDER))
    return out
