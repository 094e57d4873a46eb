"""The member's democratic appraisal on their home page: the self-review and mutual review still to do while
review is open (民主评议党员: 个人自评、党员互评), and the grades of past years."""

from __future__ import annotations

from datetime import date
from functools import reduce
from operator import or_

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.core import mine
from dangjian.core.contributions import HomeItem

from .models import AppraisalStatus, MutualRating, Participant
from .models.ratings import rater_digest

PAST_GRADES = 3


def home_items(user, today: date) -> list[HomeItem]:
    """Three queries whatever the number of appraisals: the open entries with how many others there are to rate,
    the ratings the member gave (found by their digests, as the ratings are stored), the last confirmed grades."""
    person_id = mine.own_person_id(user)
    if person_id is None:
        return []
    others = (
        Participant.objects.filter(appraisal_id=OuterRef("appraisal_id"), graded=True)
        .exclude(pk=OuterRef("pk"))
        .order_by()
        .values("appraisal_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    entries = list(
        Participant.objects.filter(person_id=person_id, appraisal__status=AppraisalStatus.OPEN)
        .select_related("appraisal__organization")
        .annotate(others=Coalesce(Subquery(others, output_field=IntegerField()), Value(0)))
        .order_by("-appraisal__year", "pk")
    )
    given: dict[int, int] = {}
    if entries:
        digests = [
            Q(appraisal_id=e.appraisal_id, rater_digest=rater_digest(e.appraisal_id, person_id)) for e in entries
        ]
        given = dict(
            MutualRating.objects.filter(reduce(or_, digests))
            .order_by()
            .values_list("appraisal_id")
            .annotate(n=Count("id"))
        )
    out = []
    for e in entries:
        link = reverse("appraisal:mine", args=[e.appraisal_id])
        name = {"year": e.appraisal.year, "org": e.appraisal.organization.name}
        if not e.self_review.strip():
            out.append(_item("due", _("%(year)d年度民主评议：请填写个人自评（%(org)s）") % name, link))
        rated = given.get(e.appraisal_id, 0)
        if e.others and rated < e.others:
            text = _("%(year)d年度民主评议：请完成党员互评（已评 %(done)d / %(all)d 人）") % {
                **name,
                "done": rated,
                "all": e.others,
            }
            out.append(_item("due", text, link))
    past = (
        Participant.objects.filter(person_id=person_id, appraisal__status=AppraisalStatus.CONFIRMED)
        .exclude(final_grade="")
        .select_related("appraisal")
        .order_by("-appraisal__year")[:PAST_GRADES]
    )
    for p in past:
        text = _("%(year)d年度民主评议：%(grade)s") % {"year": p.appraisal.year, "grade": p.get_final_grade_display()}
        link = reverse("appraisal:detail", args=[p.appraisal_id])
        out.append(HomeItem("info", mine.MY_RECORD, text, link, mine.SOURCE, more=link, order=mine.ORDER_RECORD))
    return out


def _item(level: str, text: str, link: str) -> HomeItem:
    return HomeItem(level, mine.MY_DUTIES, text, link, mine.SOURCE, more=link, order=mine.ORDER_DUTIES)
