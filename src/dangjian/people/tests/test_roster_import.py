"""Roster import: reading the file types, writing persons and memberships, history and audit."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from dangjian.audit.models import AuditEvent
from dangjian.audit.services import verify_chain
from dangjian.orgs.models import Organization
from dangjian.people.models import Membership, Person
from dangjian.people.roster import COLUMNS, ImportReport, RosterFileError, import_roster
from dangjian.testing import make_member, make_person

from .test_roster_helpers import csv_bytes, member, new_id, row, xlsx

pytestmark = pytest.mark.django_db


def test_xlsx_import_creates_persons_and_memberships(tree):
    number = new_id("F", date(1990, 5, 6))
    data = xlsx(
        [
            member(
                姓名="王芳",
                公民身份号码=number,
                性别="女",
                民族="回族",
                学历="硕士研究生",
                手机号码="13800138000",
                部门="一室",
                岗位="研究员",
                职称="高级工程师",
                用工类型="合同",
                入职日期="2015/9/1",
                所在党小组="一支部第一党小组",
                申请入党日期="20090301",  # at 18 (党章 第一条): born 1990-05-06
            ),
            row(姓名="李四", 部门="测试所/二室", 手机号码=13912345678, 用工类型="外聘"),
        ]
    )
    report = import_roster(data, "roster.xlsx")
    assert report.ok, report.errors
    assert (report.total_rows, report.created, report.updated, report.unchanged) == (2, 2, 0, 0)
    assert report.memberships_changed == 1

    wang = Person.objects.get(id_number=number)
    assert (wang.name, wang.sex, wang.birth_date, wang.ethnicity) == ("王芳", "F", date(1990, 5, 6), "回族")
    assert (wang.education, wang.phone, wang.department, wang.employment) == (
        "master",
        "13800138000",
        tree.dept1,
        "contract",
    )
    assert (wang.post, wang.title, wang.hire_date, wang.political_status) == (
        "研究员",
        "高级工程师",
        date(2015, 9, 1),
        "member",
    )
    m = Membership.objects.current().get(person=wang)
    assert (m.organization, m.group, m.status) == (tree.branch1, tree.group1, "full")
    assert (m.applied_on, m.admitted_on, m.converted_on) == (
        date(2009, 3, 1),
        date(2010, 7, 1),
        date(2011, 7, 1),
    )
    assert m.started_on == timezone.localdate()

    li = Person.objects.get(name="李四")
    assert (li.department, li.phone, li.employment, li.political_status) == (
        tree.dept2,
        "13912345678",
        "external",
        "masses",
    )
    assert li.ethnicity == "汉族"
    assert not li.memberships.exists()


def test_import_is_audited(tree):
    data = xlsx([member(姓名="甲"), row(姓名="乙")])
    import_roster(data, "名单.xlsx")
    summary = AuditEvent.objects.get(action="import")
    assert summary.detail["file"] == "名单.xlsx"
    assert (summary.detail["rows"], summary.detail["created"], summary.detail["memberships_changed"]) == (
        2,
        2,
        1,
    )
    creates = AuditEvent.objects.filter(action="create")
    assert {e.object_type for e in creates} == {"people.person", "people.membership"}
    assert creates.count() == 3
    person_event = creates.get(object_type="people.person", object_repr="甲")
    assert person_event.after["name"] == "甲"
    assert verify_chain() == (True, None)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_import_in_each_encoding(tree, encoding):
    data = csv_bytes([member(姓名="赵钱孙", 部门="二室", 入职日期="2020.01.02"), row(姓名="周吴郑王")], encoding)
    report = import_roster(data, "roster.CSV")
    assert report.ok, report.errors
    assert report.created == 2
    person = Person.objects.get(name="赵钱孙")
    assert (person.department, person.hire_date) == (tree.dept2, date(2020, 1, 2))
    assert Membership.objects.current().get(person=person).organization == tree.branch1


def test_xlsx_cells_typed_as_numbers_and_dates(tree):
    """Excel gives numbers as floats and dates as dates; a 15-digit ID typed as a number is still exact."""
    data = xlsx([row(公民身份号码=110105491231002, 入职日期=date(2001, 2, 3), 手机号码=13800138000.0)])
    report = import_roster(data, "roster.xlsx")
    assert report.ok, report.errors
    person = Person.objects.get()
    assert person.id_number == "11010519491231002X"
    assert person.hire_date == date(2001, 2, 3)
    assert person.phone == "13800138000"


def test_fifteen_digit_number_is_converted_and_noted(tree):
    report = import_roster(xlsx([row(), row(公民身份号码="110105491231002")]), "roster.xlsx")
    assert report.ok, report.errors
    assert Person.objects.filter(id_number="11010519491231002X").exists()
    assert any("第3行" in n and "11010519491231002X" in n for n in report.notes), report.notes


def test_existing_person_updated_only_in_changed_fields(tree):
    person = make_person("老王", department=tree.dept1, phone="13800000000", title="工程师")
    before_updated_at = person.updated_at
    report = import_roster(
        xlsx(
            [
                row(
                    姓名="老王",
                    公民身份号码=person.id_number,
                    部门="一室",
                    手机号码="13900000000",
                    职称="工程师",
                    民族=None,
                    用工类型=None,
                )
            ]
        ),
        "roster.xlsx",
    )
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    person.refresh_from_db()
    assert person.phone == "13900000000"
    assert (person.title, person.department, person.ethnicity, person.employment) == (
        "工程师",
        tree.dept1,
        "汉族",
        "staff",
    )
    assert person.updated_at > before_updated_at
    event = AuditEvent.objects.get(action="update", object_type="people.person")
    assert event.before["phone"] == "13800000000" and event.after["phone"] == "13900000000"
    assert [name for name, _, _ in event.changes] == ["phone"]


def test_reimporting_the_same_file_changes_nothing(tree):
    data = xlsx([member(所在党小组="一支部第一党小组"), row()])
    import_roster(data, "roster.xlsx")
    events = AuditEvent.objects.count()
    report = import_roster(data, "roster.xlsx")
    assert (report.created, report.updated, report.unchanged, report.memberships_changed) == (0, 0, 2, 0)
    assert AuditEvent.objects.count() == events + 1  # only the import summary


def test_moving_branch_ends_the_old_membership(tree):
    person = make_member(tree.branch1, "小李", group=tree.group1)
    report = import_roster(xlsx([member("二支部", 姓名="小李", 公民身份号码=person.id_number)]), "roster.xlsx")
    assert report.ok, report.errors
    assert (report.updated, report.memberships_changed) == (1, 1)
    rows = list(Membership.objects.filter(person=person).order_by("id"))
    assert len(rows) == 2
    old, new = rows
    assert (old.organization, old.ended_on, old.end_reason) == (
        tree.branch1,
        timezone.localdate(),
        "花名册导入调整",
    )
    assert (new.organization, new.ended_on, new.group, new.started_on) == (
        tree.branch2,
        None,
        None,
        timezone.localdate(),
    )
    assert (new.admitted_on, new.converted_on) == (date(2010, 7, 1), date(2011, 7, 1))


def test_same_branch_updates_membership_in_place(tree):
    person = make_member(tree.branch1, "小张", status="probationary")
    report = import_roster(
        xlsx(
            [
                member(
                    姓名="小张",
                    公民身份号码=person.id_number,
                    所在党小组="一支部第一党小组",
                    转正日期="2011-07-01",
                )
            ]
        ),
        "roster.xlsx",
    )
    assert report.ok, report.errors
    membership = Membership.objects.get(person=person)
    assert (membership.status, membership.group, membership.converted_on) == (
        "full",
        tree.group1,
        date(2011, 7, 1),
    )
    assert membership.started_on == date(2015, 1, 1)  # same row, not a new one
    person.refresh_from_db()
    assert person.political_status == "member"


def test_branch_by_path_when_the_name_is_ambiguous(tree):
    Organization.objects.add_child(tree.root, {"kind": "branch", "code": "T03", "name": "一支部"})
    report = import_roster(xlsx([member("测试所党委/一总支/一支部"), member("一总支/一支部")]), "roster.xlsx")
    assert report.ok, report.errors
    assert Membership.objects.filter(organization=tree.branch1).count() == 2


def test_dry_run_reports_the_same_counts_and_writes_nothing(tree):
    existing = make_person("旧人")
    data = xlsx([member(), row(姓名="旧人", 公民身份号码=existing.id_number, 职称="研究员")])
    events = AuditEvent.objects.count()
    dry = import_roster(data, "roster.xlsx", dry_run=True)
    assert dry.ok and dry.dry_run
    assert (dry.created, dry.updated, dry.memberships_changed) == (1, 1, 1)
    assert Person.objects.count() == 1 and not Membership.objects.exists()
    assert AuditEvent.objects.count() == events
    existing.refresh_from_db()
    assert existing.title == ""
    real = import_roster(data, "roster.xlsx")
    assert (real.created, real.updated, real.memberships_changed) == (1, 1, 1)


def test_progress_is_reported_up_to_the_total(tree):
    calls: list[tuple[int, int]] = []
    import_roster(xlsx([row() for _ in range(5)]), "roster.xlsx", progress=lambda d, t: calls.append((d, t)))
    assert calls[0] == (0, 10)
    assert calls[-1] == (10, 10)
    assert all(d <= t for d, t in calls)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_blank_rows_are_skipped_and_row_numbers_kept(tree):
    data = xlsx([row(), {}, row(姓名=""), {}, {}])
    report = import_roster(data, "roster.xlsx")
    assert report.total_rows == 2
    assert [(e.row, e.column) for e in report.errors] == [(4, "姓名")]


def test_report_is_plain_data(tree):
    import dataclasses
    import json

    report = import_roster(xlsx([row(姓名="")]), "roster.xlsx")
    assert isinstance(report, ImportReport)
    assert not report.ok
    json.dumps(dataclasses.asdict(report))  # a background job stores it as JSON


class TestFileErrors:
    def test_unsupported_extension(self, tree):
        with pytest.raises(RosterFileError, match="不支持的文件类型 .xls"):
            import_roster(b"whatever", "roster.xls")

    def test_wrong_headers_listed(self, tree):
        headers = [h for h in COLUMNS if h not in ("民族", "转正日期")] + ["备注"]
        with pytest.raises(RosterFileError) as exc:
            import_roster(xlsx([row()], headers=headers), "roster.xlsx")
        message = str(exc.value)
        assert "缺少列「民族」「转正日期」" in message and "无法识别的列「备注」" in message

    def test_empty_file(self, tree):
        with pytest.raises(RosterFileError, match="文件为空"):
            import_roster(b"", "roster.csv")
        with pytest.raises(RosterFileError, match="文件为空"):
            import_roster(xlsx([], headers=[]), "roster.xlsx")

    def test_header_only(self, tree):
        with pytest.raises(RosterFileError, match="没有数据行"):
            import_roster(xlsx([]), "roster.xlsx")

    def test_corrupt_xlsx(self, tree):
        with pytest.raises(RosterFileError, match="无法读取"):
            import_roster(b"PK\x03\x04 not really a zip", "roster.xlsx")

    def test_undecodable_csv(self, tree):
        with pytest.raises(RosterFileError, match="编码"):
            import_roster(b"\xff\xfe\x00\x81\xff" * 10, "roster.csv")


def test_update_changes_department_and_clears_blank_fields(tree):
    person = make_person("老赵", department=tree.dept1, phone="13800000000", post="组长", education="bachelor")
    report = import_roster(
        xlsx([row(姓名="老赵", 公民身份号码=person.id_number, 部门="二室", 学历=None, 岗位=None)]),
        "roster.xlsx",
    )
    assert report.ok, report.errors
    assert report.updated == 1
    person.refresh_from_db()
    assert (person.department, person.phone, person.post, person.education) == (tree.dept2, "", "", "")
