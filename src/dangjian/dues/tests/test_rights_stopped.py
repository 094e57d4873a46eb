"""停止党籍 (党员教育管理工作条例（2019）第二十四条): a member whose party rights are stopped is off the dues lists and
arrears from the decision, and back on them from a restore decision (issue 12 §2)."""

from __future__ import annotations

from datetime import date

import pytest

from dangjian.dues.arrears import arrears_rows
from dangjian.dues.ledger import compute
from dangjian.people.models import Membership
from dangjian.transfers.models import Decision, LostContact

pytestmark = pytest.mark.django_db


def _suspend(w, on: date) -> LostContact:
    return LostContact.objects.create(
        person=w.member,
        branch=w.t.branch1,
        status="suspended",
        opened_on=date(2025, 1, 1),
        last_contact_on=date(2025, 1, 1),
        suspended_on=on,
        created_by=w.sec1,
    )


def _listed(w, months: list[date]) -> list[date]:
    by_month = compute(Membership.objects.current().filter(person=w.member), months)
    return [m for m in sorted(by_month) if by_month[m]]


def test_the_month_list_leaves_out_a_member_stopped_for_the_whole_month(world):
    """The decision of 2025-08-01 stops August as a whole; one of 2025-09-10 leaves September owed (the member had
    their rights for part of it, as dues start in the month of admission) and stops October."""
    months = [date(2025, 7, 1), date(2025, 8, 1), date(2025, 9, 1)]
    assert _listed(world, months) == months
    case = _suspend(world, date(2025, 8, 1))
    assert _listed(world, months) == [date(2025, 7, 1)]
    case.suspended_on = date(2025, 9, 10)
    case.save()
    assert _listed(world, [*months, date(2025, 10, 1)]) == months


def test_a_restore_decision_puts_the_member_back_from_its_month(world):
    case = _suspend(world, date(2025, 8, 1))
    case.status, case.last_contact_on = "closed", date(2025, 10, 1)
    case.save()
    Decision.objects.create(
        case=case, kind="restore", decided_on=date(2025, 10, 20), decided_by="党委", document_ref="x",
        recorded_by=world.sec1,
    )  # fmt: skip
    months = [date(2025, 8, 1), date(2025, 9, 1), date(2025, 10, 1), date(2025, 11, 1)]
    assert _listed(world, months) == [date(2025, 10, 1), date(2025, 11, 1)]


def test_a_stopped_member_is_not_in_dues_arrears_from_the_day_of_the_decision(world):
    """Admitted 2024-03, nothing paid: six unpaid months by 2024-09-01 (第31条), unless stopped by then."""
    members = Membership.objects.current().filter(person=world.member)
    assert len(arrears_rows(members, date(2024, 9, 1))) == 1
    _suspend(world, date(2024, 9, 1))
    assert arrears_rows(members, date(2024, 8, 31)) == []  # five months: not yet arrears either way
    assert arrears_rows(members, date(2024, 9, 1)) == []


def test_months_of_a_stop_in_the_window_are_not_arrears_after_restoration(world):
    """Stopped 2024-04-10, restored 2024-08-20: the six months to August are not a run of unpaid months owed
    (第31条 counts months the member owed), so no arrears on 2024-09-01."""
    members = Membership.objects.current().filter(person=world.member)
    case = _suspend(world, date(2024, 4, 10))
    case.status, case.last_contact_on = "closed", date(2024, 8, 1)
    case.save()
    Decision.objects.create(
        case=case, kind="restore", decided_on=date(2024, 8, 20), decided_by="党委", document_ref="x",
        recorded_by=world.sec1,
    )  # fmt: skip
    assert arrears_rows(members, date(2024, 9, 1)) == []
