"""Dues rules at their edges: start month, base change month, arrears 5 vs 6, relief approval, voluntary ≥1000."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from dangjian.audit.models import AuditEvent
from dangjian.dues import services
from dangjian.dues.alerts import arrears_alerts
from dangjian.dues.arrears import arrears_rows
from dangjian.dues.ledger import NOT_STARTED, PAID, PARTIAL, UNPAID, WAIVED, compute, shares
from dangjian.dues.models import DuesPayment
from dangjian.people.models import Membership

pytestmark = pytest.mark.django_db


def _pay(w, m_from, m_to, amount="10", **extra):
    data = {"amount": amount, "month_from": m_from, "month_to": m_to, "paid_on": date(2026, 1, 10), **extra}
    return services.record_payment(w.sec1, w.member.pk, data)


def _line(w, month):
    members = Membership.objects.current().filter(person=w.member)
    return compute(members, [month])[month][0]


def test_dues_start_in_the_month_of_the_admitting_meeting(world):
    services.set_base(world.sec1, world.member.pk, date(2024, 1, 1), "employee", "4000")
    members = Membership.objects.current().filter(person=world.member)
    assert compute(members, [date(2024, 2, 1)])[date(2024, 2, 1)] == []  # not on February's ledger
    by_month = compute(members, [date(2024, 2, 1), date(2024, 3, 1)])
    assert by_month[date(2024, 2, 1)][0].status == NOT_STARTED
    march = _line(world, date(2024, 3, 1))  # admitted 2024-03-15: March is owed
    assert march.due == D("40.00") and march.status == UNPAID
    with pytest.raises(ValidationError, match="2024年3月"):
        _pay(world, date(2024, 2, 1), date(2024, 3, 1))
    _pay(world, date(2024, 3, 1), date(2024, 3, 1), amount="40")
    assert _line(world, date(2024, 3, 1)).status == PAID


def test_a_new_base_applies_from_the_month_the_new_pay_is_received(world):
    services.set_base(world.sec1, world.member.pk, date(2024, 3, 1), "employee", "3000")
    services.set_base(world.sec1, world.member.pk, date(2025, 7, 1), "employee", "3000.01")
    june, july = _line(world, date(2025, 6, 1)), _line(world, date(2025, 7, 1))
    assert (june.base, june.due) == (D("3000"), D("15.00"))
    assert (july.base, july.due) == (D("3000.01"), D("30.00"))
    assert "5000元及以下" in july.explanation and "党费收缴" in july.citation


def test_the_same_month_again_corrects_the_row_and_keeps_the_audit_trail(world):
    row = services.set_base(world.sec1, world.member.pk, date(2025, 1, 1), "employee", "5000")
    services.set_base(world.sec1, world.member.pk, date(2025, 1, 1), "retiree", "5000")
    row.refresh_from_db()
    assert row.category == "retiree"
    assert AuditEvent.objects.filter(object_type="dues.duesbase", object_id=str(row.pk), action="update").exists()
    assert _line(world, date(2025, 1, 1)).due == D("25.00")


def test_a_payment_over_months_is_spread_to_the_fen():
    parts = shares(D("100.00"), date(2025, 1, 1), date(2025, 3, 1))
    assert [p[1] for p in parts] == [D("33.33"), D("33.33"), D("33.34")]


def test_partial_payment_leaves_a_balance(world):
    services.set_base(world.sec1, world.member.pk, date(2024, 3, 1), "employee", "6000")  # 90.00
    _pay(world, date(2025, 1, 1), date(2025, 1, 1), amount="50")
    line = _line(world, date(2025, 1, 1))
    assert line.status == PARTIAL and line.balance == D("40.00")


def _arrears(w, today):
    return arrears_rows(Membership.objects.current().filter(person=w.member), today)


def test_five_unpaid_months_are_not_arrears_six_are(world):
    _pay(world, date(2024, 3, 1), date(2025, 4, 1), amount="140")
    # today 2025-10-xx: last complete month September; May..September is 5 months
    assert _arrears(world, date(2025, 10, 20)) == []
    rows = _arrears(world, date(2025, 11, 1))  # May..October: 6 months
    assert len(rows) == 1 and rows[0].months == 6 and rows[0].first_unpaid == date(2025, 5, 1)
    assert "第31条" in rows[0].citation


def test_arrears_count_from_the_start_month_for_a_new_member(world):
    # admitted March 2024, nothing paid: March..August is 6 months by September
    assert _arrears(world, date(2024, 8, 31)) == []
    assert _arrears(world, date(2024, 9, 1))[0].months == 6


def test_a_member_transferred_in_from_outside_owes_dues_here_from_the_month_he_arrived(world):
    from dangjian.dues.ledger import NOT_STARTED, compute
    from dangjian.people.models import Membership

    # admitted in 2018 elsewhere (paid there); his relationship arrived in the tree on 2026-06-10
    world.member.memberships.update(admitted_on=date(2018, 5, 4), started_on=date(2026, 6, 10))
    assert _arrears(world, date(2026, 11, 30)) == []  # June..October: 5 months
    rows = _arrears(world, date(2026, 12, 1))  # June..November: 6 months
    assert len(rows) == 1 and rows[0].first_unpaid == date(2026, 6, 1) and rows[0].months == 6
    members = Membership.objects.current().filter(person=world.member)
    lines = compute(members, [date(2026, 5, 1), date(2026, 6, 1)])
    assert lines[date(2026, 5, 1)][0].status == NOT_STARTED
    assert lines[date(2026, 6, 1)][0].status != NOT_STARTED


def test_an_approved_waiver_breaks_the_unpaid_run_a_pending_one_does_not(world):
    _pay(world, date(2024, 3, 1), date(2025, 4, 1), amount="140")
    relief = services.request_relief(
        world.sec1,
        world.member.pk,
        {"kind": "waive", "month_from": date(2025, 5, 1), "month_to": date(2025, 5, 1), "reason": "大病住院"},
    )
    assert len(_arrears(world, date(2025, 11, 1))) == 1
    services.decide_relief(world.committee, relief.pk, approve=True)
    assert _arrears(world, date(2025, 11, 1)) == []


def test_relief_counts_only_after_the_next_level_committee_approves(world):
    services.set_base(world.sec1, world.member.pk, date(2024, 3, 1), "employee", "6000")
    relief = services.request_relief(
        world.sec1,
        world.member.pk,
        {
            "kind": "reduce",
            "month_from": date(2025, 1, 1),
            "month_to": date(2025, 6, 1),
            "monthly_amount": "10",
            "reason": "家庭困难",
        },
    )
    assert _line(world, date(2025, 2, 1)).net_due == D("90.00")
    with pytest.raises(ValidationError, match="自己提交"):
        services.decide_relief(world.sec1, relief.pk, approve=True)
    with pytest.raises(Http404):
        services.decide_relief(world.sec2, relief.pk, approve=True)  # another branch: not even visible
    with pytest.raises(ValidationError, match="上一级党委"):
        services.decide_relief(world.general, relief.pk, approve=True)  # a 党总支 is not a 党委
    services.decide_relief(world.committee, relief.pk, approve=True)  # the 党委 above is
    line = _line(world, date(2025, 2, 1))
    assert (line.net_due, line.relief) == (D("10.00"), D("80.00"))
    assert _line(world, date(2025, 7, 1)).net_due == D("90.00")
    with pytest.raises(ValidationError, match="已批准"):
        services.decide_relief(world.office, relief.pk, approve=False, note="x")


def test_the_branch_itself_cannot_approve_even_with_another_secretary(world, django_user_model):
    from dangjian.testing import make_user

    deputy = make_user("deputy", "secretary", world.t.branch1)
    relief = services.request_relief(
        world.sec1,
        world.member.pk,
        {"kind": "waive", "month_from": date(2025, 1, 1), "month_to": date(2025, 1, 1), "reason": "困难"},
    )
    with pytest.raises(ValidationError, match="上一级党委"):
        services.decide_relief(deputy, relief.pk, approve=True)


def test_a_waived_month_owes_nothing_and_a_rejection_needs_a_reason(world):
    services.set_base(world.sec1, world.member.pk, date(2024, 3, 1), "retiree", "4000")
    relief = services.request_relief(
        world.sec1,
        world.member.pk,
        {"kind": "waive", "month_from": date(2025, 3, 1), "month_to": date(2025, 3, 1), "reason": "困难"},
    )
    with pytest.raises(ValidationError):
        services.decide_relief(world.office, relief.pk, approve=False)
    services.decide_relief(world.office, relief.pk, approve=True)
    line = _line(world, date(2025, 3, 1))
    assert line.status == WAIVED and line.net_due == D("0.00")


@pytest.mark.parametrize("amount, to_centre", [("999.99", False), ("1000.00", True)])
def test_a_single_voluntary_payment_of_1000_or_more_goes_to_the_centre(world, amount, to_centre):
    payment = services.record_payment(
        world.sec1, world.member.pk, {"kind": "voluntary", "amount": amount, "paid_on": date(2025, 6, 3)}
    )
    assert payment.to_centre is to_centre and payment.month_from == date(2025, 6, 1)
    line = _line(world, date(2025, 6, 1))
    assert line.voluntary == D(amount) and line.voluntary_to_centre == (D(amount) if to_centre else 0)
    assert line.paid == 0  # a voluntary payment does not pay the month's dues


def test_a_voided_payment_stays_in_history_but_no_longer_counts(world):
    services.set_base(world.sec1, world.member.pk, date(2024, 3, 1), "employee", "2000")
    payment = _pay(world, date(2025, 1, 1), date(2025, 1, 1), amount="10")
    with pytest.raises(ValidationError):
        services.void_payment(world.sec1, payment.pk, "")
    services.void_payment(world.sec1, payment.pk, "金额录错")
    assert _line(world, date(2025, 1, 1)).status == UNPAID
    kept = DuesPayment.all_objects.get(pk=payment.pk)
    assert kept.deleted_at is not None and kept.void_reason == "金额录错"
    with pytest.raises(PermissionError):
        kept.delete()


def test_payment_validation_messages(world):
    with pytest.raises(ValidationError, match="截止月份"):
        _pay(world, date(2025, 3, 1), date(2025, 1, 1))
    with pytest.raises(ValidationError, match="两位小数"):
        _pay(world, date(2025, 3, 1), date(2025, 3, 1), amount="1.005")
    _pay(world, date(2025, 3, 1), date(2025, 3, 1), receipt_number="R-1")
    with pytest.raises(ValidationError, match="R-1"):
        _pay(world, date(2025, 4, 1), date(2025, 4, 1), receipt_number="R-1")
    with pytest.raises(Http404):
        services.record_payment(world.sec2, world.member.pk, {"amount": "1", "paid_on": date(2025, 1, 1)})


def test_farmer_amount_is_set_by_the_branch_within_the_rule(world):
    services.set_base(world.sec1, world.member.pk, date(2024, 3, 1), "farmer", "0")
    assert _line(world, date(2025, 1, 1)).due == D("0.20")
    services.set_farmer_amount(world.sec1, world.member.pk, "0.50")
    assert _line(world, date(2025, 1, 1)).due == D("0.50")
    with pytest.raises(ValidationError, match="1.00元"):
        services.set_farmer_amount(world.sec1, world.member.pk, "1.50")


def test_arrears_alerts_reach_the_secretary_and_the_office_not_others(world):
    today = date(2026, 11, 30)
    names = {a.name for a in arrears_alerts(world.sec1, today)}
    assert "张党员" in names and "李党员" not in names
    office = arrears_alerts(world.office, today)
    assert {"张党员", "李党员"} <= {a.name for a in office}
    assert "连续" in office[0].message and office[0].url.startswith("/dues/person/")
    assert arrears_alerts(world.member_user, today) == []
    assert len(arrears_alerts(world.office, today, limit=1)) == 1


def test_arrears_alerts_use_a_constant_number_of_queries(world, django_assert_max_num_queries):
    from dangjian.testing import make_member

    today = date(2026, 11, 30)
    world.office._dangjian_assignments = None
    # the scope, the rows, and one read of the rule store for the months (dues.arrears_months) and their citation
    with django_assert_max_num_queries(4):
        arrears_alerts(world.office, today)
    for i in range(15):
        make_member(world.t.branch2, f"新党员{i}")
    fresh = type(world.office).objects.get(pk=world.office.pk)
    with django_assert_max_num_queries(4):
        assert len(arrears_alerts(fresh, today, limit=100)) >= 17


def test_the_explanation_names_the_band_and_the_rate_plainly(world):
    services.set_base(world.sec1, world.member.pk, date(2024, 3, 1), "employee", "10000.01")
    line = _line(world, date(2025, 1, 1))
    assert line.due == D("200.00") and "10000元以上档" in line.explanation and "按2%" in line.explanation
