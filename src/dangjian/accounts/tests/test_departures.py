"""Accounts follow the roster (issue 13 §1): a member who leaves loses access the same day.

Each path that ends a person's place on the roster is tested: a transfer out of the tree, a lost-contact removal
(除名), the general ``end_membership`` and the deletion of the person (left the institute). A move inside the tree
ends one membership and starts another: nobody left.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.models import ApiToken, User
from dangjian.audit.models import AuditEvent
from dangjian.core import context
from dangjian.people import services as people
from dangjian.testing import login_with_second_factor, make_member, make_person, make_tree, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world():
    t = make_tree()
    office = make_user("office", "office", t.root)
    person = make_member(t.branch1, "将离开", department=t.dept1)
    member = make_user("leaving", "member", t.branch1, person=person)
    return t, office, person, member


def _deactivation(user) -> AuditEvent:
    return AuditEvent.objects.filter(action="update", object_id=str(user.pk), detail__has_key="deactivated").get()


def test_a_transfer_out_of_the_tree_deactivates_a_members_account_and_ends_its_tokens(world):
    from dangjian.transfers import services as transfers

    t, office, person, member = world
    token = ApiToken.issue(member)
    today = timezone.localdate()
    with context.acting(office):
        letter = transfers.request_transfer(office, person.pk, to_name="外单位党委", reason="调离", requested_on=today)
        transfers.send(office, letter.pk, on=today)
        transfers.accept(office, letter.pk, on=today)
    member.refresh_from_db()
    assert not member.is_active
    assert "组织关系转出至外单位党委" in _deactivation(member).detail["deactivated"]
    assert _deactivation(member).actor == office
    assert ApiToken.objects.get(digest=ApiToken.digest_of(token)).end_reason == "deactivated"


def test_stopping_party_rights_deactivates_the_account(world):
    from dangjian.transfers import lost

    t, office, person, member = world
    today = timezone.localdate()
    decision = {"decided_by": "中共测试所委员会", "document_ref": "测党〔2025〕12号"}
    with context.acting(office):
        case = lost.open_case(office, person.pk, last_contact_on=today - timedelta(days=365 * 3))
        lost.decide(office, case.pk, "suspend", {**decision, "decided_on": today - timedelta(days=365 * 2 + 60)})
        # 停止党籍 ends the membership (issue 13 §3): the member is off the rolls, so the account closes then
        member.refresh_from_db()
        assert not member.is_active
        assert "停止党籍" in _deactivation(member).detail["deactivated"]
        lost.decide(office, case.pk, "remove", {**decision, "decided_on": today})
    member.refresh_from_db()
    assert not member.is_active


def test_deleting_the_person_deactivates_the_account_of_a_non_member_too(world):
    t, office, person, member = world
    staff = make_person("非党员职工", department=t.dept1)
    account = make_user("staffer", "member", person=staff)
    with context.acting(office):
        people.delete_person(office, staff.pk, "离职")
    account.refresh_from_db()
    assert not account.is_active
    assert _deactivation(account).detail == {"deactivated": "人员已离开：人员删除：离职"}


def test_a_move_inside_the_tree_is_no_departure(world):
    t, office, person, member = world
    with context.acting(office):
        people.move_membership(office, person.pk, t.branch2.pk, on=timezone.localdate())
    member.refresh_from_db()
    assert member.is_active


def test_an_account_with_other_roles_stays_active_and_is_listed_as_left(client, world):
    t, office, person, member = world
    secretary_person = make_member(t.branch2, "书记将离开", department=t.dept2)
    secretary = make_user("sec_leaving", "secretary", t.branch2, person=secretary_person)
    with context.acting(office):
        people.end_membership(secretary_person, on=date(2026, 1, 5), reason="组织关系转出", cause="transferred_out")
        people.end_membership(person, on=date(2026, 1, 5), reason="组织关系转出", cause="transferred_out")
    secretary.refresh_from_db()
    member.refresh_from_db()
    assert secretary.is_active and not member.is_active
    assert not AuditEvent.objects.filter(object_id=str(secretary.pk), detail__has_key="deactivated").exists()
    sys = make_user("sys", "sysadmin")
    login_with_second_factor(client, sys)
    listed = client.get(reverse("accounts:users"), {"link": "left"}).context["page"].object_list
    assert sorted(u.username for u in listed) == ["leaving", "sec_leaving"]
    assert "人员已离开" in client.get(reverse("accounts:users")).content.decode()


def test_an_ending_that_fails_deactivates_nothing(world):
    from django.core.exceptions import ValidationError

    t, office, person, member = world
    bystander = make_person("群众")
    account = make_user("bystander", "member", person=bystander)
    with pytest.raises(ValidationError):
        people.end_membership(bystander, on=date(2026, 1, 5), reason="x", cause="left")  # no membership to end
    account.refresh_from_db()
    assert account.is_active and User.objects.get(pk=member.pk).is_active


def _stop_and_restore(office, person, *, before_restore=None):
    """停止党籍 two years and two months ago, contact regained since, then 恢复党籍 today."""
    from dangjian.transfers import lost

    today = timezone.localdate()
    decision = {"decided_by": "中共测试所委员会", "document_ref": "测党〔2025〕12号"}
    with context.acting(office):
        case = lost.open_case(office, person.pk, last_contact_on=today - timedelta(days=365 * 3))
        lost.decide(office, case.pk, "suspend", {**decision, "decided_on": today - timedelta(days=60)})
        lost.record_contact(office, case.pk, on=today - timedelta(days=3), method="phone", reached=True)
        if before_restore:
            before_restore()
        lost.decide(office, case.pk, "restore", {**decision, "decided_on": today})


def test_restoring_party_rights_reactivates_the_account_the_stop_closed(world):
    t, office, person, member = world
    token = ApiToken.issue(member)
    _stop_and_restore(office, person)
    member.refresh_from_db()
    assert member.is_active and member.activated_at is not None
    event = AuditEvent.objects.get(object_id=str(member.pk), detail__has_key="reactivated")
    assert event.detail["reactivated"] == "人员已返回：恢复党籍"
    assert event.detail["undoes"] == _deactivation(member).pk and event.actor == office
    assert event.before["is_active"] is False and event.after["is_active"] is True
    # the tokens ended at the stop stay ended: the member signs in with the password
    assert ApiToken.objects.get(digest=ApiToken.digest_of(token)).end_reason == "deactivated"


def test_restoring_leaves_an_account_an_administrator_disabled_shut(world):
    from dangjian.accounts import services as accounts

    t, office, person, member = world
    sys = make_user("sys", "sysadmin")

    def administrator_steps_in():
        # re-enabled, then disabled for another reason: the stop's deactivation is no longer what holds it shut
        accounts.set_active(sys, member.pk, True)
        accounts.set_active(sys, member.pk, False)

    _stop_and_restore(office, person, before_restore=administrator_steps_in)
    member.refresh_from_db()
    assert not member.is_active
    assert not AuditEvent.objects.filter(object_id=str(member.pk), detail__has_key="reactivated").exists()


def test_restoring_leaves_an_account_disabled_before_the_stop_shut(world):
    from dangjian.accounts import services as accounts

    t, office, person, member = world
    accounts.set_active(make_user("sys", "sysadmin"), member.pk, False)
    _stop_and_restore(office, person)
    member.refresh_from_db()
    assert not member.is_active
    assert not AuditEvent.objects.filter(object_id=str(member.pk), detail__has_key="deactivated").exists()
