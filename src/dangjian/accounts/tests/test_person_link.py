"""Accounts linked to persons (issue 13 §1): chosen at creation or afterwards, one account per person, never an
administrator's account, unlinked again, all audited; the list shows the person and finds the accounts to link."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangjian.accounts import services
from dangjian.accounts.models import User
from dangjian.audit.models import AuditEvent
from dangjian.core import context
from dangjian.testing import login_with_second_factor, make_member, make_person, make_tree, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    t = make_tree()
    sys = make_user("sys", "sysadmin")
    login_with_second_factor(client, sys)
    return t, sys


def test_creating_an_account_for_a_person(client, admin):
    t, sys = admin
    person = make_member(t.branch1, "王芳", department=t.dept1, employee_no="E1001")
    url = reverse("accounts:user_create")
    page = client.get(url, {"q": "E1001"})
    assert [p.pk for p in page.context["form"].fields["person"].queryset] == [person.pk]
    response = client.post(url, {"username": "wangfang", "password": "Xy#9mK2pQ7", "person": person.pk})
    assert response.status_code == 302, response.context["form"].errors
    user = User.objects.get(username="wangfang")
    assert (user.person, user.first_name, user.must_change_password) == (person, "王芳", True)
    assert AuditEvent.objects.get(action="create", object_id=str(user.pk)).after["person_id"] == person.pk


def test_a_person_has_at_most_one_account(client, admin):
    t, sys = admin
    person = make_person("李四", department=t.dept1)
    make_user("lisi", person=person)
    other = make_user("lisi2")
    response = client.post(reverse("accounts:user_person", args=[other.pk]), {"person": person.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["person"] == ["李四 已关联账号 lisi：一名人员只能关联一个账号"]
    response = client.post(
        reverse("accounts:user_create"), {"username": "lisi3", "password": "Xy#9mK2pQ7", "person": person.pk}
    )
    assert "一名人员只能关联一个账号" in response.context["form"].errors["person"][0]
    assert not User.objects.filter(username="lisi3").exists()
    other.refresh_from_db()
    assert other.person_id is None


def test_the_picker_offers_only_persons_without_an_account_and_finds_them_by_id_number_tail(client, admin):
    t, sys = admin
    free = make_person("张三", department=t.dept1)
    taken = make_person("张三", department=t.dept2)
    make_user("zhang", person=taken)
    account = make_user("newcomer")
    url = reverse("accounts:user_person", args=[account.pk])
    assert list(client.get(url, {"q": "张三"}).context["form"].fields["person"].queryset) == [free]
    assert list(client.get(url, {"q": free.id_number[-6:]}).context["form"].fields["person"].queryset) == [free]
    assert AuditEvent.objects.filter(action="view_sensitive", actor=sys).exists()  # a number search is audited
    html = client.get(url, {"q": "张三"}).content.decode()
    assert free.id_number not in html and free.masked_id_number in html


def test_linking_and_unlinking_an_existing_account_is_audited(client, admin):
    t, sys = admin
    person = make_member(t.branch1, "赵六", department=t.dept1)
    account = make_user("zhao")
    response = client.post(reverse("accounts:user_person", args=[account.pk]), {"person": person.pk})
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.person == person
    linked = AuditEvent.objects.filter(action="update", object_id=str(account.pk)).latest("id")
    assert (linked.before["person_id"], linked.after["person_id"], linked.actor) == (None, person.pk, sys)
    assert client.post(reverse("accounts:user_unlink", args=[account.pk])).status_code == 302
    account.refresh_from_db()
    assert account.person_id is None
    unlinked = AuditEvent.objects.filter(action="update", object_id=str(account.pk)).latest("id")
    assert unlinked.detail == {"unlinked": True}


def test_an_administrators_account_is_refused_with_the_separation_message(client, admin):
    t, sys = admin
    auditor = make_user("aud", "auditor")
    person = make_person("钱七")
    response = client.post(reverse("accounts:user_person", args=[auditor.pk]), {"person": person.pk})
    assert response.status_code == 200
    assert "管理员账号不得关联人员" in str(response.context["form"].non_field_errors())
    auditor.refresh_from_db()
    assert auditor.person_id is None


def test_only_the_system_administrator_links(client, admin):
    t, sys = admin
    office = make_user("office", "office", t.root)
    account = make_user("x")
    client.force_login(office)
    assert client.get(reverse("accounts:user_person", args=[account.pk])).status_code == 404
    assert client.post(reverse("accounts:user_unlink", args=[account.pk])).status_code == 404
    with pytest.raises(services.separation.Refused):
        services.link_person(office, account.pk, make_person("孙八"))


def test_a_deleted_person_cannot_be_linked(admin):
    t, sys = admin
    gone = make_person("离职者")
    gone.mark_deleted()
    gone.save()
    with pytest.raises(ValidationError, match="已被删除"):
        services.link_person(sys, make_user("y").pk, gone)


def test_the_list_shows_the_person_and_filters_unlinked_accounts(client, admin, django_assert_max_num_queries):
    t, sys = admin
    for i in range(5):
        make_user(f"m{i}", "member", person=make_member(t.branch1, f"党员{i}", department=t.dept1))
    make_user("staff", "care_officer", t.root, person=make_person("职工甲", department=t.dept2, employee_no="S9"))
    make_user("orphan")
    with django_assert_max_num_queries(12):
        page = client.get(reverse("accounts:users"))
    html = page.content.decode()
    assert "党员0" in html and "一支部" in html  # the person's branch
    assert "职工甲" in html and "二室" in html  # a non-member: the department
    unlinked = client.get(reverse("accounts:users"), {"link": "none"}).context["page"].object_list
    assert [u.username for u in unlinked] == ["orphan"]  # administrators' accounts are never to be linked
    by_no = client.get(reverse("accounts:users"), {"q": "S9"}).context["page"].object_list
    assert [u.username for u in by_no] == ["staff"]


def test_the_service_refuses_a_second_account_for_a_person_from_any_channel(admin):
    t, sys = admin
    person = make_person("周九")
    with context.acting(sys):
        services.create_user(sys, "zhou", "Xy#9mK2pQ7", person=person)
        with pytest.raises(ValidationError, match="一名人员只能关联一个账号"):
            services.create_user(sys, "zhou2", "Xy#9mK2pQ7", person=person)


def test_a_link_naming_the_person_selects_them(client, admin):
    t, sys = admin
    person = make_person("预选", department=t.dept1)
    page = client.get(reverse("accounts:user_create"), {"person": person.pk})
    assert page.context["form"]["person"].value() == person.pk
