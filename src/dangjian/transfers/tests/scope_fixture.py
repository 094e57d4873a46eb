"""Objects of branch1 for tests/test_scope_generic.py: inside sec1's scope, outside sec2's.

The transfer goes from branch1 to an organisation outside the tree (an inside transfer to branch2 would be
visible to sec2 as its receiving side, by design), already sent so that its letter exists.
"""

from __future__ import annotations

from datetime import date

from dangjian.core import context


def _transfer(world):
    from dangjian.transfers import services
    from dangjian.transfers.models import Transfer

    t, p1, p2, sec1, sec2, job1 = world
    existing = Transfer.objects.filter(from_org=t.branch1).first()
    if existing:
        return existing
    with context.acting(sec1):
        transfer = services.request_transfer(
            sec1, p1.pk, to_name="外单位党委", reason="调动", requested_on=date(2026, 1, 5)
        )
        return services.send(sec1, transfer.pk, on=date(2026, 1, 6))


def _case(world):
    from dangjian.transfers import lost
    from dangjian.transfers.models import LostContact

    t, p1, p2, sec1, sec2, job1 = world
    existing = LostContact.objects.filter(person=p1).first()
    if existing:
        return existing
    with context.acting(sec1):
        return lost.open_case(sec1, p1.pk, last_contact_on=date(2025, 1, 1))


def object_for(world, name: str, param: str):
    if param == "action":
        return "cancel"
    if param == "kind":
        return "suspend"
    if name.startswith("lost_"):
        return _case(world).pk
    return _transfer(world).pk
