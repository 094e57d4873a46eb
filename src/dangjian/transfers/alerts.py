"""Home-page alerts: transfers waiting for the user's action and lost-contact members due for a decision.

``alerts(user, today, limit)`` runs a fixed number of queries whatever the data size (one for transfers, one for
lost-contact cases, plus the user's role assignments, cached on the user, and one read of the rule store for the
lost-contact months and years, held for all the cases).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, Window
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts.scope import has_perm, scope_for
from dangjian.core.contributions import HomeItem, listed
from dangjian.rules import services as rule_store

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


def _counted(queryset):
    """``queryset`` with ``total``, the number of rows it has before any slice (one statement, not a count after)."""
    return queryset.annotate(total=Window(Count("id")))


def _transfer_items(user, today: date, limit: int) -> list[HomeItem]:
    return _transfer_items_counted(user, today, limit)[0]


def _transfer_items_counted(user, today: date, limit: int) -> tuple[list[HomeItem], int]:
    """The first ``limit`` items and how many there are in all."""
    more = reverse("transfers:list")
    out = []
    total = 0
    for t in _counted(_transfers(user, today)).order_by("sent_on", "requested_on", "id")[:limit]:
        total = t.total
        text, level = _transfer_text(t, today)
        link = reverse("transfers:detail", args=[t.pk])
        out.append(
            HomeItem(level, TRANSFER, text, link, "transfers", t.sent_on or t.requested_on, more=more, order=ORDER)
        )
    return out, total


def _case_items(user, today: date, limit: int) -> list[HomeItem]:
    return _case_items_counted(user, today, limit)[0]


@rule_store.holding()
def _case_items_counted(user, today: date, limit: int) -> tuple[list[HomeItem], int]:
    more = reverse("transfers:lost_list") + "?flag=any"
    out = []
    total = 0
    for case in _counted(_cases(user, today)).select_related("person").order_by("last_contact_on", "id")[:limit]:
        total = case.total
        text = f"{case.person.name}：{flag_label(flag_of(case, today), today) or ''}"
        link = reverse("transfers:lost_detail", args=[case.pk])
        out.append(HomeItem("late", LOST_CONTACT, text, link, "transfers", more=more, order=ORDER + 1))
    return out, total


def alerts(user, today: date, limit: int = 10) -> list[HomeItem]:
    if not has_perm(user, CHANGE):
        return []
    out = _transfer_items(user, today, limit) + _case_items(user, today, limit)
    out.sort(key=lambda a: a.level != "late")  # stable: overdue first, each kind in its own order
    return out[:limit]


def home_items(user, today: date, limit: int = 10) -> list[HomeItem]:
    """Each kind's first ``limit`` and one line for the rest of it: the count comes with the rows (a window
    count in the same statement), so two queries in all whatever the data."""
    if not has_perm(user, CHANGE):
        return []
    transfers = listed(*_transfer_items_counted(user, today, limit), text=gettext_lazy("另有%(n)d项组织关系转接待办理"))
    cases = listed(*_case_items_counted(user, today, limit), text=gettext_lazy("另有%(n)d名失联党员待作出处置"))
    return transfers + cases
