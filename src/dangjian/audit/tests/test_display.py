"""The audit log and an object's change history read as words (issue 13 §3 "Audit and change logs").

Stored rows keep field names, ids, raw values and UTC ISO times (their digest covers them, so they are never
rewritten); the pages turn them into labels, 是/否, choice labels, names and Beijing times when shown.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.audit.display import present
from dangjian.audit.models import AuditEvent
from dangjian.audit.services import record, verify_chain
from dangjian.meetings import services as meeting_services
from dangjian.meetings.models import Resolution
from dangjian.testing import PASSWORD, login_with_second_factor, make_member, make_tree, make_user

pytestmark = pytest.mark.django_db

EARLY = datetime(2026, 12, 2, 7, 20, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def world():
    t = make_tree()
    sec = make_user("sec", "secretary", t.branch1)
    host = make_member(t.branch1, "张主持")
    data = {"kind": "members_meeting", "title": "学习", "starts_at": EARLY, "ends_at": EARLY + timedelta(hours=2)}
    meeting = meeting_services.plan_meeting(sec, t.branch1.pk, data)
    return t, sec, host, meeting


def _log(client, query: str = "") -> str:
    auditor = make_user("aud", "auditor")
    login_with_second_factor(client, auditor)
    response = client.get(reverse("audit:log") + query)
    assert response.status_code == 200
    return response.content.decode()


def test_a_utc_snapshot_time_is_shown_in_beijing_time(client, world):
    _, _, _, meeting = world
    record(
        "update",
        meeting,
        before={"starts_at": "2026-12-01T22:00:00+00:00"},
        after={"starts_at": "2026-12-01T23:20:55+00:00"},
    )
    html = _log(client, "?action=update")
    assert "2026-12-02 07:20" in html and "06:00" in html
    assert "2026-12-01T23:20:55+00:00" not in html


def test_changes_show_field_labels_choice_labels_and_related_names(client, world):
    _, _, host, meeting = world
    record(
        "update", meeting, before={"status": "planned", "host_id": None}, after={"status": "held", "host_id": host.pk}
    )
    [row] = present(AuditEvent.objects.filter(action="update"))
    assert ("状态", "已计划", "已召开") in row.changes
    assert ("主持人", "—", "张主持") in row.changes
    html = _log(client, "?action=update")
    assert "host_id" not in html and "planned" not in html


def test_a_boolean_reads_yes_or_no(world):
    _, _, _, meeting = world
    resolution = Resolution.objects.create(
        meeting=meeting, title="决议", due_voting=3, yes=1, no=2, abstain=0, passed=False
    )
    record("update", resolution, before={"passed": False}, after={"passed": True})
    [row] = present(AuditEvent.objects.filter(object_type="meetings.resolution"))
    assert [c for c in row.changes if c[0] == "通过"] == [("通过", "否", "是")]


def test_minutes_are_shown_as_text_without_their_markup(client, world):
    _, _, _, meeting = world
    record("update", meeting, before={"minutes": ""}, after={"minutes": "<p>会议记录<strong>正文</strong></p>"})
    html = _log(client, "?action=update")
    assert "会议记录正文" in html
    assert "&lt;p&gt;" not in html and "<strong>正文" not in html


def test_a_long_list_is_cut_with_its_count(client, world):
    record(
        "import", None, object_type_label="people.person", object_repr="花名册", detail={"people": list(range(1, 301))}
    )
    html = _log(client, "?action=import")
    assert "…等 300 项" in html
    assert "299" not in html


def test_a_login_is_attributed_to_the_account_that_signed_in(client, world):
    _, sec, _, _ = world
    # The sign-in page; the user_logged_in signal records it before the request has a user.
    assert client.post(reverse("accounts:login"), {"username": "sec", "password": PASSWORD}).status_code == 302
    client.logout()
    [row] = present(AuditEvent.objects.filter(action="login").order_by("-id")[:1])
    assert row.actor == "sec"
    html = _log(client, "?action=login&actor=sec")
    assert "<td>sec</td>" in html


def test_the_object_type_is_picked_from_the_types_in_the_log(client, world):
    _, _, _, meeting = world
    record("export", None, object_type_label="people.person", object_repr="花名册导出")
    html = _log(client)
    assert '<select name="object_type">' in html
    assert '<option value="meetings.meeting" >会议</option>' in html
    assert '<option value="people.person" >' in html
    filtered = client.get(reverse("audit:log") + "?object_type=meetings.meeting").content.decode()
    assert "花名册导出" not in filtered and str(meeting) in filtered


def test_the_log_makes_the_same_queries_however_many_rows_and_names(client, world):
    t, _, _, meeting = world
    auditor = make_user("aud", "auditor")
    login_with_second_factor(client, auditor)
    url = reverse("audit:log")

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    record("update", meeting, before={"host_id": None}, after={"host_id": make_member(t.branch1, "甲").pk})
    few = queries()
    for i in range(8):
        record("update", meeting, before={"host_id": None}, after={"host_id": make_member(t.branch1, f"乙{i}").pk})
    assert queries() == few


def test_showing_rows_never_changes_them(client, world):
    _, _, host, meeting = world
    record("update", meeting, before={"host_id": None}, after={"host_id": host.pk})
    stored = list(AuditEvent.objects.values_list("id", "before", "after", "digest"))
    _log(client)
    assert (
        list(AuditEvent.objects.filter(id__lte=stored[0][0]).values_list("id", "before", "after", "digest")) == stored
    )
    assert verify_chain() == (True, None)


def test_an_objects_change_history_reads_as_words(client, world):
    _, sec, _, meeting = world
    meeting_services.mark_held(sec, meeting.pk)
    client.force_login(sec)
    html = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    history = html[html.index("修改记录") :]
    assert "状态" in history and "已计划 → 已召开" in history
    assert "<code>status</code>" not in history and "2026-12-01T23:20" not in history


def test_a_detail_names_a_related_row_by_its_column_and_keeps_free_text(world):
    _, _, host, meeting = world
    record("update", meeting, detail={"host_id": host.pk, "meeting": "学习会", "reason": "<b>改期</b>"})
    [row] = present(AuditEvent.objects.filter(action="update"))
    # jsonb on PostgreSQL keeps no key order
    assert sorted(row.detail) == sorted([("主持人", "张主持"), ("会议", "学习会"), ("原因", "改期")])
