"""Odd but possible input gets a Chinese validation message, never a 500: months before the 2008 regulation,
far-future months, huge amounts, endless relief periods."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import Workbook

from dangjian.dues import services
from dangjian.dues.models import DuesBase
from dangjian.dues.paysheet import COLUMNS, import_pay_sheet
from dangjian.dues.rules import monthly_dues

pytestmark = pytest.mark.django_db


def _relief(world, **kw):
    data = {"kind": "waive", "month_from": date(2025, 1, 1), "month_to": date(2025, 6, 1), "reason": "大病", **kw}
    return services.request_relief(world.sec1, world.member.pk, data)


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"month_from": date(1, 1, 1), "month_to": date(9999, 12, 1)}, "month_from"),
        ({"month_from": date(2025, 1, 1), "month_to": date(2027, 1, 1)}, "month_to"),  # 25 months
        ({"month_from": date(2023, 1, 1), "month_to": date(2023, 6, 1)}, "month_from"),  # before admission
    ],
)
def test_relief_periods_are_bounded(world, changes, field):
    with pytest.raises(ValidationError) as exc:
        _relief(world, **changes)
    assert field in exc.value.message_dict


def test_relief_of_24_months_from_the_start_month_is_accepted(world):
    assert _relief(world, month_from=date(2024, 3, 1), month_to=date(2026, 2, 1)).pk


def test_months_before_the_2008_regulation_and_huge_amounts_are_refused(world):
    with pytest.raises(ValidationError, match="2008年4月"):
        services.set_base(world.sec1, world.member.pk, date(2007, 1, 1), "employee", "5000")
    with pytest.raises(ValidationError, match="金额过大"):
        services.set_base(world.sec1, world.member.pk, date(2025, 1, 1), "employee", "123456789012")
    voluntary = {"kind": "voluntary", "amount": "1000", "paid_on": date(2005, 1, 1), "method": "cash"}
    with pytest.raises(ValidationError) as exc:
        services.record_payment(world.sec1, world.member.pk, voluntary)
    assert "paid_on" in exc.value.message_dict


def test_a_signed_zero_base_owes_zero_not_minus_zero():
    assert str(monthly_dues("employee", D("-0"))) == "0.00"


def test_pages_with_months_before_2008_answer_with_a_form_error(client, world):
    client.force_login(world.office)
    for url in (
        reverse("dues:ledger") + "?month=2007-01",
        reverse("dues:summary") + "?month=2007-01",
        reverse("dues:summary") + "?period=year&year=2018",
        reverse("dues:summary") + "?month=2019-01",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("dues:export") + "?month=2018-06").status_code == 200


def test_a_refused_farmer_amount_leaves_the_base_unsaved(client, world):
    client.force_login(world.sec1)
    url = reverse("dues:base_set", args=[world.member.pk])
    data = {"month": "2026-01", "category": "farmer", "monthly_base": "0", "farmer_amount": "5.00"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert not DuesBase.objects.filter(account__person=world.member).exists()


def test_pay_sheet_rows_before_2008_or_with_huge_bases_are_row_errors(world):
    m = world.member
    wb = Workbook()
    ws = wb.active
    ws.append(list(COLUMNS))
    ws.append([m.id_number, m.name, "2005-03", 5000, "在职"])
    ws.append([m.id_number, m.name, "2025-02", 123456789012, "在职"])
    ws.append([m.id_number, m.name, "2025-03", "1e20", "在职"])
    out = io.BytesIO()
    wb.save(out)
    report = import_pay_sheet(out.getvalue(), "pay.xlsx", user=world.sec1)
    assert sorted(e.row for e in report.errors) == [2, 3, 4]
    assert not DuesBase.objects.exists()


def test_an_export_beyond_the_row_limit_is_refused_with_advice(client, world, monkeypatch):
    from dangjian.dues.views import ledger

    monkeypatch.setattr(ledger, "EXPORT_MAX_ROWS", 5)
    client.force_login(world.office)
    response = client.get(reverse("dues:export") + "?period=year&year=2025", follow=True)
    assert response.redirect_chain and "超过单次导出上限" in response.content.decode()
