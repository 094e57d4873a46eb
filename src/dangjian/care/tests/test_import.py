"""Importing care events from .xlsx: every bad row with row and column, all or nothing, dry run."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.care.importing import COLUMNS, build_template, import_events
from dangjian.care.models import CareEvent, Obligation
from dangjian.people.roster.report import RosterFileError

pytestmark = pytest.mark.django_db


def xlsx(rows, header=COLUMNS) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_template_has_the_columns_and_a_kind_dropdown(care_world):
    wb = openpyxl.load_workbook(io.BytesIO(build_template()))
    ws = wb["关怀事件"]
    assert [c.value for c in ws[1]] == list(COLUMNS)
    assert "生病住院" in ws.data_validations.dataValidation[0].formula1


def test_valid_file_records_every_event_with_its_obligations(care_world):
    w = care_world
    day = timezone.localdate() - timedelta(days=2)
    data = xlsx([("甲", w.jia.id_number, "生病住院", day, "住院"), ("乙", w.yi.id_number, "结婚", day.isoformat(), "")])
    dry = import_events(w.sec1, data, "e.xlsx", dry_run=True)
    assert dry.ok and dry.created == 2 and CareEvent.objects.count() == 0
    report = import_events(w.sec1, data, "e.xlsx")
    assert report.ok and report.created == 2 and report.obligations == 2
    assert set(CareEvent.objects.values_list("source", flat=True)) == {"import"}


def test_every_bad_row_is_reported_with_row_and_column_and_nothing_is_written(care_world):
    w = care_world
    day = timezone.localdate()
    data = xlsx(
        [
            ("甲", w.jia.id_number, "生病住院", day, ""),  # row 2: fine
            ("错名", w.jia.id_number, "生病住院", day, ""),  # row 3: name differs
            ("丙", w.bing.id_number, "生病住院", day, ""),  # row 4: outside sec1's scope
            ("乙", w.yi.id_number, "升职", day, ""),  # row 5: unknown kind
            ("乙", w.yi.id_number, "结婚", "2026-02-30", ""),  # row 6: no such date
            ("乙", "", "结婚", "", ""),  # row 7: two required cells empty
        ]
    )
    report = import_events(w.sec1, data, "e.xlsx")
    got = {(e.row, e.column) for e in report.errors}
    assert got == {
        (3, "姓名"),
        (4, "公民身份号码"),
        (5, "事件类型"),
        (6, "发生日期"),
        (7, "公民身份号码"),
        (7, "发生日期"),
    }
    assert all(str(e).startswith(f"第{e.row}行 [{e.column}]") for e in report.errors)
    assert "未写入任何数据" in report.summary()
    assert CareEvent.objects.count() == 0 and Obligation.objects.count() == 0


def test_wrong_headers_and_file_types_are_file_errors(care_world):
    w = care_world
    with pytest.raises(RosterFileError, match="缺少列「事件类型」"):
        import_events(
            w.sec1, xlsx([("甲", "1", "2026-01-01", "")], ("姓名", "公民身份号码", "发生日期", "情况说明")), "a.xlsx"
        )
    with pytest.raises(RosterFileError):
        import_events(w.sec1, b"abc", "a.txt")


def test_import_page_shows_every_error(client, care_world):
    w = care_world
    client.force_login(w.sec1)
    assert client.get(reverse("care:template"))["Content-Type"].startswith("application/vnd.openxml")
    upload = io.BytesIO(xlsx([("错名", w.jia.id_number, "生病住院", timezone.localdate(), "")]))
    upload.name = "e.xlsx"
    page = client.post(reverse("care:import"), {"file": upload}).content.decode()
    assert "与系统中的姓名「甲」不一致" in page and "<td>2</td><td>姓名</td>" in page
    assert CareEvent.objects.count() == 0


def test_the_care_list_terms_are_read_once_for_a_whole_file(care_world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = care_world
    day = timezone.localdate() - timedelta(days=1)
    rows = [("甲", w.jia.id_number, "生病住院", day - timedelta(days=i), "") for i in range(5)]
    with CaptureQueriesContext(connection) as ctx:
        report = import_events(w.sec1, xlsx(rows), "e.xlsx")
    assert report.ok and report.obligations == 5
    assert sum("rules_ruleversion" in q["sql"] for q in ctx.captured_queries) == 1
