"""Roster validation: every kind of bad row is reported with its Excel row, column and a Chinese reason."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from dangjian.audit.models import AuditEvent
from dangjian.orgs.models import Department, Organization
from dangjian.people.id_taken import NOT_REGISTRABLE
from dangjian.people.idcard import check_char
from dangjian.people.models import Membership, Person
from dangjian.people.roster import import_roster
from dangjian.testing import make_member, make_person, make_user

from .test_roster_helpers import find_error, member, new_id, row, xlsx

pytestmark = pytest.mark.django_db


def _bad_check_digit() -> str:
    number = new_id()
    return number[:17] + ("0" if number[17] != "0" else "1")


def _bad_birth_date() -> str:
    body = "110105" + "19491332" + "003"
    return body + check_char(body)


def test_all_bad_rows_reported_at_once_and_nothing_written(tree):
    current_member = make_member(tree.branch1, "在册党员")
    deleted = make_person("已删除")
    deleted.mark_deleted()
    deleted.save()
    duplicate = new_id()
    cases: list[tuple[dict, str, str]] = [
        (row(姓名=""), "姓名", "姓名不能为空"),
        (row(姓名="长" * 51), "姓名", "不能超过50个字"),
        (row(公民身份号码=""), "公民身份号码", "公民身份号码不能为空"),
        (row(公民身份号码=_bad_check_digit()), "公民身份号码", "校验码错误"),
        (row(公民身份号码="1101051949123100"), "公民身份号码", "应为18位，实际为16位"),
        (row(公民身份号码=_bad_birth_date()), "公民身份号码", "不是有效日期"),
        (row(公民身份号码=110105194912310021), "公民身份号码", "存成了数字"),
        (row(公民身份号码="1.10105E+17"), "公民身份号码", "存成了数字"),
        (row(公民身份号码=deleted.id_number), "公民身份号码", "已被删除"),
        (row(性别="女"), "性别", "性别与公民身份号码不符（号码为男）"),
        (row(性别="未知"), "性别", "无法识别的性别"),
        (row(学历="小学"), "学历", "无法识别的学历，应为：博士研究生、"),
        (row(用工类型="临时"), "用工类型", "无法识别的用工类型"),
        (row(政治面貌="党员"), "政治面貌", "无法识别的政治面貌"),
        (row(手机号码="12345"), "手机号码", "手机号码应为11位手机号"),
        (row(手机号码="12012345678"), "手机号码", "手机号码应为11位手机号"),
        (row(部门="不存在的室"), "部门", "未找到部门「不存在的室」"),
        (row(入职日期="2020年13月"), "入职日期", "无法识别的日期"),
        (row(入职日期="2021-02-30"), "入职日期", "日期「2021-02-30」不存在"),
        (row(入职日期="2999-01-01"), "入职日期", "晚于今天"),
        (row(入职日期="1970-01-01"), "入职日期", "早于出生日期"),
        (member("不存在的支部"), "所在党支部", "未找到党支部「不存在的支部」"),
        (member(所在党小组="第九党小组"), "所在党小组", "党支部「一支部」下没有名为「第九党小组」的党小组"),
        (member(申请入党日期="2012-01-01"), "入党日期", "入党日期早于申请入党日期"),
        (member(转正日期="2009-01-01"), "转正日期", "转正日期早于入党日期"),
        (member(转正日期="2099-01-01"), "转正日期", "晚于今天"),
        (member(政治面貌="中共预备党员"), "转正日期", "预备党员不应填写转正日期"),
        (member(所在党支部=None), "所在党支部", "中共党员、中共预备党员须填写所在党支部"),
        (row(所在党支部="一支部"), "所在党支部", "政治面貌与党支部不一致"),
        (row(入党日期="2010-01-01"), "入党日期", "政治面貌为「群众」时不填写此项"),
        (
            row(公民身份号码=current_member.id_number, 政治面貌="共青团员"),
            "政治面貌",
            "政治面貌与党支部不一致",
        ),
        (row(公民身份号码=duplicate), "公民身份号码", "公民身份号码在文件中重复"),
        (row(公民身份号码=duplicate), "公民身份号码", "公民身份号码在文件中重复"),
    ]
    rows = [member(姓名="正确的一行")] + [case[0] for case in cases]
    persons, events = Person.all_objects.count(), AuditEvent.objects.count()

    report = import_roster(xlsx(rows), "roster.xlsx")

    assert not report.ok
    for i, (_, column, fragment) in enumerate(cases):
        excel_row = i + 3  # header is row 1, the good row is row 2
        assert fragment in find_error(report, excel_row, column), (excel_row, column)
    assert not [e for e in report.errors if e.row == 2]
    assert len({e.row for e in report.errors}) == len(cases)
    assert Person.all_objects.count() == persons and AuditEvent.objects.count() == events
    assert not Person.objects.filter(name="正确的一行").exists()
    assert Membership.objects.count() == 1
    dup_rows = sorted(e.row for e in report.errors if "重复" in e.message)
    assert dup_rows == [len(cases) + 1, len(cases) + 2]
    assert f"第{len(cases) + 1}、{len(cases) + 2}行" in find_error(report, len(cases) + 1, "公民身份号码")
    assert report.errors == sorted(report.errors, key=lambda e: e.row)


def test_error_carries_the_cell_value_and_prints_as_row_column_reason(tree):
    report = import_roster(xlsx([row(学历="小学")]), "roster.xlsx")
    [error] = report.errors
    assert (error.row, error.column, error.value) == (2, "学历", "小学")
    assert str(error).startswith("第2行 [学历] 无法识别的学历")


def test_ambiguous_branch_name_asks_for_the_path(tree):
    Organization.objects.add_child(tree.root, {"kind": "branch", "code": "T03", "name": "一支部"})
    report = import_roster(xlsx([member("一支部")]), "roster.xlsx")
    message = find_error(report, 2, "所在党支部")
    assert "不唯一" in message and "完整路径" in message
    assert "测试所党委/一总支/一支部" in message and "测试所党委/一支部" in message


def test_ambiguous_department_name_asks_for_the_path(tree):
    Department.objects.add_child(tree.dept2, {"code": "D21", "name": "一室"})
    report = import_roster(xlsx([row(部门="一室"), row(部门="测试所/一室"), row(部门="二室/一室")]), "roster.xlsx")
    assert [(e.row, e.column) for e in report.errors] == [(2, "部门")]
    assert "完整路径" in report.errors[0].message


def test_group_must_belong_to_the_branch(tree):
    report = import_roster(xlsx([member("二支部", 所在党小组="一支部第一党小组")]), "roster.xlsx")
    assert "党支部「二支部」下没有名为「一支部第一党小组」的党小组" in find_error(report, 2, "所在党小组")


class TestScope:
    def test_branch_outside_scope_looks_unknown(self, tree):
        secretary = make_user("sec2", "secretary", tree.branch2)
        report = import_roster(xlsx([member("一支部"), member("不存在"), member("二支部")]), "r.xlsx", user=secretary)
        assert find_error(report, 2, "所在党支部") == "未找到党支部「一支部」"
        assert find_error(report, 3, "所在党支部") == "未找到党支部「不存在」"
        assert {e.row for e in report.errors} == {2, 3}

    def test_person_outside_scope_cannot_be_changed(self, tree):
        secretary = make_user("sec2", "secretary", tree.branch2)
        other = make_member(tree.branch1, "一支部的人")
        report = import_roster(
            xlsx([member("二支部", 姓名="一支部的人", 公民身份号码=other.id_number)]),
            "r.xlsx",
            user=secretary,
        )
        assert find_error(report, 2, "公民身份号码") == str(NOT_REGISTRABLE)
        assert Membership.objects.get(person=other).organization == tree.branch1

    def test_secretary_imports_into_own_branch(self, tree):
        secretary = make_user("sec1", "secretary", tree.branch1)
        own = make_member(tree.branch1, "本支部党员")
        report = import_roster(
            xlsx([member(), member(姓名="本支部党员", 公民身份号码=own.id_number, 手机号码="13700000000")]),
            "r.xlsx",
            user=secretary,
        )
        assert report.ok, report.errors
        assert (report.created, report.updated) == (1, 1)

    def test_same_name_outside_scope_is_not_ambiguous(self, tree):
        Organization.objects.add_child(tree.root, {"kind": "branch", "code": "T03", "name": "一支部"})
        secretary = make_user("sec1", "secretary", tree.branch1)
        report = import_roster(xlsx([member("一支部")]), "r.xlsx", user=secretary)
        assert report.ok, report.errors
        assert Membership.objects.get().organization == tree.branch1

    def test_moving_a_member_out_of_a_branch_outside_scope(self, tree):
        """Visible through the department, but the membership itself belongs to another secretary."""
        secretary = make_user("sec1", "secretary", tree.branch1)
        person = make_member(tree.branch2, "二支部党员", department=tree.dept1)
        report = import_roster(
            xlsx([member("一支部", 姓名="二支部党员", 公民身份号码=person.id_number, 部门="一室")]),
            "r.xlsx",
            user=secretary,
        )
        assert "无权调整" in find_error(report, 2, "所在党支部")

    @pytest.mark.parametrize("role", ["member", "leader", "committee_member", None])
    def test_users_without_import_permission_are_refused(self, tree, role):
        user = make_user("someone", role, None if role in ("member", None) else tree.branch1)
        with pytest.raises(PermissionDenied):
            import_roster(xlsx([row()]), "r.xlsx", user=user)

    def test_office_at_the_root_may_change_everyone(self, tree):
        office = make_user("office", "office", tree.root)
        person = make_member(tree.branch1, "甲")
        report = import_roster(
            xlsx([member("机关支部", 姓名="甲", 公民身份号码=person.id_number)]), "r.xlsx", user=office
        )
        assert report.ok, report.errors
        assert Membership.objects.current().get(person=person).organization == tree.office_branch


def test_dissolved_branch_cannot_be_joined(tree):
    Organization.objects.filter(pk=tree.branch2.pk).update(dissolved_on=date(2020, 1, 1))
    report = import_roster(xlsx([member("二支部")]), "roster.xlsx")
    assert "已撤销" in find_error(report, 2, "所在党支部")


def test_non_member_with_a_branch_gets_one_clear_error(tree):
    report = import_roster(xlsx([row(所在党支部="不存在的支部")]), "roster.xlsx")
    assert [(e.column, e.message) for e in report.errors] == [
        ("所在党支部", "政治面貌与党支部不一致：政治面貌为「群众」时不填写所在党支部")
    ]


def test_unknown_political_label_does_not_guess_the_status(tree):
    report = import_roster(xlsx([member(政治面貌="党员"), member("不存在", 政治面貌="党员")]), "roster.xlsx")
    assert [(e.row, e.column) for e in report.errors] == [(2, "政治面貌"), (3, "政治面貌"), (3, "所在党支部")]


@pytest.mark.django_db
def test_a_secretary_cannot_register_non_members_outside_the_covered_departments():
    from dangjian.testing import make_tree

    t = make_tree()
    sec = make_user("sec_dept", "secretary", t.branch1)
    from dangjian.people.roster import COLUMNS

    header = ",".join(COLUMNS)
    other_id = "11010519900101001" + check_char("11010519900101001")
    ok = "群众甲,,女,11010519491231002X,汉族,,,一室,,,在编,群众,,,,,,"
    outside = f"群众乙,,男,{other_id},汉族,,,二室,,,在编,群众,,,,,,"
    data = "\n".join([header, ok, outside]).encode("utf-8")
    report = import_roster(data, "r.csv", user=sec, dry_run=True)
    assert [(e.row, e.column) for e in report.errors] == [(3, "部门")]
    assert "覆盖的部门" in report.errors[0].message
