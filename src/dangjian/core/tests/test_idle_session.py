"""Polling pages do not keep an idle session alive (issue 10, section 7).

SESSION_SAVE_EVERY_REQUEST moves a session's expiry ahead on every request; a page that polls every few seconds
(QR projection, import progress) would keep an unattended session open forever.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

import dangjian
from dangjian.meetings.models import Meeting
from dangjian.people.models import ImportJob
from dangjian.testing import make_tree, make_user

pytestmark = pytest.mark.django_db
POLL = {"HTTP_HX_REQUEST": "true", "HTTP_X_DANGJIAN_POLL": "1"}


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def _set_expiry(client, when):
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=when)


@pytest.fixture
def polling_pages(client):
    tree = make_tree()
    sec = make_user("sec1", "secretary", tree.branch1)
    job = ImportJob.objects.create(user=sec, filename="a.csv", stored_name="nonexistent", status="running")
    start = timezone.now() + timedelta(minutes=10)
    meeting = Meeting.objects.create(
        organization=tree.branch1,
        kind="theme_day",
        title="主题党日",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )
    client.force_login(sec)
    return [reverse("people:import_job", args=[job.pk]), reverse("meetings:qr", args=[meeting.pk])]


def test_a_polling_request_does_not_extend_the_session(client, polling_pages):
    for url in polling_pages:
        soon = timezone.now() + timedelta(minutes=5)
        _set_expiry(client, soon)
        assert client.get(url, **POLL).status_code == 200
        assert _expiry(client) == soon, url  # untouched: the poll is not activity
        assert client.get(url).status_code == 200  # a real visit is activity
        assert _expiry(client) > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


def test_an_idle_session_expires_although_a_page_keeps_polling(client, polling_pages):
    _set_expiry(client, timezone.now() - timedelta(seconds=1))  # DANGJIAN_SESSION_IDLE_MINUTES have passed
    response = client.get(polling_pages[0], **POLL)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_every_polling_element_marks_its_requests():
    templates = Path(dangjian.__file__).parent
    polling = 0
    for path in templates.rglob("*.html"):
        for tag in re.findall(r"<[^>]*hx-trigger=\"[^\"]*every [^>]*>", path.read_text()):
            polling += 1
            assert "X-Dangjian-Poll" in tag, path
    assert polling >= 3  # QR projection, import progress, health screening run
