"""Behind a reverse proxy the client is read from X-Forwarded-For, trusting exactly DANGJIAN_PROXY_COUNT proxies,
once, for the lock-out and the audit log alike (issue 10 §7)."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from dangjian.audit.models import AuditEvent
from dangjian.core.client_address import client_ip
from dangjian.testing import PASSWORD, make_user

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"


def _request(remote: str, forwarded: str | None = None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_proxies_the_forwarded_header_is_ignored(settings):
    settings.PROXY_COUNT = 0
    assert client_ip(_request("10.1.1.1", "6.6.6.6")) == "10.1.1.1"


def test_with_one_proxy_the_rightmost_forwarded_address_is_the_client(settings):
    settings.PROXY_COUNT = 1
    assert client_ip(_request(PROXY, "10.2.2.2")) == "10.2.2.2"
    # a forged entry the client put in front is not trusted: only the address our proxy appended counts
    assert client_ip(_request(PROXY, "6.6.6.6, 10.2.2.2")) == "10.2.2.2"


def test_with_two_proxies_the_second_from_the_right(settings):
    settings.PROXY_COUNT = 2
    assert client_ip(_request(PROXY, "6.6.6.6, 10.3.3.3, 192.168.0.5")) == "10.3.3.3"


def test_a_missing_or_malformed_header_falls_back_to_the_peer(settings):
    settings.PROXY_COUNT = 1
    assert client_ip(_request("10.4.4.4")) == "10.4.4.4"
    assert client_ip(_request(PROXY, "not-an-address")) == PROXY
    assert client_ip(_request(PROXY, "10.5.5.5:51234")) == "10.5.5.5"
    assert client_ip(_request(PROXY, "[2001:db8::1]:443")) == "2001:db8::1"


def test_behind_a_proxy_five_failures_from_one_client_do_not_lock_out_another(client, settings):
    settings.PROXY_COUNT = 1
    make_user("alice", "member")
    make_user("bob", "member")
    for i in range(5):
        client.post(
            reverse("accounts:login"),
            {"username": f"ghost{i}", "password": "x"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR="10.0.0.1",
        )
    locked = client.post(
        reverse("accounts:login"),
        {"username": "alice", "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="10.0.0.1",
    )
    assert locked.status_code == 429
    other = client.post(
        reverse("accounts:login"),
        {"username": "bob", "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="10.0.0.2",
    )
    assert other.status_code == 302


def test_audit_rows_record_the_clients_address(client, settings):
    settings.PROXY_COUNT = 1
    make_user("carol", "member")
    client.post(
        reverse("accounts:login"),
        {"username": "carol", "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="10.9.8.7",
    )
    event = AuditEvent.objects.filter(action="login").latest("id")
    assert event.ip == "10.9.8.7"
    client.post(reverse("accounts:logout"), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="10.9.8.6")
    assert AuditEvent.objects.filter(action="logout").latest("id").ip == "10.9.8.6"


def test_api_requests_record_the_clients_address(client, settings):
    settings.PROXY_COUNT = 1
    make_user("dave", "member")
    r = client.post(
        "/api/v1/auth/token",
        {"username": "dave", "password": "wrong"},
        content_type="application/json",
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="10.7.7.7",
    )
    assert r.status_code == 401
    assert AuditEvent.objects.filter(action="login_failed").latest("id").ip == "10.7.7.7"
