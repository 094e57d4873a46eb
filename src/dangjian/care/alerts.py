"""Home-page to-do items: the care obligations due or overdue for the user (a constant number of queries)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.accounts.scope import has_perm

from .models import Obligation, ObligationStatus
from .services import CHANGE

SOON_DAYS = 7


@dataclass(frozen=True)
class CareAlert:
    level: str  # "late" (past its deadline) or "todo" (due within 7 days)
    text: str
    url: str


def alerts(user, today: date, limit: int = 10) -> list[CareAlert]:
    """Open obligations assigned to ``user`` due by today + 7 days, the late first; then one line for
    overdue obligations in scope that no one was assigned to (role only, e.g. department head)."""
    if not has_perm(user, CHANGE):
        return []
    mine = (
        Obligation.objects.filter(
            status=ObligationStatus.OPEN, responsible_user=user, due_on__lte=today + timedelta(days=SOON_DAYS)
        )
        .select_related("event__person")
        .order_by("due_on", "id")[:limit]
    )
    out = []
    for ob in mine:
        late = ob.due_on < today
        text = _("%(name)s：%(event)s，%(kind)s，期限%(due)s") % {
            "name": ob.event.person.name,
            "event": ob.event.get_kind_display(),
            "kind": ob.get_kind_display(),
            "due": ob.due_on.isoformat(),
        }
        out.append(CareAlert("late" if late else "todo", text, reverse("care:obligation", args=[ob.pk])))
    unassigned = (
        Obligation.objects.visible_to(user, CHANGE)
        .filter(status=ObligationStatus.OPEN, responsible_user__isnull=True, due_on__lt=today)
        .count()
    )
    if unassigned and len(out) < limit:
        text = _("管理范围内有%(n)d项未指定责任人的关怀事项已超期") % {"n": unassigned}
        out.append(CareAlert("late", text, reverse("care:obligations") + "?status=overdue&unassigned=1"))
    return out
