"""The branch's month collection in one form (issue 13 §3): everyone who owes the month, pre-ticked as paid with
the computed amount, exceptions marked, a confirmation, then every payment in one transaction."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.audit.models import AuditEvent
from dangjian.dues import collection, services
from dangjian.dues.models import DuesPayment
from dangjian.testing import make_member
from dangjian.transfers.models import LostContact

pytestmark = pytest.mark.django_db

NOV = date(2026, 11, 1)
PAID_ON = date(2026, 11, 20)


@pytest.fixture
def branch(world):
    """张党员 owes 90.00 (6000 × 1.5%), 书记甲 15.00 (3000 × 0.5%) for November 2026."""
    secretary = world.sec1.person
    services.set_base(world.sec1, world.member.pk, date(2024, 3, 1), "employee", "6000")
    services.set_base(world.sec1, secretary.pk, date(2024, 3, 1), "employee", "3000")
    return world.t.branch1


def url(branch, month=NOV):
    return reverse("dues:collection", args=[branch.pk]) + f"?month={month:%Y-%m}"


def post(client, branch, data, *, confirm=False):
    payload = {"month": "2026-11", "paid_on": "2026-11-20", "method": "cash", **data}
    if confirm:
        payload["confirm"] = "1"
    return client.post(reverse("dues:collection", args=[branch.pk]), payload)


def everyone(world, **amounts):
    data = {}
    for person in (world.member, world.sec1.person):
        data[f"paid_{person.pk}"] = "1"
        data[f"amount_{person.pk}"] = amounts.get(person.name, "")
    return data


def test_the_form_lists_everyone_who_owes_ticked_as_paid_with_the_computed_amount(client, world, branch):
    client.force_login(world.sec1)
    page = client.get(url(branch)).content.decode()
    assert "张党员" in page and "书记甲" in page
    assert f'name="paid_{world.member.pk}" value="1" checked' in page
    assert f'name="amount_{world.member.pk}" value="90.00"' in page
    assert f'name="amount_{world.sec1.person.pk}" value="15.00"' in page
    assert "李党员" not in page  # branch2


def test_a_member_already_paid_is_shown_as_paid_and_not_offered(client, world, branch):
    services.record_payment(
        world.sec1, world.member.pk, {"amount": "90", "month_from": NOV, "month_to": NOV, "paid_on": PAID_ON}
    )
    client.force_login(world.sec1)
    page = client.get(url(branch)).content.decode()
    assert "张党员" in page and "已交清" in page
    assert f"paid_{world.member.pk}" not in page
    assert f"paid_{world.sec1.person.pk}" in page


def test_a_member_with_stopped_rights_is_not_on_the_list(client, world, branch):
    """停止党籍 (党员教育管理工作条例 第24条): off the month's list, as on the ledger."""
    LostContact.objects.create(
        person=world.member, branch=world.t.branch1, status="suspended", opened_on=date(2025, 1, 1),
        last_contact_on=date(2025, 1, 1), suspended_on=date(2026, 10, 1), created_by=world.sec1,
    )  # fmt: skip
    client.force_login(world.sec1)
    page = client.get(url(branch)).content.decode()
    assert "张党员" not in page
    assert "书记甲" in page


def test_a_confirmation_comes_first_then_every_payment_is_written_and_audited(client, world, branch):
    client.force_login(world.sec1)
    data = everyone(world, 张党员="90.00", 书记甲="15.00")
    first = post(client, branch, data)
    page = first.content.decode()
    assert first.status_code == 200
    assert "将登记已交 2 人，合计 ¥105.00" in page
    assert "交纳方式：现金" in page
    assert 'name="confirm"' in page
    assert not DuesPayment.objects.exists()

    events = AuditEvent.objects.count()
    done = post(client, branch, data, confirm=True)
    assert done.status_code == 302
    assert done["Location"].startswith(reverse("dues:ledger"))
    payments = DuesPayment.objects.order_by("amount")
    assert [(p.account.person.name, p.amount, p.month_from, p.month_to, p.method, p.paid_on) for p in payments] == [
        ("书记甲", Decimal("15.00"), NOV, NOV, "cash", PAID_ON),
        ("张党员", Decimal("90.00"), NOV, NOV, "cash", PAID_ON),
    ]
    assert AuditEvent.objects.count() > events
    assert AuditEvent.objects.filter(action="create", object_type="dues.duespayment").count() == 2
    # paid now: the form offers nobody
    again = client.get(url(branch)).content.decode()
    assert f"paid_{world.member.pk}" not in again and f"paid_{world.sec1.person.pk}" not in again


def test_exceptions_an_unticked_member_is_not_recorded_and_an_edited_amount_is(client, world, branch):
    client.force_login(world.sec1)
    data = {
        f"paid_{world.member.pk}": "1",
        f"amount_{world.member.pk}": "45.00",
        f"note_{world.member.pk}": "本月先交一半",
        f"amount_{world.sec1.person.pk}": "15.00",  # not ticked: 未交
    }
    page = post(client, branch, data).content.decode()
    assert "将登记已交 1 人，合计 ¥45.00" in page
    assert "未交 1 人" in page
    assert "应交 90.00" in page  # the different amount is pointed out before saving
    post(client, branch, data, confirm=True)
    payment = DuesPayment.objects.get()
    assert (payment.account.person_id, payment.amount, payment.note) == (
        world.member.pk,
        Decimal("45.00"),
        "本月先交一半",
    )


