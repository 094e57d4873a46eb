"""One-time passwords, the break-glass reset, and every user's own change (issue 10 §2)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.audit.models import AuditEvent
from dangjian.orgs.models import Organization
from dangjian.testing import PASSWORD, login_with_second_factor, make_tree, make_user

pytestmark = pytest.mark.django_db

NEW = "Xinghe@2026!new"


@pytest.fixture
def admins():
    make_tree()
    return make_user("sys", "sysadmin"), make_user("sec", "secadmin"), make_user("aud", "auditor")


def _login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


@pytest.mark.parametrize("target", ["sec", "aud"])
def test_the_system_administrator_cannot_reset_another_administrators_password_on_the_web(client, admins, target):
    sys = admins[0]
    victim = User.objects.get(username=target)
    login_with_second_factor(client, sys)
    url = reverse("accounts:user_password", args=[victim.pk])
    for response in (client.get(url, follow=True), client.post(url, follow=True)):
        assert "reset-admin-password" in response.content.decode()
    victim.refresh_from_db()
    assert victim.check_password(PASSWORD) and not victim.must_change_password
    assert not AuditEvent.objects.filter(object_id=str(victim.pk), detail__password_reset=True).exists()


def test_the_system_administrator_cannot_reset_its_own_password_there(client, admins):
    sys = admins[0]
    login_with_second_factor(client, sys)
    response = client.post(reverse("accounts:user_password", args=[sys.pk]), follow=True)
    assert "修改密码" in response.content.decode()
    sys.refresh_from_db()
    assert sys.check_password(PASSWORD)


def test_a_reset_sets_a_one_time_password_shown_once_and_changed_before_anything_else(client, admins):
    sys = admins[0]
    user = make_user("clerk", "leader", Organization.objects.get(depth=1))
    login_with_second_factor(client, sys)
    response = client.post(reverse("accounts:user_password", args=[user.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    password = response.context["password"]
    assert password in response.content.decode()
    assert password not in str(list(response.wsgi_request._messages))
    user.refresh_from_db()
    assert user.must_change_password and user.check_password(password)
    event = AuditEvent.objects.get(object_id=str(user.pk), detail__password_reset=True)
    assert event.actor == sys and password not in str(event.detail)

    client.logout()
    assert _login(client, "clerk", password).status_code == 302
    change = reverse("accounts:password_change")
    for url in (reverse("core:home"), reverse("people:list"), reverse("orgs:tree")):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, change), url
    htmx = client.get(reverse("people:list"), HTTP_HX_REQUEST="true")
    assert htmx["HX-Redirect"] == change
    page = client.get(change)
    assert page.status_code == 200 and "一次性密码" in page.content.decode()
    token = client.post(
        "/api/v1/auth/token", {"username": "clerk", "password": password}, content_type="application/json"
    )
    assert token.status_code == 403 and "修改密码" in token.json()["detail"]

    same = client.post(change, {"old_password": password, "new_password1": password, "new_password2": password})
    assert "不能与当前密码相同" in same.content.decode()
    done = client.post(change, {"old_password": password, "new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302
    assert client.get(reverse("people:list")).status_code == 200  # the session survived the change
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password(NEW)
    assert AuditEvent.objects.filter(object_id=str(user.pk), detail__reason="one_time", actor=user).exists()


def test_an_account_the_system_administrator_creates_must_change_its_first_password(client, admins):
    login_with_second_factor(client, admins[0])
    client.post(reverse("accounts:user_create"), {"username": "newbie", "first_name": "新", "password": NEW})
    newbie = User.objects.get(username="newbie")
    assert newbie.must_change_password


def test_break_glass_resets_an_administrators_password_at_the_console_audited(client, admins):
    sec = admins[1]
    out = io.StringIO()
    call_command("reset_admin_password", "sec", stdout=out)
    password = out.getvalue().splitlines()[1]
    sec.refresh_from_db()
    assert sec.check_password(password) and sec.must_change_password
    event = AuditEvent.objects.get(object_id=str(sec.pk), detail__break_glass=True)
    assert event.channel == "cli" and event.detail["admin_roles"] == ["secadmin"]
    assert _login(client, "sec", password).status_code == 302
    assert client.get(reverse("accounts:assignments"))["Location"] == reverse("accounts:password_change")
    # the password first, then the authenticator: it is enrolled under the holder's own password
    change = {"old_password": password, "new_password1": NEW, "new_password2": NEW}
    assert client.post(reverse("accounts:password_change"), change).status_code == 302
    assert client.get(reverse("accounts:assignments"))["Location"].startswith(reverse("accounts:otp_enrol"))


def test_every_user_changes_their_own_password_from_the_user_menu(client):
    make_tree()
    user = make_user("member1", "member")
    client.force_login(user)
    home = client.get(reverse("core:home")).content.decode()
    change = reverse("accounts:password_change")
    assert f'href="{change}"' in home
    wrong = client.post(change, {"old_password": "nope", "new_password1": NEW, "new_password2": NEW})
    assert wrong.status_code == 200
    weak = client.post(change, {"old_password": PASSWORD, "new_password1": "abc", "new_password2": "abc"})
    assert "密码" in weak.content.decode() and weak.status_code == 200
    assert (
        client.post(change, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}).status_code == 302
    )
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert AuditEvent.objects.filter(object_id=str(user.pk), detail__reason="voluntary").exists()


def test_every_path_that_sets_a_password_restarts_its_age_but_a_hash_upgrade_does_not():
    user = make_user("ager")
    old = timezone.now() - timedelta(days=60)
    User.objects.filter(pk=user.pk).update(password_changed_at=old)
    user.refresh_from_db()
    user.set_password(NEW)
    user.save(update_fields=["password"])
    user.refresh_from_db()
    assert user.password_changed_at > old + timedelta(days=59)

    # An old PBKDF2 hash is upgraded to Argon2 at the next check: the same password, so the same age.
    User.objects.filter(pk=user.pk).update(password=make_password(NEW, hasher="pbkdf2_sha256"), password_changed_at=old)
    user.refresh_from_db()
    assert user.check_password(NEW)
    user.refresh_from_db()
    assert user.password.startswith("argon2") and user.password_changed_at == old
