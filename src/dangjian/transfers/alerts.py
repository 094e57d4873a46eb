"""Home-page alerts: transfers waiting for the user's action and lost-contact members due for a decision.

``alerts(user, today, limit)`` runs a fixed number of queries whatever the data size (one for transfers, one for
lost-contact cases, plus the user's role assignments, cached on the user).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.urls import reverse

from dangjian.accounts.scope import has_perm, scope_for

from .lost import FLAG_LABELS, flag_of, flag_q
from .models import Direction, LostContact, Transfer, TransferStatus
from .services import CHANGE


@dataclass(frozen=True)
class Alert:
    kind: str  # "transfer" or "lost_contact"
    level: str  # "late" (overdue) or "todo"
    text: str
    url: str
    on: date | None


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
        return f"{t.name}的组织关系转接申请待发出（转至{t.to_name}）", "todo"
    if t.direction == Direction.OUT:
        return f"{t.name}的介绍信{t.letter_number}已过有效期，未收到回执", "late"
    late = t.valid_until is not None and t.valid_until < today
    return f"{t.name}的组织关系待接收（来自{t.from_name}）", "late" if late else "todo"


def alerts(user, today: date, limit: int = 10) -> list[Alert]:
    if not has_perm(user, CHANGE):
        return []
    out: list[Alert] = []
    transfers = (
        Transfer.objects.visible_to(user, CHANGE)
        .filter(_transfer_q(user, today))
        .order_by("sent_on", "requested_on", "id")[:limit]
    )
    for t in transfers:
        text, level = _transfer_text(t, today)
        out.append(
            Alert("transfer", level, text, reverse("transfers:detail", args=[t.pk]), t.sent_on or t.requested_on)
        )
    cases = (
        LostContact.objects.visible_to(user, CHANGE)
        .filter(flag_q(today))
        .select_related("person")
        .order_by("last_contact_on", "id")[:limit]
    )
    for case in cases:
        flag = flag_of(case, today)
        text = f"{case.person.name}：{FLAG_LABELS.get(flag, '')}"
        out.append(Alert("lost_contact", "late", text, reverse("transfers:lost_detail", args=[case.pk]), None))
    out.sort(key=lambda a: a.level != "late")  # stable: overdue first, each kind in its own order
    return out[:limit]
