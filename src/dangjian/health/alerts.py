"""Home-page to-do items: the health officer's follow-ups that are late or due within 7 days.

Two kinds of due date: the next check date of the last contact, and — before any contact — the first-contact
deadline ``FIRST_CONTACT_DAYS`` after assignment (the platform's default; no regulation sets one). The texts name
the person, "健康随访" and a date only: the home page may be seen over a shoulder, and health values never leave
the follow-up page (PIPL art. 28). A constant number of queries whatever the number of follow-ups.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts.scope import has_perm
from dangjian.core.contributions import HomeItem, listed

from .followups import FIRST_CONTACT_DAYS
from .models import FollowUp, FollowUpStatus
from .services import VALUES

SOON_DAYS = 7
KIND = gettext_lazy("健康随访")
ORDER = 80


def alerts(user, today: date, limit: int = 10) -> list[HomeItem]:
    """Open follow-ups assigned to ``user`` (and still in his scope), late first, then by due date."""
    if not has_perm(user, VALUES):
        return []
    mine = (
        FollowUp.objects.visible_to(user, VALUES)
        .filter(assigned_to=user, status=FollowUpStatus.OPEN)
        .select_related("person")
    )
    horizon = today + timedelta(days=SOON_DAYS)
    checks = mine.filter(next_check_on__lte=horizon).order_by("next_check_on", "id")[:limit]
    first = mine.filter(
        last_contact_on__isnull=True, assigned_on__lte=horizon - timedelta(days=FIRST_CONTACT_DAYS)
    ).order_by("assigned_on", "id")[:limit]
    more = reverse("health:queue") + "?assigned=mine&status=open"
    items = [(fu.next_check_on, fu, True) for fu in checks]
    items += [(fu.assigned_on + timedelta(days=FIRST_CONTACT_DAYS), fu, False) for fu in first]
    items.sort(key=lambda i: (i[0], i[1].pk))
    out = []
    for due, fu, is_check in items[:limit]:
        late = due < today
        values = {"name": fu.person.name, "year": fu.year, "due": due.isoformat()}
        if is_check:
            text = (
                _("%(name)s：%(year)s年度健康随访复查已超期（%(due)s）")
                if late
                else _("%(name)s：%(year)s年度健康随访复查将于%(due)s到期")
            )
        else:
            text = (
                _("%(name)s：%(year)s年度健康随访首次联系已超期（期限%(due)s）")
                if late
                else _("%(name)s：%(year)s年度健康随访请于%(due)s前首次联系")
            )
        url = reverse("health:follow_up", args=[fu.person_id, fu.year])
        out.append(HomeItem("late" if late else "due", KIND, text % values, url, "health", due, more=more, order=ORDER))
    return out


def home_items(user, today: date) -> list[HomeItem]:
    """The first ten and, when there are more, one line with how many more (one count query, always run)."""
    items = alerts(user, today)
    if not has_perm(user, VALUES):
        return items
    horizon = today + timedelta(days=SOON_DAYS)
    total = (
        FollowUp.objects.visible_to(user, VALUES)
        .filter(assigned_to=user, status=FollowUpStatus.OPEN)
        .filter(
            Q(next_check_on__lte=horizon)
            | Q(last_contact_on__isnull=True, assigned_on__lte=horizon - timedelta(days=FIRST_CONTACT_DAYS))
        )
        .count()
    )
    return listed(items, total, text=gettext_lazy("另有%(n)d项健康随访将到期或已超期"))
