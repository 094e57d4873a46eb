"""工号 (the institute's employee number) on the person: one person's alone, edited on the form, found by the list's
search, and carried by the roster import (an optional column, checked in the file and against the database)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from dangjian.people.models import Person
from dangjian.people.roster import COLUMNS, import_roster
from dangjian.testing import make_member, make_person, make_user

from .test_roster_helpers import find_error, new_id, row, xlsx

pytestmark = pytest.mark.django_db


def test_two_persons_cannot_share_an_employee_number_but_many_may_have_none(tree):
    make_person("甲", employee_no="A001")
    make_person("乙")
    make_person("丙")  # blank numbers do not collide
    with pytest.raises(IntegrityError), transaction.atomic():
        make_person("丁", employee_no="A001")


def test_the_model_says_on_the_field_that_the_number_is_taken(tree):
    make_person("甲", employee_no="A001")
    other = make_person("乙")
    other.employee_no = "A001"
    with pytest.raises(ValidationError) as caught:
        other.full_clean()
    assert caught.value.message_dict["employee_no"] == ["该工号已被其他职工使用"]


def test_a_deleted_person_keeps_the_number(tree):
    gone = make_person("离", employee_no="A009")
    gone.mark_deleted()
    gone.save()
    other = make_person("新")
    other.employee_no = "A009"
    with pytest.raises(ValidationError, match="该工号已被其他职工使用"):
        other.full_clean()


def test_the_person_form_edits_the_number_and_refuses_a_taken_one(client, tree):
    office = make_user("office", "office", tree.root)
    make_person("甲", employee_no="A001", department=tree.dept1)
    person = make_member(tree.branch1, "乙", department=tree.dept1)
    client.force_login(office)
    url = reverse("people:edit", args=[person.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(department=tree.dept1.pk, loaded_version=form["loaded_version"].value())
    taken = client.post(url, {**data, "employee_no": "A001"})
    assert taken.status_code == 200
    assert taken.context["form"].errors["employee_no"] == ["该工号已被其他职工使用"]
    bad = client.post(url, {**data, "employee_no": "A 1"})
    assert "工号只能由字母、数字" in bad.context["form"].errors["employee_no"][0]
    response = client.post(url, {**data, "employee_no": " B002 "})
    assert response.status_code == 302, response.context["form"].errors if response.context else None
    person.refresh_from_db()
    assert person.employee_no == "B002"
    detail = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "<dt>工号</dt><dd>B002</dd>" in detail


def test_the_list_finds_a_person_by_employee_number(client, tree):
    office = make_user("office", "office", tree.root)
    make_person("数字工号", employee_no="200123")
    make_person("字母工号", employee_no="KY-07")
    make_person("别人", employee_no="200124")
    client.force_login(office)
    for q, expected in (("200123", ["数字工号"]), ("ky-07", ["字母工号"]), ("KY-07", ["字母工号"])):
        page = client.get(reverse("people:list"), {"q": q}).context["page"]
        assert [p.name for p in page.object_list] == expected, q


def test_roster_import_sets_the_number_and_a_blank_keeps_it(tree):
    keep = make_person("保留", employee_no="K1")
    report = import_roster(xlsx([row(姓名="新人", 工号="N1"), row(姓名="保留", 公民身份号码=keep.id_number)]), "r.xlsx")
    assert report.ok, report.errors
    assert Person.objects.get(name="新人").employee_no == "N1"
    assert Person.objects.get(pk=keep.pk).employee_no == "K1"


def test_a_roster_without_the_employee_number_column_is_still_read(tree):
    headers = [h for h in COLUMNS if h != "工号"]
    report = import_roster(xlsx([row(姓名="旧模板")], headers=headers), "old.xlsx")
    assert report.ok, report.errors
    assert Person.objects.get(name="旧模板").employee_no == ""


def test_roster_import_reports_every_bad_employee_number_and_writes_nothing(tree):
    make_person("在册", employee_no="T100")
    mine = make_person("本人", employee_no="T200")
    rows = [
        row(姓名="重复一", 工号="D1"),  # row 2
        row(姓名="重复二", 工号="D1"),  # row 3
        row(姓名="已占用", 工号="T100"),  # row 4
        row(姓名="过长", 工号="1" * 21),  # row 5
        row(姓名="非法", 工号="甲-1"),  # row 6
        row(姓名="本人", 公民身份号码=mine.id_number, 工号="T200"),  # row 7: the number is already their own
        row(姓名="正常", 工号="OK1", 公民身份号码=new_id()),  # row 8
    ]
    report = import_roster(xlsx(rows), "bad.xlsx")
    assert not report.ok
    assert find_error(report, 2, "工号") == "工号在文件中重复（第2、3行）"
    assert find_error(report, 3, "工号") == "工号在文件中重复（第2、3行）"
    assert find_error(report, 4, "工号") == "该工号已被其他职工使用"
    assert find_error(report, 5, "工号") == "工号不能超过20位"
    assert "工号只能由字母、数字" in find_error(report, 6, "工号")
    assert {e.row for e in report.errors} == {2, 3, 4, 5, 6}
    assert not Person.objects.filter(name__in=["重复一", "正常"]).exists()
