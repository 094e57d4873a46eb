"""Home-page alerts: transfers waiting for the user's action and lost-contact members due for a decision.

``alerts(user, today, limit)`` runs a fixed number of queries whatever the data size (one for transfers, one for
lost-contact cases, plus the user's role assignments, cached on the user).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts.scope import has_perm, scope_for
from dangjian.core.contributions import HomeItem, listed

from .lost import flag_label, flag_of, flag_q
from .models import Direction, LostContact, Transfer, TransferStatus
from .services import CHANGE

TRANSFER = gettext_lazy("组织关系转接")
LOST_CONTACT = gettext_lazy("失联党员")
ORDER = 60


def _transfer_q(user, today: date) -> Q:
    scope = scope_for(user, CHANGE)
    from_side, to_side = scope.org_q("from_org__path"), scope.org_q("to_org__path")
    return (
        (Q(status=TransferStatus.REQUESTED) & from_side)
        | (Q(status=TransferStatus.SENT, direction__in=(Direction.INSIDE, Direction.IN)) & to_side)
        | (Q(status=TransferStatus.SENT, direction=Direction.OUT, valid_until__lt=today) & from_side)
    )


def _transfer_text(t: Transfer, today: date) -> tuple[str, str]:
    if t.status == TransferStatus.REQUESTED:
        return _("%(name)s的组织关系转接申请待发出（转至%(to)s）") % {"name": t.name, "to": t.to_name}, "due"
    if t.direction == Direction.OUT:
        return _("%(name)s的介绍信%(number)s已过有效期，未收到回执") % {
            "name": t.name,
            "number": t.letter_number,
        }, "late"
    late = t.valid_until is not None and t.valid_until < today
    return _("%(name)s的组织关系待接收（来自%(from)s）") % {"name": t.name, "from": t.from_name}, (
        "late" if late else "due"
    )


def _transfers(user, today: date):
    return Transfer.objects.visible_to(user, CHANGE).filter(_transfer_q(user, today))


def _cases(user, today: date):
    return LostContact.objects.visible_to(user, CHANGE).filter(flag_q(today))


def _transfer_items(user, today: date, limit: int) -> list[HomeItem]:
    more = reverse("transfers:list")
    out = []
    for t in _transfers(user, today).order_by("sent_on", "requested_on", "id")[:limit]:
        text, level = _transfer_text(t, today)
        link = reverse("transfers:detail", args=[t.pk])
        out.append(
            HomeItem(level, TRANSFER, text, link, "transfers", t.sent_on or t.requested_on, more=more, order=ORDER)
        )
    return out


def _case_items(user, today: date, limit: int) -> list[HomeItem]:
    more = reverse("transfers:lost_list") + "?flag=any"
    out = []
    for case in _cases(user, today).select_related("person").order_by("last_contact_on", "id")[:limit]:
        text = f"{case.person.name}：{flag_label(flag_of(case, today), today) or ''}"
        link = reverse("transfers:lost_detail", args=[case.pk])
        out.append(HomeItem("late", LOST_CONTACT, text, link, "transfers", more=more, order=ORDER + 1))
    return out


def alerts(user, today: date, limit: int = 10) -> list[HomeItem]:
    if not has_perm(user, CHANGE):
        return []
    out = _transfer_items(user, today, limit) + _case_items(user, today, limit)
    out.sort(key=lambda a: a.level != "late")  # stable: overdue first, each kind in its own order
    return out[:limit]


def home_items(user, today: date, limit: int = 10) -> list[HomeItem]:
    """Each kind's first ``limit`` and one line for the rest of it: two more count queries, run every time."""
    if not has_perm(user, CHANGE):
        return []
    transfers = listed(
        _transfer_items(user, today, limit),
        _transfers(user, today).count(),
        text=gettext_lazy("另有%(n)d项组织关系转接待办理"),
    )
    cases = listed(
        _case_items(user, today, limit),
        _cases(user, today).count(),
        text=gettext_lazy("另有%(n)d名失联党员待作出处置"),
    )
    return transfers + cases
