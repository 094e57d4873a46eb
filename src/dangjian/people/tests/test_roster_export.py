"""Roster template and export: the workbook layout, and export → import changing nothing."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from dangjian.orgs.models import Department, Organization
from dangjian.people.models import Membership, Person
from dangjian.people.roster import COLUMNS, build_template, export_roster, import_roster
from dangjian.sheets.testing import list_rows
from dangjian.testing import make_member, make_person

from .test_roster_helpers import member, row, xlsx

EXPECTED_COLUMNS = (
    "姓名",
    "工号",
    "性别",
    "公民身份号码",
    "民族",
    "学历",
    "手机号码",
    "部门",
    "岗位",
    "职称",
    "用工类型",
    "政治面貌",
    "入职日期",
    "所在党支部",
    "所在党小组",
    "申请入党日期",
    "入党日期",
    "转正日期",
    "籍贯",
    "参加工作时间",
    "职业",
)


def test_columns_are_in_the_agreed_order():
    assert COLUMNS == EXPECTED_COLUMNS


def test_template_opens_with_headers_help_and_drop_downs():
    wb = load_workbook(io.BytesIO(build_template()))
    assert wb.sheetnames == ["花名册", "说明"]
    ws = wb["花名册"]
    assert list_rows(build_template()) == [EXPECTED_COLUMNS]  # title, then 序号 and the headers, no rows
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists["D3"] == '"男,女"'
    assert "大学本科" in lists["G3"] and "合同" in lists["L3"] and "中共预备党员" in lists["M3"]
    help_text = [r[0] for r in wb["说明"].iter_rows(values_only=True) if r and r[0]]
    assert all(h in help_text for h in EXPECTED_COLUMNS)


@pytest.mark.django_db
def test_template_is_importable_once_filled(tree):
    wb = load_workbook(io.BytesIO(build_template()))
    wb["花名册"].append([None, "新人", None, None, "11010519491231002X"] + [None] * 7 + ["群众"])  # 序号 left blank
    out = io.BytesIO()
    wb.save(out)
    report = import_roster(out.getvalue(), "filled.xlsx")
    assert report.ok, report.errors
    assert report.created == 1


@pytest.mark.django_db
def test_export_writes_persons_and_current_membership(tree):
    person = make_member(tree.branch1, "导出党员", group=tree.group1, department=tree.dept1, phone="010-12345678")
    Membership.objects.filter(person=person).update(applied_on=date(2009, 3, 1), converted_on=date(2011, 7, 1))
    make_person("导出群众", education="bachelor", hire_date=date(2020, 1, 2))
    wb = load_workbook(io.BytesIO(export_roster(Person.objects.all())))
    assert wb.sheetnames == ["花名册", "说明"]
    rows = list_rows(export_roster(Person.objects.all()), "花名册")
    assert rows[0] == EXPECTED_COLUMNS
    data = {r[0]: dict(zip(EXPECTED_COLUMNS, r, strict=True)) for r in rows[1:]}
    m = data["导出党员"]
    assert (m["公民身份号码"], m["手机号码"], m["部门"]) == (person.id_number, "010-12345678", "一室")
    assert (m["政治面貌"], m["所在党支部"], m["所在党小组"]) == ("中共党员", "一支部", "一支部第一党小组")
    assert m["申请入党日期"].date() == date(2009, 3, 1) and m["入党日期"].date() == date(2010, 7, 1)
    q = data["导出群众"]
    assert (q["学历"], q["政治面貌"], q["所在党支部"], q["入职日期"].date()) == (
        "大学本科",
        "群众",
        None,
        date(2020, 1, 2),
    )
    assert wb["花名册"]["E3"].number_format == "@"  # the first ID number, right of 序号, 姓名, 工号 and 性别


@pytest.mark.django_db
def test_export_then_import_changes_nothing(tree):
    Organization.objects.add_child(tree.root, {"kind": "branch", "code": "T03", "name": "一支部"})
    Department.objects.add_child(tree.dept2, {"code": "D21", "name": "一室"})
    other_branch1 = Organization.objects.get(code="T03")
    nested_dept = Department.objects.get(code="D21")
    make_member(tree.branch1, "甲", group=tree.group1, department=tree.dept1, phone="13800138000", title="研究员")
    make_member(other_branch1, "乙", status="probationary", department=nested_dept, sex="F")
    make_member(tree.office_branch, "丙", ethnicity="回族", employment="retired", hire_date=date(1990, 1, 1))
    make_person("丁", political_status="league", education="doctorate", post="助理")
    ended = make_member(tree.branch2, "戊")
    Membership.objects.filter(person=ended).update(ended_on=date(2020, 1, 1))
    # the admission date goes with the person from branch to branch: the roster requires it of a member
    Membership.objects.create(
        person=ended,
        organization=tree.branch1,
        status="full",
        started_on=date(2020, 1, 1),
        admitted_on=date(2010, 7, 1),
    )

    report = import_roster(export_roster(Person.objects.all()), "export.xlsx")

    assert report.ok, report.errors
    assert (report.created, report.updated, report.memberships_changed) == (0, 0, 0)
    assert report.unchanged == 5


@pytest.mark.django_db
def test_export_query_count_does_not_grow_with_rows(tree, django_assert_max_num_queries):
    for i in range(30):
        make_member(tree.branch1 if i % 2 else tree.branch2, f"党员{i}", department=tree.dept1)
    with django_assert_max_num_queries(6):
        export_roster(Person.objects.all())


@pytest.mark.django_db
def test_export_of_an_import_round_trips_through_csv_too(tree):
    import_roster(xlsx([member(所在党小组="一支部第一党小组"), row(部门="二室")]), "a.xlsx")
    wb = load_workbook(io.BytesIO(export_roster(Person.objects.all())))
    import csv

    out = io.StringIO()
    writer = csv.writer(out)
    for values in wb["花名册"].iter_rows(values_only=True):
        writer.writerow(
            [v.strftime("%Y/%m/%d") if hasattr(v, "strftime") else ("" if v is None else v) for v in values]
        )
    report = import_roster(out.getvalue().encode("gb18030"), "export.csv")
    assert report.ok, report.errors
    assert (report.created, report.updated, report.memberships_changed, report.unchanged) == (0, 0, 0, 2)


@pytest.mark.django_db
def test_export_writes_the_employee_number_and_imports_back_unchanged(tree):
    make_person("有工号", employee_no="00123")
    make_person("无工号")
    data = export_roster(Person.objects.all())
    rows = {r[0]: dict(zip(EXPECTED_COLUMNS, r, strict=True)) for r in list_rows(data, "花名册")[1:]}
    assert (rows["有工号"]["工号"], rows["无工号"]["工号"]) == ("00123", None)
    report = import_roster(data, "roster.xlsx")
    assert report.ok, report.errors
    assert (report.updated, report.unchanged) == (0, 2)


def test_the_help_sheet_explains_the_employee_number_column():
    wb = load_workbook(io.BytesIO(build_template()))
    rows = {r[0]: r for r in wb["说明"].iter_rows(values_only=True) if r and r[0]}
    assert "不得与他人重复" in rows["工号"][2] and rows["工号"][1] != "是"  # optional
