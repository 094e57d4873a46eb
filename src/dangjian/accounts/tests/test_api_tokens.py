"""API tokens end with the password, the account and the web session; they can be revoked and are audited
(issue 10 §3)."""

from datetime import timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts import services as account_services
from dangjian.accounts.models import ApiToken, User
from dangjian.audit.models import AuditEvent
from dangjian.testing import PASSWORD, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Another@2027y"


@pytest.fixture
def sec(personas):
    """Branch A's secretary, whose tokens these tests issue and end."""
    return personas.secretary


def issue(username="secretary", password=PASSWORD) -> str:
    r = Client().post(
        "/api/v1/auth/token", {"username": username, "password": password}, content_type="application/json"
    )
    assert r.status_code == 200, r.content
    return r.json()["token"]


def status(raw: str) -> int:
    return Client().get("/api/v1/organizations", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code


def test_only_a_hash_of_the_token_is_stored(sec):
    raw = issue()
    row = ApiToken.objects.get(user=sec)
    assert raw not in str(ApiToken.objects.filter(pk=row.pk).values().first())
    assert row.digest == ApiToken.digest_of(raw)


def test_a_password_set_on_the_model_ends_every_token(sec):
    first, second = issue(), issue()
    assert status(first) == 200 and status(second) == 200
    sec.set_password(NEW_PASSWORD)
    sec.save()
    assert status(first) == 401 and status(second) == 401
    assert status(issue(password=NEW_PASSWORD)) == 200


def test_a_password_reset_by_the_administrator_ends_every_token(sec):
    raw = issue()
    admin = make_user("sys", "sysadmin")
    one_time = account_services.reset_password(admin, sec.pk)
    assert one_time and status(raw) == 401


def test_a_password_written_past_the_model_still_ends_every_token(sec):
    raw = issue()
    User.objects.filter(pk=sec.pk).update(password=make_password(NEW_PASSWORD))
    assert status(raw) == 401


def test_a_reactivated_account_does_not_get_its_old_tokens_back(sec):
    admin = make_user("sys", "sysadmin")
    by_service, by_model = issue(), issue()
    account_services.set_active(admin, sec.pk, False)
    assert status(by_service) == 401
    account_services.set_active(admin, sec.pk, True)
    assert status(by_service) == 401
    by_model = issue()
    sec.refresh_from_db()
    sec.is_active = False
    sec.save()
    sec.is_active = True
    sec.save()
    assert status(by_model) == 401
    assert status(issue()) == 200


def test_web_logout_ends_the_users_tokens_and_only_theirs(sec, personas):
    other = personas.other_secretary
    mine, theirs = issue(), issue(other.username)
    browser = Client()
    assert browser.post(reverse("accounts:login"), {"username": sec.username, "password": PASSWORD}).status_code == 302
    browser.post(reverse("accounts:logout"))
    assert status(mine) == 401
    assert status(theirs) == 200
    assert other.api_tokens.get().revoked_at is None


def test_revoke_ends_the_presented_token_only_and_is_audited(sec):
    raw, kept = issue(), issue()
    r = Client().post("/api/v1/auth/revoke", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert r.status_code == 204
    assert status(raw) == 401 and status(kept) == 200
    row = ApiToken.objects.get(digest=ApiToken.digest_of(raw))
    event = AuditEvent.objects.get(action="revoke", object_type="accounts.apitoken", object_id=str(row.pk))
    assert event.actor == sec and event.channel == "api"
    assert Client().post("/api/v1/auth/revoke", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_issue_is_audited_without_the_token(sec):
    raw = issue()
    row = ApiToken.objects.get(user=sec)
    event = AuditEvent.objects.get(action="create", object_type="accounts.apitoken", object_id=str(row.pk))
    assert event.actor == sec
    assert raw not in str(event.after) + str(event.detail) + event.object_repr
    assert row.digest not in str(event.after) + str(event.detail)


def test_an_expired_token_answers_401(sec):
    raw = issue()
    ApiToken.objects.filter(user=sec).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert status(raw) == 401


def test_api_lockout_answers_json_429(sec):
    api = Client()
    codes = [
        api.post("/api/v1/auth/token", {"username": "secretary", "password": "no"}, content_type="application/json")
        for _ in range(5)
    ]
    assert [r.status_code for r in codes] == [401, 401, 401, 401, 429]  # the fifth failure locks
    assert codes[-1].json()["detail"]
    r = api.post("/api/v1/auth/token", {"username": "secretary", "password": PASSWORD}, content_type="application/json")
    assert r.status_code == 429
    assert r["Content-Type"].startswith("application/json")
    assert "锁定" in r.json()["detail"]


def test_the_token_page_lists_own_tokens_and_revokes_after_confirmation(client, sec):
    raw = issue()
    other = make_user("someone-else", "member")
    other_raw = issue("someone-else")
    mine = ApiToken.objects.get(user=sec)
    theirs = ApiToken.objects.get(user=other)
    client.force_login(sec)
    html = client.get(reverse("accounts:tokens")).content.decode()
    assert timezone.localtime(mine.expires_at).strftime("%Y-%m-%d") in html
    assert reverse("accounts:token_revoke", args=[mine.pk]) in html
    assert reverse("accounts:token_revoke", args=[theirs.pk]) not in html
    confirm = client.get(reverse("accounts:token_revoke", args=[mine.pk]))
    assert confirm.status_code == 200 and status(raw) == 200  # asking is not revoking
    assert client.get(reverse("accounts:token_revoke", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("accounts:token_revoke", args=[theirs.pk])).status_code == 404
    assert status(other_raw) != 401  # still authenticates (a member may not list organisations: 404)
    r = client.post(reverse("accounts:token_revoke", args=[mine.pk]))
    assert r.status_code == 302
    assert status(raw) == 401
    assert AuditEvent.objects.filter(action="revoke", object_id=str(mine.pk), actor=sec, channel="web").exists()
    html = client.get(reverse("accounts:tokens")).content.decode()
    assert reverse("accounts:token_revoke", args=[mine.pk]) not in html
