"""For tests/test_scope_generic.py: dues objects of branch1 (inside sec1's scope, outside sec2's)."""

from __future__ import annotations

from datetime import date


def object_for(world, name: str, param: str):
    from dangjian.core import context
    from dangjian.dues import services
    from dangjian.dues.models import DuesPayment, DuesRelief

    t, p1, p2, sec1, sec2, job1 = world
    if param == "person_id":
        return p1.pk
    if name == "collection" and param == "org_id":  # the branch's month collection
        return t.branch1.pk
    with context.acting(sec1):
        if name == "payment_void":
            payment = DuesPayment.objects.filter(account__person=p1).first() or services.record_payment(
                sec1,
                p1.pk,
                {
                    "amount": "10",
                    "month_from": date(2026, 1, 1),
                    "month_to": date(2026, 1, 1),
                    "paid_on": date(2026, 1, 5),
                },
            )
            return payment.pk
        if name == "relief_decide":
            relief = DuesRelief.objects.filter(account__person=p1).first() or services.request_relief(
                sec1,
                p1.pk,
                {"kind": "waive", "month_from": date(2026, 1, 1), "month_to": date(2026, 3, 1), "reason": "困难"},
            )
            return relief.pk
    raise AssertionError(f"the scope test cannot fill {param} of dues:{name}; teach it")
