"""An administrator on a phone: enrols an authenticator, then logs in with password and code."""

import base64
import time

import pytest
from django_otp.oath import TOTP

from dangjian.testing import PASSWORD, make_tree, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _code(secret: str, steps_ahead: int = 0) -> str:
    totp = TOTP(base64.b32decode(secret))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_administrator_enrols_and_logs_in_with_a_code_on_a_phone(phone, live_server, tmp_path):
    make_tree()
    make_user("sa", "sysadmin")
    login(phone, live_server.url, "sa", PASSWORD)
    assert "/accounts/second-factor/enrol/" in phone.url
    assert phone.locator("#otp-qr svg").is_visible()
    assert _fits_the_screen(phone)
    phone.screenshot(path=str(tmp_path / "enrol.png"), full_page=True)
    secret = phone.locator("#otp-secret").inner_text().replace(" ", "")
    phone.fill("input[name=otp]", _code(secret))
    phone.click("#enrol-form button[type=submit]")
    phone.wait_for_load_state("networkidle")
    codes = phone.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    phone.screenshot(path=str(tmp_path / "recovery.png"), full_page=True)
    phone.click("text=我已保存，继续")
    phone.wait_for_load_state("networkidle")
    assert phone.url.rstrip("/") == live_server.url

    phone.click(".menu-toggle")
    phone.click(".usermenu button[type=submit]")  # log out
    phone.wait_for_load_state("networkidle")
    login(phone, live_server.url, "sa", PASSWORD)
    assert phone.url.endswith("/accounts/login/code/")
    assert _fits_the_screen(phone)
    phone.fill("input[name=otp]", "000000" if _code(secret, 1) != "000000" else "111111")
    phone.click("#code-form button[type=submit]")
    phone.wait_for_load_state("networkidle")
    assert "验证码不正确" in phone.content()
    phone.screenshot(path=str(tmp_path / "code.png"), full_page=True)
    time.sleep(1.1)  # the authenticator refuses codes for a second after a wrong one (django-otp throttling)
    phone.fill("input[name=otp]", _code(secret, 1))  # the enrolment used this step's code; the next step's is fresh
    phone.click("#code-form button[type=submit]")
    phone.wait_for_load_state("networkidle")
    assert phone.url.rstrip("/") == live_server.url
    assert phone.locator(".who").inner_text() == "sa"
