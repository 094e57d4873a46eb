"""等保 三级 account hygiene (issue 10 §7): password expiry with a warning, dormant accounts locked."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts import services
from dangjian.accounts.models import ApiToken, User
from dangjian.audit.models import AuditEvent
from dangjian.testing import PASSWORD, make_tree, make_user

pytestmark = pytest.mark.django_db

NEW = "Xinghe@2026!new"


def _age(user, *, password_days=0, login_days=None, joined_days=0):
    now = timezone.now()
    User.objects.filter(pk=user.pk).update(
        password_changed_at=now - timedelta(days=password_days),
        last_login=None if login_days is None else now - timedelta(days=login_days),
        date_joined=now - timedelta(days=joined_days),
    )
    user.refresh_from_db()
    return user


def _login(client, username, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_the_defaults_are_ninety_days_with_a_fourteen_day_warning(settings):
    assert (settings.PASSWORD_MAX_AGE_DAYS, settings.PASSWORD_WARN_DAYS, settings.INACTIVE_LOCK_DAYS) == (90, 14, 90)


def test_an_expired_password_must_be_changed_at_login_before_anything_else(client):
    make_tree()
    user = _age(make_user("old", "member"), password_days=91, login_days=1)
    assert _login(client, "old").status_code == 302
    change = reverse("accounts:password_change")
    assert client.get(reverse("core:home"))["Location"] == change
    page = client.get(change).content.decode()
    assert "已过期" in page
    client.post(change, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert client.get(reverse("core:home")).status_code == 200
    user.refresh_from_db()
    assert timezone.now() - user.password_changed_at < timedelta(minutes=1)
    assert AuditEvent.objects.filter(object_id=str(user.pk), detail__reason="expired").exists()


def test_every_page_warns_in_the_last_fourteen_days(client):
    make_tree()
    user = _age(make_user("soon", "member"), password_days=80, login_days=1)
    client.force_login(user)
    assert "天内过期" in client.get(reverse("core:home")).content.decode()
    _age(user, password_days=70, login_days=1)
    assert "天内过期" not in client.get(reverse("core:home")).content.decode()


def test_the_password_age_is_a_setting(client, settings):
    make_tree()
    settings.PASSWORD_MAX_AGE_DAYS = 30
    user = _age(make_user("short", "member"), password_days=31, login_days=1)
    client.force_login(user)
    assert client.get(reverse("core:home")).status_code == 302
    settings.PASSWORD_MAX_AGE_DAYS = 0
    assert client.get(reverse("core:home")).status_code == 200


def test_a_dormant_account_is_locked_at_its_next_login_audited(client):
    make_tree()
    _age(make_user("sleeper", "member"), login_days=91, joined_days=400)
    wrong = _login(client, "sleeper", "wrong-password")
    assert wrong.status_code == 200 and User.objects.get(username="sleeper").is_active  # only the right password
    response = _login(client, "sleeper")
    assert response.status_code == 200 and "长期未使用" in response.content.decode()
    sleeper = User.objects.get(username="sleeper")
    assert not sleeper.is_active
    event = AuditEvent.objects.get(object_id=str(sleeper.pk), detail__locked="inactive")
    assert event.after == {"is_active": False}


def test_a_recently_used_account_logs_in(client):
    make_tree()
    _age(make_user("awake", "member"), login_days=89, joined_days=400)
    assert _login(client, "awake").status_code == 302


def test_the_daily_command_locks_dormant_accounts_only(settings):
    make_tree()
    _age(make_user("never", "member"), joined_days=91)
    _age(make_user("gone", "member"), login_days=120, joined_days=400)
    _age(make_user("new", "member"), joined_days=10)
    _age(make_user("recent", "member"), login_days=3, joined_days=400)
    script = _age(make_user("script", "office", make_tree_root()), login_days=200, joined_days=400)
    ApiToken.issue(script)
    ApiToken.objects.filter(user=script).update(last_used_at=timezone.now() - timedelta(days=2))
    out = io.StringIO()
    call_command("lock_inactive_accounts", stdout=out)
    assert "gone、never" in out.getvalue()
    active = dict(User.objects.values_list("username", "is_active"))
    assert active == {"never": False, "gone": False, "new": True, "recent": True, "script": True}
    assert AuditEvent.objects.filter(detail__locked="inactive", channel="cli").count() == 2
    settings.INACTIVE_LOCK_DAYS = 0
    _age(User.objects.get(username="recent"), login_days=300, joined_days=400)
    call_command("lock_inactive_accounts", stdout=io.StringIO())
    assert User.objects.get(username="recent").is_active


def test_a_re_enabled_account_starts_a_new_idle_period(client):
    make_tree()
    sysadmin = make_user("sys", "sysadmin")
    _age(make_user("back", "member"), login_days=200, joined_days=400)
    call_command("lock_inactive_accounts", stdout=io.StringIO())
    services.set_active(sysadmin, User.objects.get(username="back").pk, True)
    assert _login(client, "back").status_code == 302


def make_tree_root():
    from dangjian.orgs.models import Organization

    return Organization.objects.get(depth=1)


def test_locking_a_dormant_account_ends_its_tokens_so_re_enabling_brings_none_back(client):
    from dangjian.accounts import tokens

    make_tree()
    sysadmin = make_user("sys", "sysadmin")
    user = _age(make_user("idle", "member"), login_days=200, joined_days=400)
    raw, token = tokens.issue(user)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - timedelta(days=120))
    call_command("lock_inactive_accounts", stdout=io.StringIO())
    services.set_active(sysadmin, user.pk, True)
    assert client.get("/api/v1/organizations", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert ApiToken.objects.get(pk=token.pk).end_reason == "deactivated"
