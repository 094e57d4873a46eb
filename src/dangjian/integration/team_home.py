"""The pledges' part of the home page.

A member: this year's pledge not yet submitted (from 1 January to 31 March, when branches collect them), or
returned by the branch. A branch (``integration.change``): pledges awaiting review, and in December the published
pledges whose fulfilment (践诺) is still to be reviewed. At most four queries, whatever the numbers.
"""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts.scope import has_perm
from dangjian.core.contributions import HomeItem

from .models import Pledge, PledgeStatus
from .pledges import CHANGE, FULFILMENT_FROM_MONTH, VIEW, current_branch

KIND = gettext_lazy("党员承诺")
ORDER = 60
SOURCE = "integration"
# branches collect the year's pledges in the first quarter
WRITE_UNTIL = (3, 31)


def home_items(user, today: date) -> list[HomeItem]:
    if not getattr(user, "is_authenticated", False) or not has_perm(user, VIEW):
        return []
    items = _own(user, today)
    if has_perm(user, CHANGE):
        items += _branch(user, today)
    return items


def _own(user, today: date) -> list[HomeItem]:
    """Two queries: this year's pledge, and (when there is none) whether the user is a member on the rolls."""
    if not user.person_id:
        return []
    year = today.year
    mine = reverse("integration:pledge_mine")
    pledge = Pledge.objects.filter(person_id=user.person_id, year=year).first()
    if pledge is not None and pledge.status == PledgeStatus.RETURNED:
        text = _("您的%(year)d年度承诺被党支部退回：%(reason)s") % {"year": year, "reason": pledge.review_note}
        return [HomeItem("due", KIND, text, mine, SOURCE, more=mine, order=ORDER)]
    if (today.month, today.day) > WRITE_UNTIL:
        return []
    if pledge is not None and pledge.status != PledgeStatus.DRAFT:
        return []
    if current_branch(user.person_id) is None:
        return []
    due = date(year, *WRITE_UNTIL)
    if pledge is None:
        text = _("请作出%(year)d年度承诺（亮身份、守承诺、作表率）并提交党支部") % {"year": year}
        link = reverse("integration:pledge_write")
    else:
        text = _("您的%(year)d年度承诺尚未提交党支部审核") % {"year": year}
        link = mine
    return [HomeItem("due", KIND, text, link, SOURCE, due, more=mine, order=ORDER)]


def _branch(user, today: date) -> list[HomeItem]:
    """One query, two in December: the submitted pledges in scope (not the user's own), and the published pledges
    of the year without a fulfilment review."""
    review = reverse("integration:pledge_review")
    scoped = Pledge.objects.visible_to(user, CHANGE).exclude(person_id=user.person_id)
    items = []
    waiting = scoped.filter(status=PledgeStatus.SUBMITTED).count()
    if waiting:
        text = _("%(n)d 份党员承诺待审核") % {"n": waiting}
        link = f"{review}?status={PledgeStatus.SUBMITTED}"
        items.append(HomeItem("due", KIND, text, link, SOURCE, count=waiting, more=review, order=ORDER))
    if today.month >= FULFILMENT_FROM_MONTH:
        open_ = scoped.filter(year=today.year, status=PledgeStatus.APPROVED, fulfilment="").count()
        if open_:
            text = _("%(year)d年度尚有 %(n)d 份承诺待践诺评议") % {"year": today.year, "n": open_}
            link = f"{review}?year={today.year}&status={PledgeStatus.APPROVED}"
            due = date(today.year, 12, 31)
            items.append(HomeItem("due", KIND, text, link, SOURCE, due, count=open_, more=review, order=ORDER))
    return items
