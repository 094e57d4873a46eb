"""A year of dues for the demo institute up to the reference day (``reference_date()``): accounts, bases (some pay
rises), monthly or quarterly payments, a few members 6+ months in arrears, one 5 months behind (not yet alerted), an
approved waiver, a pending reduction and two voluntary payments (one of 1000 yuan, which goes to the centre)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.demo.spec import reference_date
from dangjian.orgs.models import Organization
from dangjian.people.models import Membership

from .ledger import start_month
from .models import DuesAccount, DuesBase, DuesPayment, DuesRelief, PaymentKind, PaymentMethod, ReliefStatus
from .months import add_months, month_range, month_start
from .rules import dues_for

ARREARS = 5  # members with 7 or more unpaid months
BEHIND = 1  # a member with exactly 5 unpaid months: on the ledger, not yet an alert
METHODS = (
    PaymentMethod.PAYROLL,
    PaymentMethod.PAYROLL,
    PaymentMethod.TRANSFER,
    PaymentMethod.ONLINE,
    PaymentMethod.CASH,
)


def generate_demo(seed: int) -> dict[str, int]:
    root = Organization.objects.filter(depth=1).order_by("path").first()
    office = User.objects.filter(username="office").first() or User.objects.order_by("pk").first()
    if root is None or office is None:
        return {}
    secretary = User.objects.filter(username="secretary").first() or office
    rng = random.Random(seed)
    last = add_months(month_start(reference_date()), -1)  # the last complete month
    first = add_months(last, -11)
    # the pay rise, the voluntary payment and the relief sit a few months back from the reference day, so that a
    # demo built in any month tells the same story (July, August and September to December on 2026-11-01)
    rise, waived_until, relief_from = add_months(last, -3), add_months(last, -2), add_months(last, -1)
    members = list(
        Membership.objects.current()
        .filter(organization__in=Organization.objects.subtree(root), admitted_on__isnull=False, admitted_on__lte=last)
        .exclude(person__dues_account__isnull=False)
        .select_related("person", "organization")
        .order_by("person_id")
    )
    accounts = DuesAccount.objects.bulk_create([DuesAccount(person=m.person, created_by=office) for m in members])
    bases, payments, plans = [], [], []
    for m, account in zip(members, accounts, strict=True):
        start = max(start_month(m.admitted_on), first)
        retired = m.person.employment == "retired"
        category = "retiree" if retired else ("student" if rng.random() < 0.03 else "employee")
        amount = Decimal(rng.randrange(300, 900) * 10) if retired else Decimal(rng.randrange(400, 2600) * 10)
        if category == "student":
            amount = Decimal(0)
        rows = [(start, amount)]
        if category == "employee" and rng.random() < 0.25 and start < rise:
            rows.append((rise, (amount * Decimal("1.08")).quantize(Decimal("0.01"))))
        for month, base in rows:
            bases.append(
                DuesBase(account=account, month=month, category=category, monthly_base=base, recorded_by=office)
            )
        plans.append((m, account, category, rows, start))
    DuesBase.objects.bulk_create(bases)

    late = set(rng.sample(range(len(plans)), min(len(plans), ARREARS + BEHIND)))
    late_order = sorted(late)
    punctual_index = [i for i in range(len(plans)) if i not in late]
    waived = punctual_index[2] if len(punctual_index) > 2 else None  # waived from relief_from: pays up to before it
    for index, (_m, account, category, rows, start) in enumerate(plans):
        paid_until = last
        if index in late:
            behind = 5 if late_order.index(index) < BEHIND else rng.randrange(7, 10)
            paid_until = add_months(last, -behind)
        elif index == waived:
            paid_until = min(last, waived_until)
        quarterly = rng.random() < 0.3
        months = month_range(start, paid_until)
        step = 3 if quarterly else 1
        for i in range(0, len(months), step):
            chunk = months[i : i + step]
            total = sum(_due(category, rows, mo) for mo in chunk)
            if total <= 0:
                continue
            paid_on = min(reference_date() - timedelta(days=1), chunk[-1] + timedelta(days=rng.randrange(3, 25)))
            payments.append(
                DuesPayment(
                    account=account,
                    amount=total,
                    month_from=chunk[0],
                    month_to=chunk[-1],
                    method=rng.choice(METHODS),
                    receipt_number=f"DF{chunk[0]:%Y%m}-{account.pk:05d}",
                    paid_on=paid_on,
                    recorded_by=office,
                )
            )
    punctual = [p for i, p in enumerate(plans) if i not in late]
    for amount, (_m, account, *_rest) in zip((Decimal("1000.00"), Decimal("500.00")), punctual[:2], strict=False):
        payments.append(
            DuesPayment(
                account=account,
                kind=PaymentKind.VOLUNTARY,
                amount=amount,
                month_from=rise,
                month_to=rise,
                method=PaymentMethod.TRANSFER,
                paid_on=rise,
                note="自愿多交党费",
                recorded_by=office,
            )
        )
    DuesPayment.objects.bulk_create(payments)

    reliefs = []
    now = timezone.now()
    for (m, account, *_rest), kind, status in zip(
        punctual[2:4], ("waive", "reduce"), (ReliefStatus.APPROVED, ReliefStatus.REQUESTED), strict=False
    ):
        reliefs.append(
            DuesRelief(
                account=account,
                branch=m.organization,
                kind=kind,
                month_from=relief_from,
                month_to=add_months(relief_from, 3),
                monthly_amount=None if kind == "waive" else Decimal("5.00"),
                reason="本人重病住院，家庭经济困难，经支部党员大会讨论同意"
                if kind == "waive"
                else "家庭经济困难，支部党员大会同意少交",
                status=status,
                requested_by=secretary,
                decided_by=office if status == ReliefStatus.APPROVED else None,
                decided_at=now if status == ReliefStatus.APPROVED else None,
                decision_note="同意" if status == ReliefStatus.APPROVED else "",
            )
        )
    DuesRelief.objects.bulk_create(reliefs)
    return {
        "dues.DuesAccount": len(accounts),
        "dues.DuesBase": len(bases),
        "dues.DuesPayment": len(payments),
        "dues.DuesRelief": len(reliefs),
    }


def _due(category: str, rows, month: date) -> Decimal:
    base = [b for m, b in rows if m <= month][-1]
    return dues_for(category, base, on=month).amount
