from __future__ import annotations

import pytest
from django.core.management import call_command
from django.http import HttpRequest

from dangjian.accounts.models import User
from dangjian.demo import flagship
from dangjian.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from dangjian.demo.generator import db_digest
from dangjian.orgs.models import CommitteeTerm, Organization
from dangjian.people.models import Membership, Person

pytestmark = pytest.mark.django_db

EXPECTED = {
    "office": ("office", "root"),
    "leader": ("leader", "root"),
    "secretary": ("secretary", "branch"),
    "member": ("member", None),
    "auditor": ("auditor", None),
    "sysadmin": ("sysadmin", None),
    "secadmin": ("secadmin", None),
    "health": ("health_officer", "root"),
    "care": ("care_officer", "root"),
}


def test_demo_accounts_have_the_right_roles(demo_counts):
    root = Organization.objects.get(depth=1)
    branch = Organization.objects.get(name=flagship.SECRETARY_BRANCH)
    where = {"root": root, "branch": branch, None: None}
    assert {a.username for a in DEMO_ACCOUNTS} == set(EXPECTED)
    for username, (role, scope) in EXPECTED.items():
        user = User.objects.get(username=username)
        assert user.is_demo
        [grant] = user.assignments.active()
        assert (grant.role, grant.organization) == (role, where[scope]), username


def test_demo_accounts_obey_the_separation_of_powers_and_the_account_hygiene_rules(demo_counts):
    from dangjian.accounts import hygiene, separation

    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        assert separation.violations(user) == [], account.username
        assert user.password_changed_at is not None, account.username  # the 90-day rule applies, from the load
        assert not hygiene.must_change_password(user) and not hygiene.is_dormant(user), account.username


def test_each_demo_start_restarts_the_demo_accounts_clocks(demo_counts, capsys):
    from datetime import timedelta

    from django.utils import timezone

    from dangjian.accounts import hygiene

    long_ago = timezone.now() - timedelta(days=200)
    User.objects.filter(is_demo=True).update(password_changed_at=long_ago, last_login=long_ago, date_joined=long_ago)
    assert hygiene.password_expired(User.objects.get(username="office"))
    call_command("demo", "--scale", "institute", "--if-empty")
    assert "重新计算" in capsys.readouterr().out
    for user in User.objects.filter(is_demo=True):
        assert not hygiene.password_expired(user) and not hygiene.is_dormant(user), user.username


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_demo_accounts_can_log_in(demo_counts, client, username):
    assert client.login(request=HttpRequest(), username=username, password=DEMO_PASSWORD)


def test_secretary_is_the_branch_secretary_and_member_a_full_member(demo_counts):
    branch = Organization.objects.get(name=flagship.SECRETARY_BRANCH)
    term = CommitteeTerm.objects.filter(organization=branch).order_by("-elected_on").first()
    secretary = User.objects.get(username="secretary").person
    assert term.posts.get(post="secretary").person == secretary
    member = User.objects.get(username="member").person
    assert Membership.objects.current().get(person=member, organization=branch).status == "full"
    assert member != secretary


def test_if_empty_keeps_existing_data(demo_counts, capsys):
    before = (db_digest(), Person.objects.count(), User.objects.count())
    call_command("demo", "--scale", "institute", "--if-empty")
    assert "跳过" in capsys.readouterr().out
    assert (db_digest(), Person.objects.count(), User.objects.count()) == before


def test_demo_refuses_a_database_with_data(demo_counts):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="空数据库"):
        call_command("demo", "--scale", "institute")


def test_logins_prints_url_and_accounts(demo_counts, capsys):
    call_command("logins")
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8000/" in out
    assert DEMO_PASSWORD in out
    for account in DEMO_ACCOUNTS:
        assert account.username in out
    call_command("logins", "--url", "http://127.0.0.1:8125/")  # make run passes the address it serves on
    assert "访问地址：http://127.0.0.1:8125/" in capsys.readouterr().out


def test_logins_json_is_only_a_json_array_whose_secrets_give_valid_codes(demo_counts, capsys):
    import base64
    import json

    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    call_command("logins", "--json")
    rows = json.loads(capsys.readouterr().out)
    assert [set(row) for row in rows] == [{"username", "password", "roles", "totp_secret"}] * len(EXPECTED)
    by_name = {row["username"]: row for row in rows}
    assert set(by_name) == set(EXPECTED)
    for username, (role, _) in EXPECTED.items():
        row = by_name[username]
        assert row["password"] == DEMO_PASSWORD and row["roles"] == [role]
        if username not in ("sysadmin", "secadmin", "auditor"):
            assert row["totp_secret"] is None, username
            continue
        code = f"{totp(base64.b32decode(row['totp_secret'])):06d}"
        assert TOTPDevice.objects.get(user__username=username, confirmed=True).verify_token(code), username


def test_logins_names_the_totp_secrets_of_the_administrators(demo_counts, capsys):
    from dangjian.demo.accounts import DEMO_TOTP_SECRETS

    call_command("logins")
    out = capsys.readouterr().out
    assert "TOTP" in out
    for username, secret in DEMO_TOTP_SECRETS.items():
        assert any(username in line and secret in line for line in out.splitlines()), username


def test_leader_health_and_care_are_linked_to_real_persons_and_administrators_to_none(demo_counts):
    from dangjian.demo.accounts import PARTY_OFFICE

    root = Organization.objects.get(depth=1)
    term = CommitteeTerm.objects.filter(organization=root).order_by("-elected_on").first()
    leader = User.objects.get(username="leader").person
    assert term.posts.filter(person=leader, post="secretary").exists()  # the sitting 党委's secretary
    officers = [User.objects.get(username=name).person for name in ("health", "care")]
    for person in officers:
        assert (person.department.name, person.employment) == (PARTY_OFFICE, "staff")
    linked = [u.person_id for u in User.objects.filter(is_demo=True).exclude(person=None)]
    assert len(linked) == len(set(linked)) == 5  # member, secretary, leader, health, care: one account each
    assert not User.objects.filter(username__in=["sysadmin", "secadmin", "auditor"]).exclude(person=None).exists()
