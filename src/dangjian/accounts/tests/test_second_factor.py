"""Second factor for administrators (等保 三级, GB/T 22239-2019 8.1.4.1 d): TOTP (RFC 6238) and recovery codes."""

from __future__ import annotations

import base64
import re
import time

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangjian.accounts import second_factor
from dangjian.accounts.models import ApiToken
from dangjian.audit.models import AuditEvent
from dangjian.testing import PASSWORD, TOTP_SECRET, login_with_second_factor, make_tree, make_user

pytestmark = pytest.mark.django_db

ENROL = "/accounts/second-factor/enrol/"
CODE = "/accounts/login/code/"


def code_for(secret_base32: str, steps_ahead: int = 0) -> str:
    """What the authenticator app shows now (or that many 30-second steps later)."""
    key = base64.b32decode(secret_base32)
    if not steps_ahead:
        return f"{totp(key):06d}"
    t = TOTP(key)
    t.time = time.time() + 30 * steps_ahead
    return f"{t.token():06d}"


def password_login(client, username: str, **extra):
    return client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD}, **extra)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def admin():
    make_tree()
    return make_user("sa", "sysadmin")


@pytest.fixture
def enrolled(admin):
    second_factor.enrol_fixed(admin, TOTP_SECRET)
    return admin


def test_an_administrator_without_enrolment_is_sent_to_enrolment_on_every_page(client, admin):
    assert password_login(client, "sa").status_code == 302
    for url in ("/", reverse("accounts:users"), reverse("accounts:user_create"), reverse("orgs:tree"), "/audit/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(ENROL), url
    refused = client.post(reverse("accounts:user_create"), {"username": "x1", "password": "Xinghe@2026!"})
    assert refused.status_code == 302 and refused["Location"] == ENROL
    assert not type(admin).objects.filter(username="x1").exists()
    htmx = client.get(reverse("accounts:users"), HTTP_HX_REQUEST="true")
    assert htmx["HX-Redirect"].startswith(ENROL)


def test_other_roles_are_not_asked_for_a_second_factor(client):
    make_tree()
    make_user("m1", "member")
    assert password_login(client, "m1").status_code == 302
    assert signed_in(client)
    assert client.get("/").status_code == 200


def test_every_role_can_be_required_to_enrol(client, settings):
    from dangjian.accounts.roles import Role

    settings.DANGJIAN_2FA_ROLES = list(Role.values)
    make_tree()
    make_user("m1", "member")
    password_login(client, "m1")
    assert client.get("/")["Location"].startswith(ENROL)


def test_enrolment_shows_the_qr_code_and_secret_and_a_code_confirms_it(client, admin):
    password_login(client, "sa")
    html = client.get(ENROL).content.decode()
    secret = second_factor.base32_of(client.session["dangjian_second_factor_enrol_secret"])
    shown = re.search(r'id="otp-secret">([A-Z2-7 ]+)<', html).group(1)
    assert shown.replace(" ", "") == secret and "<svg" in html and 'name="otp"' in html
    assert shown in client.get(ENROL).content.decode()  # a reload keeps the secret just scanned
    done = client.post(ENROL, {"otp": code_for(secret)})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == len(set(codes)) == 10
    assert all(code in done.content.decode() for code in codes)
    device = TOTPDevice.objects.get(user=admin)
    assert device.confirmed and second_factor.base32_of(device.key) == secret
    assert StaticToken.objects.filter(device__user=admin).count() == 10
    assert client.get("/").status_code == 200  # the enrolment verified this session
    event = AuditEvent.objects.filter(object_type="accounts.user", object_id=str(admin.pk)).first()
    assert event.detail == {"second_factor": "enrolled", "recovery_codes": 10}
    assert secret not in str(event.detail) and device.key not in str(event.detail)


def test_a_wrong_enrolment_code_is_refused_and_audited(client, admin):
    password_login(client, "sa")
    client.get(ENROL)
    secret = second_factor.base32_of(client.session["dangjian_second_factor_enrol_secret"])
    wrong = f"{(int(code_for(secret)) + 1) % 1000000:06d}"
    response = client.post(ENROL, {"otp": wrong})
    assert response.status_code == 200 and "验证码不正确" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=admin).exists()
    assert AuditEvent.objects.filter(
        action="login_failed", object_id=str(admin.pk), detail={"second_factor": "enrolment_code_wrong"}
    ).exists()
    assert client.get("/")["Location"].startswith(ENROL)


