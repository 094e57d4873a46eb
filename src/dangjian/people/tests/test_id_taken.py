"""An ID number that belongs to someone outside the user's scope gets one answer from the roster import, the API
and the form, which does not reveal that the person exists elsewhere (issue 10 §7)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from dangjian.people.id_taken import ALREADY_REGISTERED, DELETED, NOT_REGISTRABLE
from dangjian.people.roster import import_roster
from dangjian.testing import PASSWORD, make_member, make_person, make_user

from .test_roster_helpers import find_error, member, row, xlsx

pytestmark = pytest.mark.django_db


def import_says(user, id_number: str, branch: str) -> str:
    report = import_roster(xlsx([member(branch, 姓名="某人", 公民身份号码=id_number)]), "r.xlsx", user=user)
    return find_error(report, 2, "公民身份号码")


def api_says(username: str, id_number: str) -> str:
    client = Client()
    r = client.post("/api/v1/auth/token", {"username": username, "password": PASSWORD}, content_type="application/json")
    auth = f"Bearer {r.json()['token']}"
    body = {"name": "某人", "id_number": id_number}
    r = client.post("/api/v1/persons", body, content_type="application/json", HTTP_AUTHORIZATION=auth)
    assert r.status_code == 422
    return next(e["message"] for e in r.json()["detail"] if e["field"] == "id_number")


def form_shows(user, id_number: str) -> str:
    client = Client()
    client.force_login(user)
    return client.post(reverse("people:create"), {"name": "某人", "id_number": id_number}).content.decode()


def test_an_out_of_scope_id_number_gets_the_same_answer_everywhere(tree):
    secretary = make_user("sec2", "secretary", tree.branch2)
    other = make_member(tree.branch1, "一支部的人")
    said = {import_says(secretary, other.id_number, "二支部"), api_says("sec2", other.id_number)}
    assert said == {str(NOT_REGISTRABLE)}
    assert str(NOT_REGISTRABLE) in form_shows(secretary, other.id_number)
    assert "已登记" not in str(NOT_REGISTRABLE) and "无权" not in str(NOT_REGISTRABLE)


def test_a_deleted_persons_number_is_named_deleted_only_to_the_whole_tree(tree):
    deleted = make_person("已删除")
    deleted.mark_deleted()
    deleted.save()
    secretary = make_user("sec2", "secretary", tree.branch2)
    office = make_user("office", "office", tree.root)
    assert import_says(secretary, deleted.id_number, "二支部") == str(NOT_REGISTRABLE)
    assert api_says("sec2", deleted.id_number) == str(NOT_REGISTRABLE)
    assert import_says(office, deleted.id_number, "二支部") == str(DELETED)
    assert api_says("office", deleted.id_number) == str(DELETED)


def test_inside_the_scope_the_api_and_the_form_say_already_registered(tree):
    secretary = make_user("sec1", "secretary", tree.branch1)
    own = make_member(tree.branch1, "本支部党员", department=tree.dept1)
    assert api_says("sec1", own.id_number) == str(ALREADY_REGISTERED)
    assert str(ALREADY_REGISTERED) in form_shows(secretary, own.id_number)
    report = import_roster(xlsx([row(姓名="本支部党员", 公民身份号码=own.id_number)]), "r.xlsx", user=secretary)
    assert not [e for e in report.errors if e.column == "公民身份号码"]
