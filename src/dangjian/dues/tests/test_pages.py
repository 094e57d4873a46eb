"""Dues pages: amounts carry their rule, a member sees only their own dues, export reopened, constant queries."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.dues import services
from dangjian.dues.models import DuesBase, DuesPayment, DuesRelief
from dangjian.sheets.testing import INJECTION, assert_written_as_text, list_rows, notes
from dangjian.testing import make_member

pytestmark = pytest.mark.django_db


def _setup_member(w, person, base="4000"):
    services.set_base(w.office, person.pk, date(2024, 3, 1), "employee", base)


def test_ledger_shows_each_amount_with_the_rule_that_produced_it(client, world):
    _setup_member(world, world.member)
    client.force_login(world.sec1)
    page = client.get(reverse("dues:ledger"), {"month": "2025-06"}).content.decode()
    assert "张党员" in page and "40.00" in page
    assert "5000元及以下档" in page and "党费收缴、使用和管理的规定" in page
    assert "李党员" not in page  # another branch


def test_ledger_filters_by_status_and_name(client, world):
    _setup_member(world, world.member)
    services.record_payment(
        world.sec1,
        world.member.pk,
        {"amount": "40", "month_from": date(2025, 6, 1), "month_to": date(2025, 6, 1), "paid_on": date(2025, 6, 2)},
    )
    client.force_login(world.office)
    paid = client.get(reverse("dues:ledger"), {"month": "2025-06", "status": "paid"}).content.decode()
    assert "张党员" in paid and "李党员" not in paid
    unpaid = client.get(reverse("dues:ledger"), {"month": "2025-06", "status": "no_base"}).content.decode()
    assert "李党员" in unpaid and "张党员" not in unpaid
    assert "李党员" not in client.get(reverse("dues:ledger"), {"month": "2025-06", "q": "张"}).content.decode()
    sub = client.get(reverse("dues:ledger"), {"month": "2025-06", "org": world.t.branch2.pk}).content.decode()
    assert "李党员" in sub and "张党员" not in sub


def test_a_member_sees_only_their_own_dues(client, world):
    _setup_member(world, world.member)
    _setup_member(world, world.other)
    client.force_login(world.member_user)
    assert client.get(reverse("dues:ledger")).url == reverse("dues:person", args=[world.member.pk])
    own = client.get(reverse("dues:person", args=[world.member.pk]))
    assert own.status_code == 200 and "40.00" in own.content.decode()
    assert "登记交纳" not in own.content.decode()  # reading only
    assert client.get(reverse("dues:person", args=[world.other.pk])).status_code == 404
    assert client.get(reverse("dues:payment_new", args=[world.member.pk])).status_code == 404


def test_recording_a_payment_through_the_page(client, world):
    _setup_member(world, world.member)
    client.force_login(world.sec1)
    url = reverse("dues:payment_new", args=[world.member.pk])
    bad = client.post(
        url,
        {
            "kind": "regular",
            "month_from": "2025-03",
            "month_to": "2025-01",
            "amount": "40",
            "method": "cash",
            "paid_on": "2025-03-05",
        },
    )
    assert bad.status_code == 200 and "截止月份不能早于起始月份" in bad.content.decode()
    ok = client.post(
        url,
        {
            "kind": "regular",
            "month_from": "2025-01",
            "month_to": "2025-03",
            "amount": "120",
            "method": "cash",
            "paid_on": "2025-03-05",
            "receipt_number": "A001",
        },
    )
    assert ok.status_code == 302
    payment = DuesPayment.objects.get()
    assert (payment.month_from, payment.month_to, payment.recorded_by) == (
        date(2025, 1, 1),
        date(2025, 3, 1),
        world.sec1,
    )
    void_url = reverse("dues:payment_void", args=[payment.pk])
    assert client.post(void_url, {"reason": "重复登记"}).status_code == 302
    page = client.get(reverse("dues:person", args=[world.member.pk])).content.decode()
    assert "已作废" in page and "重复登记" in page


def test_voluntary_payment_of_1000_is_shown_as_going_to_the_centre(client, world):
    services.record_payment(
        world.sec1, world.member.pk, {"kind": "voluntary", "amount": "1000", "paid_on": date(2025, 5, 1)}
    )
    client.force_login(world.sec1)
    assert "全额上缴中央" in client.get(reverse("dues:person", args=[world.member.pk])).content.decode()


def test_relief_request_and_approval_through_the_pages(client, world):
    client.force_login(world.sec1)
    url = reverse("dues:relief_new", args=[world.member.pk])
    response = client.post(url, {"kind": "waive", "month_from": "2025-01", "month_to": "2025-02", "reason": "大病"})
    assert response.status_code == 302
    relief = DuesRelief.objects.get()
    listing = client.get(reverse("dues:reliefs")).content.decode()
    assert "待上一级党委审批" in listing  # sec1 cannot decide its own branch's request
    client.force_login(world.committee)
    assert 'name="decision"' in client.get(reverse("dues:reliefs")).content.decode()
    client.post(reverse("dues:relief_decide", args=[relief.pk]), {"decision": "approve", "note": ""})
    relief.refresh_from_db()
    assert relief.status == "approved" and relief.decided_by == world.committee


def test_base_page_sets_category_base_and_farmer_amount(client, world):
    client.force_login(world.sec1)
    url = reverse("dues:base_set", args=[world.member.pk])
    assert (
        client.post(
            url, {"month": "2025-04", "category": "farmer", "monthly_base": "0", "farmer_amount": "0.80"}
        ).status_code
        == 302
    )
    base = DuesBase.objects.get()
    assert (base.month, base.category, base.account.farmer_amount) == (
        date(2025, 4, 1),
        "farmer",
        base.account.farmer_amount,
    )
    assert str(base.account.farmer_amount) == "0.80"


def test_import_page_dry_run_then_write(client, world):
    from .test_paysheet import _xlsx

    m = world.member
    client.force_login(world.sec1)
    data = _xlsx([(m.id_number, m.name, "2025-01", "8000", "")])
    upload = io.BytesIO(data)
    upload.name = "pay.xlsx"
    page = client.post(reverse("dues:import"), {"file": upload, "dry_run": "on"}).content.decode()
    assert "预检完成" in page and "120.00" in page and not DuesBase.objects.exists()
    upload = io.BytesIO(data)
    upload.name = "pay.xlsx"
    client.post(reverse("dues:import"), {"file": upload})
    assert DuesBase.objects.get().monthly_base == 8000
    template = client.get(reverse("dues:import_template"))
    assert list_rows(template.content)[0][0] == "公民身份号码"


def test_export_reopens_with_each_line_and_the_branch_totals(client, world):
    _setup_member(world, world.member, "6000")
    _setup_member(world, world.other, "3000")
    services.record_payment(
        world.sec1,
        world.member.pk,
        {"amount": "90", "month_from": date(2025, 6, 1), "month_to": date(2025, 6, 1), "paid_on": date(2025, 6, 2)},
    )
    client.force_login(world.office)
    response = client.get(reverse("dues:export"), {"month": "2025-06"})
    rows = list_rows(response.content, "党费明细")
    assert rows[0][:6] == ("党支部", "姓名", "月份", "党费类别", "月缴费基数", "应交（元）")
    by_name = {r[1]: r for r in rows[1:]}
    assert by_name["张党员"][5] == 90 and by_name["张党员"][8] == 90 and by_name["张党员"][10] == "已交清"
    assert by_name["李党员"][5] == 15 and by_name["李党员"][9] == 15
    # each row shows its own computation and refers to the rule, which is cited once under the table
    assert by_name["李党员"][6].endswith("［1］") and "党费收缴" not in by_name["李党员"][6]
    (rule,) = notes(response.content, "党费明细")
    assert rule.startswith("［1］计算依据：") and "党费收缴" in rule
    summary = list_rows(response.content, "汇总")
    total = summary[-1]
    assert total[0] == "合计" and total[2] == 105 and total[4] == 90 and total[5] == 15
    assert summary[0][1] == "党员数"  # one month: the members
    year = client.get(reverse("dues:export"), {"period": "year", "year": "2025"})
    book = load_workbook(io.BytesIO(year.content))
    assert book["汇总"]["A1"].value == "2025年党费汇总"  # the title row
    # a year counts person-months, not members; amounts are written as 0.00, not General
    assert list_rows(year.content, "汇总")[0][1] == "应交人月"
    amounts = [c for row in book["汇总"].iter_rows(min_row=3, min_col=4, max_col=9) for c in row if c.value is not None]
    assert amounts and {c.number_format for c in amounts} == {"0.00"}
    detail = book["党费明细"]
    assert detail.page_setup.orientation == "landscape" and detail.print_title_rows == "$2:$2"


def test_summary_and_arrears_pages(client, world):
    _setup_member(world, world.member)
    client.force_login(world.office)
    month = client.get(reverse("dues:summary"), {"month": "2025-06"}).content.decode()
    assert "一支部" in month and "合计" in month
    year = client.get(reverse("dues:summary"), {"period": "year", "year": "2025"}).content.decode()
    assert "2025年党费汇总" in year
    arrears = client.get(reverse("dues:arrears")).content.decode()
    assert "张党员" in arrears and "第31条" in arrears


def _grow(w, n):
    for i in range(n):
        p = make_member(w.t.branch1, f"扩充{i}")
        services.set_base(w.office, p.pk, date(2024, 3, 1), "employee", "5000")
        services.record_payment(
            w.office,
            p.pk,
            {"amount": "50", "month_from": date(2025, 6, 1), "month_to": date(2025, 6, 1), "paid_on": date(2025, 6, 2)},
        )
        services.request_relief(
            w.office,
            p.pk,
            {"kind": "waive", "month_from": date(2025, 1, 1), "month_to": date(2025, 1, 1), "reason": "x"},
        )


@pytest.mark.parametrize(
    "name, params",
    [
        ("dues:ledger", {"month": "2025-06"}),
        ("dues:arrears", {}),
        ("dues:summary", {"month": "2025-06"}),
        ("dues:summary", {"period": "year", "year": "2025"}),
        ("dues:reliefs", {"status": "all"}),
        ("dues:export", {"month": "2025-06"}),
    ],
)
def test_list_pages_use_the_same_number_of_queries_at_two_sizes(client, world, name, params):
    client.force_login(world.office)
    url = reverse(name)
    _grow(world, 2)
    client.get(url, params)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url, params).status_code == 200
    _grow(world, 8)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url, params).status_code == 200
    assert len(small) == len(large), name


def test_person_page_queries_do_not_grow_with_history(client, world):
    client.force_login(world.sec1)
    url = reverse("dues:person", args=[world.member.pk])
    _setup_member(world, world.member)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for month in range(1, 10):
        services.record_payment(
            world.sec1,
            world.member.pk,
            {
                "amount": "40",
                "month_from": date(2025, month, 1),
                "month_to": date(2025, month, 1),
                "paid_on": date(2025, 10, 1),
            },
        )
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(small) == len(large)


def test_person_page_starts_at_the_first_record_when_there_is_one(client, world):
    services.set_base(world.office, world.member.pk, date(2025, 9, 1), "employee", "4000")
    client.force_login(world.sec1)
    page = client.get(reverse("dues:person", args=[world.member.pk])).content.decode()
    assert "2025-09" in page and "2025-08" not in page


def test_export_writes_a_formula_like_name_as_text(client, world):
    world.member.name = INJECTION
    world.member.save()
    _setup_member(world, world.member, "6000")
    client.force_login(world.office)
    assert_written_as_text(client.get(reverse("dues:export"), {"month": "2025-06"}).content)
