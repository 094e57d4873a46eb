"""The meeting list and the meeting page make a fixed number of queries, however many meetings and attendees."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.meetings import services
from dangjian.testing import make_member

from .test_pages_world import held_with_quorum, make_world, plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_meeting_list_query_count_does_not_grow_with_the_data(client, world):
    w = world
    for i in range(2):
        plan(w.sec1, w.t.branch1, title=f"少{i}")
    for user in (w.sec1, w.member):
        client.force_login(user)
        few = _queries(client, reverse("meetings:list"))
        for i in range(12):
            m = plan(w.sec1, w.t.branch1 if i % 2 else w.t.group1, title=f"多{i}")
            services.set_attendance(w.sec1, m.pk, {w.full[1].pk: ("present", "")})
        assert _queries(client, reverse("meetings:list")) == few, user


def test_the_meeting_page_query_count_does_not_grow_with_attendees(client, world, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dangjian.meetings.attachments import add_attachment

    settings.MEDIA_ROOT = tmp_path
    w = world
    small = plan(w.sec1, w.t.group1, kind="group_meeting")
    for i in range(30):
        make_member(w.t.branch1, f"新{i}", status="probationary" if i % 3 == 0 else "full")
    big = plan(w.sec1, w.t.branch1)
    for m in (small, big):
        held_with_quorum(w, m)
        services.record_minutes(
            w.sec1, m.pk, "<p>记录</p>", [{"title": f"事项{i}", "yes": 1, "no": 0, "abstain": 0} for i in range(3)]
        )
        for i in range(3):
            add_attachment(w.sec1, m.pk, SimpleUploadedFile(f"f{i}.pdf", b"%PDF-1.4"))
    client.force_login(w.sec1)
    assert big.attendances.count() > 30 > small.attendances.count()
    assert _queries(client, reverse("meetings:detail", args=[big.pk])) == _queries(
        client, reverse("meetings:detail", args=[small.pk])
    )
