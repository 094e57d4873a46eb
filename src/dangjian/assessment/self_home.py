"""What 自评 puts on a unit maintainer's home page: each of their units' self-assessments still to be submitted in a
cycle in 自评中, with the deadline (late once it has passed). The office over the whole tree follows every unit on
the cycle's overview (``views.self_assessment.self_overview``), not here. Two queries at most (the user's
assignments, usually already read, and the units)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts.scope import has_perm
from dangjian.core.contributions import HomeItem
from dangjian.orgs.models import Organization

from .models import CycleStatus, CycleUnit, SelfAssessment
from .self_assessment import CHANGE
from .services import MANAGE

KIND = gettext_lazy("考核自评")
SHOWN = 5


def home_items(user: Any, today: date) -> list[HomeItem]:
    if not has_perm(user, CHANGE) or has_perm(user, MANAGE):
        return []
    submitted = SelfAssessment.objects.filter(
        cycle=OuterRef("cycle"), unit=OuterRef("organization"), submitted_at__isnull=False
    )
    due = list(
        CycleUnit.objects.filter(
            cycle__status=CycleStatus.SELF_ASSESSMENT,
            organization__in=Organization.objects.visible_to(user, CHANGE).values("pk"),
        )
        .exclude(Exists(submitted))
        .select_related("cycle", "organization")
        .order_by("cycle__self_deadline", "organization__path")[: SHOWN + 1]
    )
    several = len(due) > 1
    items = []
    for member in due[:SHOWN]:
        deadline = member.cycle.self_deadline
        text = _("考核自评待提交（截止 %(deadline)s）") % {"deadline": deadline.strftime("%Y-%m-%d")}
        if several:
            text = _("%(unit)s：%(text)s") % {"unit": member.organization.name, "text": text}
        link = reverse("assessment:self_unit", args=[member.cycle_id, member.organization_id])
        items.append(HomeItem("late" if today > deadline else "due", KIND, text, link, "assessment", due=deadline))
    if len(due) > SHOWN:
        items.append(
            HomeItem("info", KIND, _("另有更多单位的考核自评待提交"), reverse("assessment:cycles"), "assessment")
        )
    return items
