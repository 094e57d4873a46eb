"""Home-page to-do items: the care obligations due or overdue for the user (a constant number of queries)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Window
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts.scope import has_perm
from dangjian.core.contributions import HomeItem, listed

from .models import Obligation, ObligationStatus
from .services import CHANGE

SOON_DAYS = 7
KIND = gettext_lazy("关心关爱")
ORDER = 70


def alerts(user, today: date, limit: int = 10) -> list[HomeItem]:
    """Open obligations assigned to ``user`` due by today + 7 days, the late first; then one line for
    overdue obligations in scope that no one was assigned to (role only, e.g. department head)."""
    if not has_perm(user, CHANGE):
        return []
    mine_qs = Obligation.objects.filter(
        status=ObligationStatus.OPEN, responsible_user=user, due_on__lte=today + timedelta(days=SOON_DAYS)
    )
    # the number of them all comes with the first rows (a window count in the same statement)
    mine = mine_qs.annotate(total=Window(Count("id"))).select_related("event__person").order_by("due_on", "id")[:limit]
    more = reverse("care:obligations") + "?mine=1"
    out = []
    total = 0
    for ob in mine:
        total = ob.total
        text = _("%(name)s：%(event)s，%(kind)s，期限%(due)s") % {
            "name": ob.event.person.name,
            "event": ob.event.get_kind_display(),
            "kind": ob.get_kind_display(),
            "due": ob.due_on.isoformat(),
        }
        level = "late" if ob.due_on < today else "due"
        out.append(
            HomeItem(
                level, KIND, text, reverse("care:obligation", args=[ob.pk]), "care", ob.due_on, more=more, order=ORDER
            )
        )
    out = listed(out, total, text=gettext_lazy("另有%(n)d项关怀事项将到期或已超期"))
    unassigned = (
        Obligation.objects.visible_to(user, CHANGE)
        .filter(status=ObligationStatus.OPEN, responsible_user__isnull=True, due_on__lt=today)
        .count()
    )
    if unassigned:
        text = _("管理范围内有%(n)d项未指定责任人的关怀事项已超期") % {"n": unassigned}
        link = reverse("care:obligations") + "?status=overdue&unassigned=1"
        # the overdue unassigned list is the one to open when this is the only line (the office's case)
        out.append(HomeItem("late", KIND, text, link, "care", count=unassigned, more=link, order=ORDER))
    return out


def home_items(user, today: date) -> list[HomeItem]:
    return alerts(user, today)
