import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangjian.testing import PASSWORD, login_with_second_factor, make_tree, make_user

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2():
    user = make_user("u1")
    assert user.password.startswith("argon2")


@pytest.mark.parametrize("password", ["short1A", "alllowercase1", "ALLUPPER123", "NoDigitsHere"])
def test_weak_passwords_are_refused_in_chinese(password):
    with pytest.raises(ValidationError) as info:
        validate_password(password)
    assert any("密码" in m for m in info.value.messages)


def test_a_strong_password_passes():
    validate_password("Xinghe@2026!")


def test_five_failures_lock_the_account_even_with_the_right_password(client):
    make_user("target", "member")
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "target", "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    locked = client.post(
        reverse("accounts:login"), {"username": "target", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2"
    )
    assert locked.status_code == 429
    assert "锁定" in locked.content.decode()


def test_five_failures_from_one_address_lock_that_address(client):
    make_user("someone", "member")
    for i in range(5):
        client.post(reverse("accounts:login"), {"username": f"ghost{i}", "password": "x"}, REMOTE_ADDR="10.0.0.9")
    locked = client.post(
        reverse("accounts:login"), {"username": "someone", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )
    assert locked.status_code == 429


def test_login_succeeds_and_sessions_expire_after_thirty_idle_minutes(client, settings):
    make_tree()
    make_user("ok", "member")
    response = client.post(reverse("accounts:login"), {"username": "ok", "password": PASSWORD})
    assert response.status_code == 302
    assert settings.SESSION_COOKIE_AGE == 1800 and settings.SESSION_SAVE_EVERY_REQUEST
    assert client.session.get_expiry_age() <= 1800


def test_pages_send_a_strict_content_security_policy_and_security_headers(client):
    response = client.get(reverse("accounts:login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_post_without_csrf_token_is_refused():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("accounts:login"), {"username": "a", "password": "b"}).status_code == 403


def test_the_interface_stays_chinese_for_an_english_browser(client):
    html = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "<h1>登录</h1>" in html


def test_the_security_administrator_sees_lockouts_and_can_lift_them(client):
    from axes.models import AccessAttempt

    from dangjian.audit.models import AuditEvent

    make_user("victim", "member")
    secadmin = make_user("sec-admin", "secadmin")
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "victim", "password": "wrong"}, REMOTE_ADDR="10.0.0.7")
    login_with_second_factor(client, secadmin)
    html = client.get(reverse("accounts:policy")).content.decode()
    assert "victim" in html and "Argon2" in html
    attempt = AccessAttempt.objects.get(username="victim")
    client.post(reverse("accounts:unlock", args=[attempt.pk]))
    assert not AccessAttempt.objects.filter(username="victim").exists()
    assert AuditEvent.objects.filter(object_type="axes.accessattempt", actor=secadmin).exists()
    client.logout()
    ok = client.post(reverse("accounts:login"), {"username": "victim", "password": PASSWORD}, REMOTE_ADDR="10.0.0.7")
    assert ok.status_code == 302


def test_other_roles_cannot_open_the_security_policy(client):
    t = make_tree()
    client.force_login(make_user("office", "office", t.root))
    assert client.get(reverse("accounts:policy")).status_code == 404
