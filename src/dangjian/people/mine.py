"""The member's current memberships on their home page: branch, category and admission date."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.core import mine
from dangjian.core.contributions import HomeItem

from .models import Membership


def home_items(user, today: date) -> list[HomeItem]:
    """One query. A member whose party rights are stopped still sees the membership: the record says what it is."""
    person_id = mine.own_person_id(user)
    if person_id is None:
        return []
    link = reverse("people:detail", args=[person_id])
    out = []
    rows = Membership.objects.current().filter(person_id=person_id).select_related("organization").order_by("pk")
    for m in rows:
        values = {"org": m.organization.name, "status": m.get_status_display()}
        if m.admitted_on:
            values["admitted"] = f"{m.admitted_on:%Y-%m-%d}"
            text = _("%(org)s · %(status)s · %(admitted)s入党") % values
        else:
            text = _("%(org)s · %(status)s") % values
        out.append(HomeItem("info", mine.MY_RECORD, text, link, mine.SOURCE, more=link, order=mine.ORDER_RECORD))
    return out
