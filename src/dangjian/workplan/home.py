"""The deployments waiting on a user's home page: past their deadline, or due within 14 days, for the maintainers
of the responsible organisation (``integration.change`` over it) and for the responsible person. A constant number
of queries per call: the first few of each kind and their count, with a summary line for the rest."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts.scope import has_perm
from dangjian.core.contributions import HomeItem, listed

from .models import Deployment, DeploymentStatus
from .services import CHANGE, VIEW

KIND = gettext_lazy("工作计划任务")
DUE_DAYS = 14
SHOWN = 5
ORDER = 40


def _mine(user):
    """Open deployments the user answers for: their organisations' (as a maintainer) and their own."""
    open_ = Deployment.objects.filter(
        status=DeploymentStatus.OPEN, item__deleted_at__isnull=True, item__plan__deleted_at__isnull=True
    )
    own = Q(responsible_id=user.person_id) if user.person_id else Q(pk__in=[])
    if has_perm(user, CHANGE):
        return open_.filter(Q(pk__in=Deployment.objects.visible_to(user, CHANGE).values("pk")) | own)
    return open_.filter(own)


def home_items(user, today: date) -> list[HomeItem]:
    if not has_perm(user, VIEW):
        return []
    mine = _mine(user).select_related("item", "organization").order_by("deadline", "pk")
    more = reverse("workplan:deployments")
    overdue_q, due_q = Q(deadline__lt=today), Q(deadline__gte=today, deadline__lte=today + timedelta(days=DUE_DAYS))
    out: list[HomeItem] = []
    for q, level, status, pattern, rest in (
        (
            overdue_q,
            "late",
            "overdue",
            _("%(org)s：%(item)s（时限%(d)s，已超期）"),
            gettext_lazy("另有%(n)d项工作计划任务已超期"),
        ),
        (due_q, "due", "open", _("%(org)s：%(item)s（%(d)s前完成）"), gettext_lazy("另有%(n)d项工作计划任务将到期")),
    ):
        rows = list(mine.filter(q)[:SHOWN])
        if not rows:
            continue
        total = len(rows) if len(rows) < SHOWN else mine.filter(q).count()
        link_more = f"{more}?year={today.year}&status={status}"
        items = [
            HomeItem(
                level,
                KIND,
                pattern % {"org": d.organization.name, "item": d.item.title, "d": d.deadline.isoformat()},
                reverse("workplan:deployment_report", args=[d.pk]),
                "workplan",
                due=d.deadline,
                more=link_more,
                order=ORDER,
            )
            for d in rows
        ]
        out.extend(listed(items, total, text=rest, level=level))
    return out
