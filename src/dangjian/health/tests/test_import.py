"""Checkup import: every bad value with row and column, units, scope, all or nothing, replacement, audit."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook

from dangjian.audit.models import AuditEvent
from dangjian.core import context
from dangjian.health.fields import FIELDS
from dangjian.health.importer import import_checkups
from dangjian.health.layout import build_template, layout_of, template_layout
from dangjian.health.models import Checkup, ColumnMapping
from dangjian.idgen import make_id_number
from dangjian.people.roster.report import RosterFileError
from dangjian.testing import make_member

from .sheets import HEADERS, full_row, workbook

pytestmark = pytest.mark.django_db
UNKNOWN = make_id_number(date(1990, 1, 1), "M", serial=499, region="110105")


def run(user, data, *, layout=None, year=2026, dry_run=False):
    with context.acting(user):
        return import_checkups(data, "体检.xlsx", layout or template_layout(), year=year, user=user, dry_run=dry_run)


def errors_of(report) -> set[tuple[int, str]]:
    return {(e.row, e.column) for e in report.errors}


def test_a_valid_sheet_is_written_encrypted_in_canonical_units(world):
    report = run(world["ho1"], workbook([full_row(world["p1"])]))
    assert report.ok and (report.created, report.replaced) == (1, 0)
    values = Checkup.objects.get(person=world["p1"], year=2026).values()
    assert values["sbp_mmhg"] == 145 and values["total_cholesterol_mmol_l"] == 5.2
    assert values["north"] is True and values["h_pylori_positive"] is False and values["fit_result"] == "negative"
    assert "pg1_ng_ml" not in values  # blank cells are missing, not zero


def test_every_bad_value_is_reported_with_its_row_and_column_and_nothing_is_written(world):
    t, p1 = world["t"], world["p1"]
    p3 = make_member(t.branch1, "王三")
    rows = [
        full_row(p1, **{"收缩压(mmHg)": 250, "目前吸烟": "偶尔"}),  # row 2
        full_row(p3, **{"姓名": "王五", "腰围(cm)": "八十", "体检日期": "2025-12-31"}),  # row 3
        full_row(p1),  # row 4: p1 again
        full_row(world["p2"]),  # row 5: branch2, outside ho1's scope
        full_row(p1, **{"公民身份号码": "110105198506150000"}),  # row 6: bad check digit
        full_row(p3, **{"公民身份号码": UNKNOWN, "粪便免疫化学检测（FIT）": "弱阳"}),  # row 7: unknown
    ]
    report = run(world["ho1"], workbook(rows))
    assert errors_of(report) == {
        (2, "收缩压(mmHg)"),
        (2, "目前吸烟"),
        (3, "姓名"),
        (3, "腰围(cm)"),
        (3, "体检日期"),
        (4, "公民身份号码"),
        (5, "公民身份号码"),
        (6, "公民身份号码"),
        (7, "公民身份号码"),
        (7, "粪便免疫化学检测（FIT）"),
    }
    messages = {(e.row, e.column): e.message for e in report.errors}
    assert "70–200 mmHg" in messages[(2, "收缩压(mmHg)")]
    assert "与第2行是同一人" in messages[(4, "公民身份号码")]
    assert messages[(5, "公民身份号码")] == messages[(7, "公民身份号码")]  # out of scope reads as unknown
    assert "2026年度" in messages[(3, "体检日期")]
    assert not Checkup.objects.exists()
    assert "未写入任何数据" in report.summary()


@pytest.mark.parametrize("value, ok", [(69.9, False), (70, True), (200, True), (200.1, False)])
def test_systolic_pressure_range_edges(world, value, ok):
    assert run(world["ho1"], workbook([full_row(world["p1"], **{"收缩压(mmHg)": value})])).ok is ok


def _mapping(user, **columns) -> ColumnMapping:
    return ColumnMapping.objects.create(name="某医院", columns=columns, created_by=user)


def test_cholesterol_in_mg_dl_is_converted_to_mmol_l(world):
    m = _mapping(
        world["ho1"],
        total_cholesterol_mmol_l={"header": "TC", "unit": "mg/dL"},
        hdl_cholesterol_mmol_l={"header": "HDL", "unit": "mg/dL"},
    )
    row = {"公民身份号码": world["p1"].id_number, "姓名": world["p1"].name, "体检日期": "2026-05-01", "TC": 200.8,
           "HDL": 50.2}  # fmt: skip
    report = run(world["ho1"], workbook([row], ["公民身份号码", "姓名", "体检日期", "TC", "HDL"]), layout=layout_of(m))
    assert report.ok, report.errors
    values = Checkup.objects.get().values()
    assert values["total_cholesterol_mmol_l"] == pytest.approx(200.8 * 0.0259)
    assert values["hdl_cholesterol_mmol_l"] == pytest.approx(1.30018)


def test_a_cholesterol_value_outside_the_range_of_its_unit_is_refused(world):
    m = _mapping(world["ho1"], total_cholesterol_mmol_l={"header": "TC", "unit": "mg/dL"})
    row = {"公民身份号码": world["p1"].id_number, "姓名": world["p1"].name, "体检日期": "2026-05-01", "TC": 5.2}
    report = run(world["ho1"], workbook([row], ["公民身份号码", "姓名", "体检日期", "TC"]), layout=layout_of(m))
    assert errors_of(report) == {(2, "TC")}
    assert "mg/dL" in report.errors[0].message  # 5.2 mg/dL was meant as mmol/L: refused, not guessed


def test_the_record_page_shows_mmol_l_back(world, client):
    """mmol/L in, mmol/L shown; mg/dL in, the same value shown in mmol/L (conversion both ways round-trips)."""
    from dangjian.health.units import to_canonical

    assert to_canonical("total_cholesterol_mmol_l", 5.2 / 0.0259, "mg/dL") == pytest.approx(5.2)
    assert to_canonical("total_cholesterol_mmol_l", 5.2, "mmol/L") == 5.2


def test_gastrin17_in_another_unit_is_refused(world):
    m = _mapping(world["ho1"], gastrin17_pmol_l={"header": "G17", "unit": "pg/mL"})
    row = {"公民身份号码": world["p1"].id_number, "姓名": world["p1"].name, "体检日期": "2026-05-01", "G17": 3.0}
    report = run(world["ho1"], workbook([row], ["公民身份号码", "姓名", "体检日期", "G17"]), layout=layout_of(m))
    assert errors_of(report) == {(2, "G17")}
    assert "pmol/L" in report.errors[0].message
    assert not Checkup.objects.exists()


def test_a_mapped_header_missing_from_the_sheet_is_a_file_error(world):
    m = _mapping(world["ho1"], sbp_mmhg={"header": "收缩压", "unit": "mmHg"})
    with pytest.raises(RosterFileError, match="「收缩压」"):
        run(world["ho1"], workbook([full_row(world["p1"])]), layout=layout_of(m))


def test_a_dry_run_writes_nothing_and_counts_like_the_import(world):
    report = run(world["ho1"], workbook([full_row(world["p1"])]), dry_run=True)
    assert report.ok and report.created == 1
    assert not Checkup.objects.exists()
    assert not AuditEvent.objects.filter(object_type="health.checkup").exists()


def test_reimporting_a_person_and_year_replaces_the_checkup_and_is_audited_without_values(world):
    ho1, p1 = world["ho1"], world["p1"]
    run(ho1, workbook([full_row(p1)]))
    first = Checkup.objects.get()
    report = run(ho1, workbook([full_row(p1, **{"收缩压(mmHg)": 131, "体检日期": "2026-06-01"})]))
    assert (report.created, report.replaced) == (0, 1)
    again = Checkup.objects.get()
    assert again.pk == first.pk and again.values()["sbp_mmhg"] == 131 and str(again.checked_on) == "2026-06-01"
    events = AuditEvent.objects.filter(object_type="health.checkup", object_id=str(first.pk)).order_by("id")
    assert [e.action for e in events] == ["create", "update"]
    assert events.last().detail["replaced"] is True
    for e in AuditEvent.objects.all():
        assert "131" not in str(e.detail) and "145" not in str(e.detail)


def test_rows_without_consent_are_imported_and_counted(world):
    report = run(world["ho1"], workbook([full_row(world["p1"])]))
    assert report.without_consent == 1 and "未登记2026年度知情同意" in report.summary()


def test_the_template_has_every_field_and_round_trips(world):
    wb = load_workbook(__import__("io").BytesIO(build_template()))
    headers = [c.value for c in wb.worksheets[0][1]]
    assert headers == HEADERS and len(headers) == 3 + len(FIELDS)
    assert "胃泌素-17(pmol/L)" in headers and wb.sheetnames == ["体检结果", "说明"]


def test_a_csv_file_is_read_too(world):
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    row = full_row(world["p1"])
    writer.writerow([row.get(h, "") for h in HEADERS])
    with context.acting(world["ho1"]):
        report = import_checkups(
            out.getvalue().encode("gb18030"), "a.csv", template_layout(), year=2026, user=world["ho1"], dry_run=True
        )
    assert report.ok, report.errors