def test_a_bad_amount_is_shown_beside_its_member_and_nothing_is_confirmed(client, world, branch):
    client.force_login(world.sec1)
    data = everyone(world, 张党员="abc", 书记甲="0")
    page = post(client, branch, data, confirm=True).content.decode()
    assert "请输入有效金额" in page and "金额必须大于0" in page
    assert 'name="confirm"' not in page
    assert f'name="amount_{world.member.pk}" value="abc"' in page  # the typed values are kept
    assert not DuesPayment.objects.exists()


def test_nothing_ticked_is_refused(client, world, branch):
    client.force_login(world.sec1)
    page = post(client, branch, {}).content.decode()
    assert "没有勾选任何已交党费的党员" in page


def test_the_service_writes_all_or_nothing_with_the_reason_per_member(world, branch):
    services.record_payment(
        world.sec1, world.member.pk, {"amount": "90", "month_from": NOV, "month_to": NOV, "paid_on": PAID_ON}
    )
    entries = [
        collection.Entry(world.sec1.person.pk, Decimal("15.00")),
        collection.Entry(world.member.pk, Decimal("90.00")),  # paid meanwhile by someone else
        collection.Entry(world.other.pk, Decimal("10.00")),  # branch2: not on the list
    ]
    with pytest.raises(ValidationError) as caught:
        collection.record_collection(world.sec1, branch, NOV, paid_on=PAID_ON, method="cash", entries=entries)
    errors = caught.value.message_dict
    assert errors[str(world.member.pk)] == ["2026年11月党费已交清"]
    assert "不在2026年11月本支部应交党费名单中" in errors[str(world.other.pk)][0]
    assert str(world.sec1.person.pk) not in errors
    assert DuesPayment.objects.count() == 1  # the earlier one only


def test_the_payment_checks_are_the_single_payments(world, branch):
    """A paid-on date in the future is refused by ``record_payment`` itself, and nothing is written."""
    entries = [collection.Entry(world.member.pk, Decimal("90.00"))]
    with pytest.raises(ValidationError) as caught:
        collection.record_collection(world.sec1, branch, NOV, paid_on=date(2099, 1, 1), method="cash", entries=entries)
    assert "交纳日期不能晚于今天" in caught.value.message_dict[str(world.member.pk)]
    assert not DuesPayment.objects.exists()


def test_an_out_of_scope_branch_is_not_found(client, world, branch):
    client.force_login(world.sec2)
    assert client.get(url(branch)).status_code == 404
    assert post(client, branch, everyone(world, 张党员="90", 书记甲="15"), confirm=True).status_code == 404
    assert not DuesPayment.objects.exists()


def test_a_member_cannot_open_the_collection(client, world, branch):
    client.force_login(world.member_user)
    assert client.get(url(branch)).status_code in (403, 404)


def test_the_form_takes_a_constant_number_of_queries(client, world, branch, django_assert_max_num_queries):
    client.force_login(world.sec1)
    client.get(url(branch))  # warm the session and the rule tables
    with CaptureQueriesContext(connection) as small:
        assert client.get(url(branch)).status_code == 200
    for i in range(15):
        person = make_member(branch, f"党员{i:02d}")
        services.set_base(world.sec1, person.pk, date(2024, 3, 1), "employee", str(2000 + 500 * i))
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url(branch))
    assert page.content.decode().count('type="checkbox"') == 17


def test_the_picker_takes_a_one_branch_secretary_to_the_branch(client, world, branch):
    client.force_login(world.sec1)
    response = client.get(reverse("dues:collection_pick"))
    assert response.status_code == 302
    assert response["Location"] == reverse("dues:collection", args=[branch.pk])
    chosen = client.get(reverse("dues:collection_pick"), {"org": branch.pk, "month": "2026-11"})
    assert chosen["Location"] == url(branch)


def test_the_office_picks_among_its_branches(client, world, branch):
    client.force_login(world.office)
    page = client.get(reverse("dues:collection_pick")).content.decode()
    assert world.t.branch1.name in page and world.t.branch2.name in page
    assert client.get(url(branch)).status_code == 200


def test_a_partly_paid_member_is_offered_the_rest(client, world, branch):
    services.record_payment(
        world.sec1, world.member.pk, {"amount": "40", "month_from": NOV, "month_to": NOV, "paid_on": PAID_ON}
    )
    client.force_login(world.sec1)
    page = client.get(url(branch)).content.decode()
    assert f'name="amount_{world.member.pk}" value="50.00"' in page


def test_back_from_the_confirmation_keeps_what_was_entered(client, world, branch):
    client.force_login(world.sec1)
    data = {f"paid_{world.member.pk}": "1", f"amount_{world.member.pk}": "45.00", "edit": "1"}
    page = post(client, branch, data).content.decode()
    assert 'name="confirm"' not in page
    assert f'name="amount_{world.member.pk}" value="45.00"' in page
    assert f'name="paid_{world.member.pk}" value="1" checked' in page
    assert f'name="paid_{world.sec1.person.pk}" value="1" checked' not in page  # left unticked
    assert not DuesPayment.objects.exists()