def test_the_password_alone_opens_no_session_and_the_login_asks_for_the_code(client, enrolled):
    response = password_login(client, "sa")
    assert response.status_code == 302 and response["Location"] == CODE
    assert not signed_in(client)
    assert "/accounts/login/" in client.get("/")["Location"]
    html = client.get(CODE).content.decode()
    assert 'name="otp"' in html and "sa" in html
    assert not AuditEvent.objects.filter(action="login", object_id=str(enrolled.pk)).exists()


def test_a_wrong_code_is_refused_audited_and_counted_toward_the_lock_out(client, enrolled):
    password_login(client, "sa")
    wrong = f"{(int(code_for(TOTP_SECRET)) + 1) % 1000000:06d}"
    response = client.post(CODE, {"otp": wrong})
    assert response.status_code == 200 and "验证码不正确" in response.content.decode()
    assert not signed_in(client)
    failed = AuditEvent.objects.filter(action="login_failed", object_repr="sa").get()
    assert failed.detail == {"second_factor": "totp"}
    assert AccessAttempt.objects.get(username="sa").failures_since_start == 1
    assert wrong not in AccessAttempt.objects.get(username="sa").post_data


def test_the_right_code_logs_in(client, enrolled):
    password_login(client, "sa")
    response = client.post(CODE, {"otp": code_for(TOTP_SECRET)})
    assert response.status_code == 302 and response["Location"] == "/"
    assert signed_in(client)
    assert client.get(reverse("accounts:users")).status_code == 200
    assert AuditEvent.objects.filter(action="login", object_id=str(enrolled.pk)).exists()


def test_the_code_page_returns_to_the_page_asked_for(client, enrolled):
    client.post(reverse("accounts:login") + "?next=/accounts/users/", {"username": "sa", "password": PASSWORD})
    assert client.post(CODE, {"otp": code_for(TOTP_SECRET)})["Location"] == "/accounts/users/"


def test_a_code_is_accepted_once(client, enrolled):
    code = code_for(TOTP_SECRET)
    password_login(client, "sa")
    assert client.post(CODE, {"otp": code}).status_code == 302
    client.post(reverse("accounts:logout"))
    password_login(client, "sa")
    assert client.post(CODE, {"otp": code}).status_code == 200  # replayed (RFC 6238 section 5.2)
    assert not signed_in(client)


def test_five_wrong_codes_lock_the_account(client, enrolled):
    password_login(client, "sa")
    wrong = f"{(int(code_for(TOTP_SECRET)) + 1) % 1000000:06d}"
    answers = [client.post(CODE, {"otp": wrong}).status_code for _ in range(5)]
    assert answers == [200, 200, 200, 200, 429]
    assert password_login(client, "sa").status_code == 429
    assert not signed_in(client)


def test_a_recovery_code_works_once(client, admin):
    secret = second_factor.new_secret()
    _, codes = second_factor.enrol(admin, secret, code_for(second_factor.base32_of(secret)))
    password_login(client, "sa")
    assert client.post(CODE, {"otp": codes[3].upper()}).status_code == 302
    assert signed_in(client)
    assert client.get("/").status_code == 200
    used = AuditEvent.objects.filter(object_id=str(admin.pk), detail__second_factor="recovery_code_used").get()
    assert used.detail["recovery_codes_left"] == 9
    client.post(reverse("accounts:logout"))
    password_login(client, "sa")
    again = client.post(CODE, {"otp": codes[3]})
    assert again.status_code == 200 and not signed_in(client)
    assert AuditEvent.objects.filter(action="login_failed", detail={"second_factor": "recovery_code"}).exists()


