"""The payroll-deduction import (工资代扣, issue 13 §3): all or nothing, every bad row reported by row and column,
a dry run first, payments recorded with method payroll."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.audit.models import AuditEvent
from dangjian.dues import payroll_import, services
from dangjian.dues.models import DuesPayment
from dangjian.people.models import Person
from dangjian.sheets import SheetError
from dangjian.testing import make_member

pytestmark = pytest.mark.django_db

NOV = date(2026, 11, 1)
PAID_ON = date(2026, 11, 25)
HEADER = ["姓名", "身份证号后6位", "月份", "金额"]


@pytest.fixture
def people(world):
    """张党员 owes 90.00 a month (6000 × 1.5%), 书记甲 15.00 (3000 × 0.5%)."""
    services.set_base(world.sec1, world.member.pk, date(2024, 3, 1), "employee", "6000")
    services.set_base(world.sec1, world.sec1.person.pk, date(2024, 3, 1), "employee", "3000")
    return world


def xlsx(rows, header=HEADER, sheet="工资代扣") -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def run(world, data: bytes, *, dry_run=False, name="代扣.xlsx"):
    return payroll_import.import_payroll(world.sec1, data, name, paid_on=PAID_ON, dry_run=dry_run)


def errors(report):
    return {(e.row, e.column): e.message for e in report.errors}


def test_the_template_from_the_shared_writer_reads_back(people):
    from dangjian.sheets import find_header, read_rows

    template = payroll_import.build_template()
    raw = read_rows(template, "t.xlsx", sheet="工资代扣")
    header = raw[find_header(raw)]
    assert [h for h in header if h] == ["姓名", "身份证号后6位", "工号", "月份", "金额"]
    # the template filled in and imported: the title row above the header is skipped
    wb = load_workbook(io.BytesIO(template))
    ws = wb["工资代扣"]
    ws.append(["张党员", "", "", "2026-11", 90])
    out = io.BytesIO()
    wb.save(out)
    report = run(people, out.getvalue(), dry_run=True)
    assert report.ok, report.errors
    assert [(p.name, p.month, p.amount) for p in report.preview] == [("张党员", NOV, Decimal("90.00"))]


def test_the_template_downloads(client, people):
    client.force_login(people.sec1)
    response = client.get(reverse("dues:payroll_template"))
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content))["工资代扣"]


def test_a_dry_run_previews_and_writes_nothing_then_the_real_run_records_payroll_payments(people):
    data = xlsx([["张党员", "", "2026-11", 90], ["书记甲", "", "2026年11月", "15.00"]])
    preview = run(people, data, dry_run=True)
    assert preview.ok and len(preview.preview) == 2 and preview.total == Decimal("105.00")
    assert "将登记2笔" in preview.summary()
    assert not DuesPayment.objects.exists()

    report = run(people, data)
    assert report.ok and report.created == 2
    assert "已登记2笔" in report.summary() and "¥105.00" in report.summary()
    rows = DuesPayment.objects.order_by("amount").values_list("amount", "month_from", "month_to", "method", "paid_on")
    assert list(rows) == [
        (Decimal("15.00"), NOV, NOV, "payroll", PAID_ON),
        (Decimal("90.00"), NOV, NOV, "payroll", PAID_ON),
    ]
    assert AuditEvent.objects.filter(object_type="dues.duespayment", action="create").count() == 2


def test_every_bad_row_is_reported_by_row_and_column_and_nothing_is_written(people):
    services.record_payment(
        people.sec1, people.member.pk, {"amount": "90", "month_from": NOV, "month_to": NOV, "paid_on": PAID_ON}
    )
    data = xlsx(
        [
            ["书记甲", "", "2026-10", 15],  # row 2: fine
            ["王无人", "", "2026-11", 15],  # 3: unknown
            ["李党员", "", "2026-11", 15],  # 4: branch2, outside sec1's scope: the same message as unknown
            ["张党员", "", "2026-11", 90],  # 5: already paid
            ["书记甲", "", "2026-11", 20],  # 6: not the computed 15.00
            ["书记甲", "", "十一月", 15],  # 7: month unreadable
            ["书记甲", "", "2026-10", 15],  # 8: the same as row 2
            ["书记甲", "12", "2026-09", 15],  # 9: not six characters
            ["书记甲", "", "2026-08", -3],  # 10: negative
        ]
    )
    report = run(people, data)
    found = errors(report)
    assert not report.ok and 2 not in {row for row, _c in found}
    assert found[(3, "姓名")] == "您管理范围内没有姓名为「王无人」的在册党员"
    assert found[(4, "姓名")] == "您管理范围内没有姓名为「李党员」的在册党员"
    assert found[(5, "月份")] == "2026年11月党费已交清"
    assert "与2026年11月应交的 15.00 元不一致" in found[(6, "金额")] and "基数" in found[(6, "金额")]
    assert "无法识别的月份" in found[(7, "月份")]
    assert "与第2行重复" in found[(8, "月份")]
    assert "最后6位" in found[(9, "身份证号后6位")]
    assert "金额必须大于0" in found[(10, "金额")]
    assert "未写入任何数据" in report.summary()
    assert DuesPayment.objects.count() == 1  # the one paid before


def test_namesakes_need_the_id_number_end(people):
    twin = make_member(people.t.branch1, "张党员")
    services.set_base(people.sec1, twin.pk, date(2024, 3, 1), "employee", "4000")  # 40.00
    ambiguous = run(people, xlsx([["张党员", "", "2026-11", 90]]), dry_run=True)
    assert "有2名党员姓名为「张党员」" in errors(ambiguous)[(2, "姓名")]

    wrong = run(people, xlsx([["张党员", "99999Y", "2026-11", 90]]), dry_run=True)
    assert (2, "身份证号后6位") in errors(wrong)

    mine = people.member.id_number[-6:]
    theirs = twin.id_number[-6:]
    report = run(people, xlsx([["张党员", mine, "2026-11", 90], ["张党员", theirs, "2026-11", 40]]))
    assert report.ok, report.errors
    assert set(DuesPayment.objects.values_list("account__person_id", "amount")) == {
        (people.member.pk, Decimal("90.00")),
        (twin.pk, Decimal("40.00")),
    }


def test_an_id_end_with_leading_zeros_typed_as_a_number_is_padded(people):
    Person.all_objects.filter(pk=people.member.pk).update(id_number=people.member.id_number[:12] + "001234")
    report = run(people, xlsx([["张党员", 1234, "2026-11", 90]]), dry_run=True)
    assert report.ok, report.errors


def test_a_month_before_the_member_was_admitted_owes_nothing(people):
    report = run(people, xlsx([["张党员", "", "2024-02", 90]]))  # admitted 2024-03-15
    assert "尚未开始交纳党费" in errors(report)[(2, "月份")]


def test_a_member_with_stopped_rights_owes_nothing_for_the_month(people):
    """停止党籍 (党员教育管理工作条例 第24条) from 2026-10-01: November is not owed, as on the ledger."""
    from dangjian.transfers.models import LostContact

    LostContact.objects.create(
        person=people.member, branch=people.t.branch1, status="suspended", opened_on=date(2025, 1, 1),
        last_contact_on=date(2025, 1, 1), suspended_on=date(2026, 10, 1), created_by=people.sec1,
    )  # fmt: skip
    report = run(people, xlsx([["张党员", "", "2026-11", 90]]))
    assert errors(report)[(2, "月份")] == "该党员2026年11月停止党籍，不交纳党费"
    assert not DuesPayment.objects.exists()


def test_the_employee_number_column_when_people_carry_one(people, monkeypatch):
    without = run(people, xlsx([["张党员", "E1", "2026-11", 90]], header=["姓名", "工号", "月份", "金额"]))
    if not payroll_import.has_employee_no():
        assert errors(without)[(2, "工号")] == "系统未登记工号，请改填身份证号后6位"
        monkeypatch.setattr(payroll_import, "has_employee_no", lambda: True)
        monkeypatch.setattr(Person, "employee_no", property(lambda p: f"E{p.pk}"), raising=False)
    else:
        Person.all_objects.filter(pk=people.member.pk).update(employee_no=f"E{people.member.pk}")
    twin = make_member(people.t.branch1, "张党员")
    services.set_base(people.sec1, twin.pk, date(2024, 3, 1), "employee", "4000")
    header = ["姓名", "工号", "月份", "金额"]
    report = run(people, xlsx([["张党员", f"E{people.member.pk}", "2026-11", 90]], header=header), dry_run=True)
    assert report.ok, report.errors
    assert report.preview[0].person_id == people.member.pk


def test_csv_is_read_too(people):
    data = "\ufeff姓名,身份证号后6位,月份,金额\n书记甲,,2026-11,15\n".encode()
    report = run(people, data, name="代扣.csv")
    assert report.ok and report.created == 1


def test_a_file_past_the_shared_limits_is_refused_as_a_whole(people, settings):
    settings.SHEETS_MAX_ROWS = 3
    with pytest.raises(SheetError):
        run(people, xlsx([["书记甲", "", f"2026-{m:02d}", 15] for m in range(1, 10)]))


def test_a_missing_column_names_it(people):
    with pytest.raises(SheetError) as caught:
        run(people, xlsx([["书记甲", "2026-11"]], header=["姓名", "月份"]))
    assert "「金额」" in str(caught.value)


def test_the_page_previews_then_writes(client, people):
    client.force_login(people.sec1)
    data = xlsx([["书记甲", "", "2026-11", 15]])
    page = client.post(
        reverse("dues:payroll"),
        {"file": SimpleUploadedFile("代扣.xlsx", data), "paid_on": "2026-11-25", "dry_run": "on"},
    )
    assert page.status_code == 200
    assert "预检通过" in page.content.decode() and "书记甲" in page.content.decode()
    assert not DuesPayment.objects.exists()
    done = client.post(
        reverse("dues:payroll"), {"file": SimpleUploadedFile("代扣.xlsx", data), "paid_on": "2026-11-25"}
    )
    assert done.status_code == 302
    assert DuesPayment.objects.get().method == "payroll"


def test_the_page_shows_the_row_errors(client, people):
    client.force_login(people.sec1)
    data = xlsx([["王无人", "", "2026-11", 15]])
    page = client.post(
        reverse("dues:payroll"), {"file": SimpleUploadedFile("代扣.xlsx", data), "paid_on": "2026-11-25"}
    )
    body = page.content.decode()
    assert "第3行" not in body and "第2行" in body and "王无人" in body
    assert not DuesPayment.objects.exists()


def test_another_branchs_secretary_cannot_pay_for_branch1(people):
    """sec2 uploads branch1's members: not found in their scope, nothing written."""
    report = payroll_import.import_payroll(
        people.sec2, xlsx([["书记甲", "", "2026-11", 15]]), "x.xlsx", paid_on=PAID_ON
    )
    assert errors(report)[(2, "姓名")] == "您管理范围内没有姓名为「书记甲」的在册党员"
    assert not DuesPayment.objects.exists()


def test_a_payment_entered_after_the_dry_run_is_refused_by_the_real_run(people):
    """The real run checks again, inside its transaction with the accounts locked: never a month paid twice."""
    data = xlsx([["张党员", "", "2026-11", 90], ["书记甲", "", "2026-11", 15]])
    assert run(people, data, dry_run=True).ok
    services.record_payment(
        people.sec1, people.member.pk, {"amount": "90", "month_from": NOV, "month_to": NOV, "paid_on": PAID_ON}
    )
    report = run(people, data)
    assert errors(report) == {(2, "月份"): "2026年11月党费已交清"}
    assert DuesPayment.objects.count() == 1
