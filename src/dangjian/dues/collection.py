"""A branch's collection for one month, entered in one form: everyone who owes the month, each paid or not.

"Who owes" is the month ledger's (``ledger.compute``): members whose party rights are stopped for the whole month
are not on it (党员教育管理工作条例 第24条), members not yet admitted owe nothing, and an approved relief lowers
the amount. A member already paid up (or waived) is shown as such and not offered again.

Every payment goes through ``services.record_payment``, so the checks (scope, months, amounts, dates) and the
audit event are those of a single payment; the whole collection is one transaction: one bad row and nothing is
written, with the reason given beside the member.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dangjian.orgs.models import Organization
from dangjian.people.models import Membership

from . import services
from .ledger import NO_BASE, NOT_STARTED, PAID, PARTIAL, UNPAID, WAIVED, ZERO, Line, compute
from .models import DuesAccount
from .months import label, month_start
from .services import CHANGE

OFFERED = (UNPAID, PARTIAL)


@dataclass
class CollectionRow:
    """One member on the collection form: ``owed`` is what is still owed for the month (None when not offered)."""

    line: Line

    @property
    def person_id(self) -> int:
        return self.line.person_id

    @property
    def name(self) -> str:
        return self.line.name

    @property
    def offered(self) -> bool:
        return self.line.status in OFFERED and self.line.balance > 0

    @property
    def owed(self) -> Decimal | None:
        return self.line.balance if self.offered else None

    @property
    def state(self) -> str:
        return self.line.status


def branch_members(user, branch: Organization):
    """The current members of the branch (and its 党小组) that ``user`` may record dues for."""
    return (
        Membership.objects.current()
        .visible_to(user, CHANGE)
        .filter(organization__in=Organization.objects.subtree(branch))
    )


def collection_rows(user, branch: Organization, month: date) -> list[CollectionRow]:
    """Everyone on the branch's month list (four queries whatever its size), not-yet-started members left out."""
    month = month_start(month)
    lines = compute(branch_members(user, branch), [month])[month]
    return [CollectionRow(line) for line in lines if line.status != NOT_STARTED]


@dataclass
class Entry:
    person_id: int
    amount: Decimal
    note: str = ""


@dataclass
class CollectionResult:
    payments: list
    total: Decimal


def lock_accounts(person_ids) -> None:
    """Lock the dues accounts of these people for the rest of the transaction (in a fixed order: no deadlock)."""
    list(DuesAccount.objects.select_for_update().filter(person_id__in=person_ids).order_by("pk").values_list("pk"))


def refusal(row: CollectionRow | None, month: date) -> str:
    """Why a member cannot be entered for the month, or "" when they can."""
    if row is None:
        return _("不在%(month)s本支部应交党费名单中") % {"month": label(month)}
    if row.offered:
        return ""
    if row.state == PAID:
        return _("%(month)s党费已交清") % {"month": label(month)}
    if row.state == WAIVED:
        return _("%(month)s党费已批准免交") % {"month": label(month)}
    if row.state == NO_BASE:
        return _("尚未设定党费基数，请先设定基数")
    return _("%(month)s无应交党费") % {"month": label(month)}


def record_collection(
    user, branch: Organization, month: date, *, paid_on: date, method: str, entries: list[Entry]
) -> CollectionResult:
    """Record the paid members of the branch's month in one transaction, each through ``record_payment``.

    ``ValidationError`` with one message per refused member (keyed by person id) and nothing written.
    """
    month = month_start(month)
    services.check_month(month, "month")
    if not entries:
        raise ValidationError(_("没有勾选任何已交党费的党员"))
    errors: dict[str, list[str]] = {}
    payments = []
    total = ZERO
    with transaction.atomic():
        # the members' accounts locked, then read again: a member paid by someone else meanwhile (another form, the
        # payroll import) is refused, not paid twice; ``record_payment`` takes the same lock
        lock_accounts([e.person_id for e in entries])
        rows = {r.person_id: r for r in collection_rows(user, branch, month)}
        seen = set()
        for entry in entries:
            key = str(entry.person_id)
            row = rows.get(entry.person_id)
            why = _("同一党员重复登记") if entry.person_id in seen else refusal(row, month)
            seen.add(entry.person_id)
            if why:
                errors.setdefault(key, []).append(why)
                continue
            data = {
                "amount": entry.amount,
                "month_from": month,
                "month_to": month,
                "paid_on": paid_on,
                "method": method,
                "note": entry.note or _("支部%(month)s集中收缴") % {"month": label(month)},
            }
            try:
                # a savepoint each: a refused payment is rolled back, the rest of the loop still checks every row
                with transaction.atomic():
                    payment = services.record_payment(user, entry.person_id, data)
            except ValidationError as exc:
                errors.setdefault(key, []).extend(exc.messages)
                continue
            payments.append(payment)
            total += payment.amount
        if errors:
            raise ValidationError(errors)  # leaving the block with it rolls every payment back
    return CollectionResult(payments, total)