def test_a_half_done_login_expires(client, enrolled):
    from dangjian.accounts import pending

    password_login(client, "sa")
    session = client.session
    session[pending.SESSION_KEY] = {**session[pending.SESSION_KEY], "at": time.time() - pending.MAX_AGE_SECONDS - 1}
    session.save()
    response = client.post(CODE, {"otp": code_for(TOTP_SECRET)})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert not signed_in(client)


def test_the_code_page_without_a_password_sends_to_login(client, enrolled):
    assert client.get(CODE)["Location"] == reverse("accounts:login")


def test_a_session_without_the_second_factor_is_sent_to_the_code_page(client, enrolled):
    client.force_login(enrolled)  # e.g. a session opened before the role was granted
    response = client.get(reverse("accounts:users"))
    assert response.status_code == 302 and response["Location"].startswith(CODE)
    assert client.post(CODE + "?next=/accounts/users/", {"otp": code_for(TOTP_SECRET)})["Location"] == (
        "/accounts/users/"
    )
    assert client.get(reverse("accounts:users")).status_code == 200


def test_the_token_endpoint_asks_administrators_for_the_code(client, enrolled):
    url = "/api/v1/auth/token"
    body = {"username": "sa", "password": PASSWORD}
    without = client.post(url, body, content_type="application/json")
    assert without.status_code == 401
    ok = client.post(url, {**body, "otp": code_for(TOTP_SECRET)}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["token"]
    assert ApiToken.objects.filter(user=enrolled).count() == 1
    wrong = f"{(int(code_for(TOTP_SECRET, steps_ahead=1)) + 1) % 1000000:06d}"
    assert client.post(url, {**body, "otp": wrong}, content_type="application/json").status_code == 401
    assert AccessAttempt.objects.get(username="sa").failures_since_start == 1
    assert ApiToken.objects.filter(user=enrolled).count() == 1


def test_the_token_endpoint_refuses_an_administrator_not_yet_enrolled(client, admin):
    body = {"username": "sa", "password": PASSWORD, "otp": "123456"}
    response = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert response.status_code == 401 and "绑定" in response.json()["detail"]


def test_the_token_endpoint_does_not_ask_other_roles(client):
    make_tree()
    make_user("m1", "member")
    body = {"username": "m1", "password": PASSWORD}
    assert client.post("/api/v1/auth/token", body, content_type="application/json").status_code == 200


def test_the_security_administrator_resets_an_enrolment(client, enrolled):
    secadmin = make_user("sec-admin", "secadmin")
    login_with_second_factor(client, secadmin)
    listing = client.get(reverse("accounts:otp_devices")).content.decode()
    assert "sa</td>" in listing
    response = client.post(reverse("accounts:otp_reset", args=[enrolled.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=enrolled).exists()
    event = AuditEvent.objects.filter(object_id=str(enrolled.pk), detail__second_factor="reset").get()
    assert event.actor == secadmin
    client.post(reverse("accounts:logout"))
    password_login(client, "sa")
    assert client.get("/")["Location"].startswith(ENROL)


def test_a_reset_ends_the_verification_of_open_sessions(client, enrolled):
    login_with_second_factor(client, enrolled)
    assert client.get(reverse("accounts:users")).status_code == 200
    second_factor.reset(None, enrolled.pk)
    assert client.get(reverse("accounts:users"))["Location"].startswith(ENROL)


def test_only_the_security_administrator_resets_enrolments(client, enrolled):
    login_with_second_factor(client, enrolled)  # the system administrator manages accounts, not their factors
    assert client.get(reverse("accounts:otp_devices")).status_code == 404
    assert client.post(reverse("accounts:otp_reset", args=[enrolled.pk])).status_code == 404
    assert TOTPDevice.objects.filter(user=enrolled).exists()


def test_an_unknown_role_in_the_setting_is_a_system_check_error(settings):
    from dangjian.accounts.checks import second_factor_roles_check

    settings.DANGJIAN_2FA_ROLES = ["sysadmin", "sysadmn"]
    [error] = second_factor_roles_check()
    assert error.id == "accounts.E001" and "sysadmn" in error.msg
