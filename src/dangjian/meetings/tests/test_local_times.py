"""Every time a person reads is Beijing time (settings.TIME_ZONE = Asia/Shanghai), though stored in UTC.

Issue 13 §3: a meeting at 07:20 Beijing on 2 December showed as 1 December in lists and the audit log, because
its name was formatted from the UTC value read back from the database (23:20 on 1 December).
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from dangjian.audit.models import AuditEvent
from dangjian.meetings import services
from dangjian.meetings.exemption_forms import ExemptionForm
from dangjian.meetings.models import Meeting
from dangjian.testing import make_tree, make_user

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")
EARLY = datetime(2026, 12, 2, 7, 20, tzinfo=BEIJING)  # 2026-12-01 23:20 UTC


@pytest.fixture
def early_meeting():
    t = make_tree()
    sec = make_user("sec", "secretary", t.branch1)
    m = services.plan_meeting(
        sec,
        t.branch1.pk,
        {"kind": "members_meeting", "title": "学习", "starts_at": EARLY, "ends_at": EARLY + timedelta(hours=2)},
    )
    services.mark_held(sec, m.pk)
    return Meeting.objects.get(pk=m.pk)  # read back: the database gives UTC


def test_a_meeting_at_0720_beijing_is_named_by_its_beijing_date(early_meeting):
    assert early_meeting.starts_at.utcoffset() == timedelta(0)  # stored and read as UTC
    assert str(early_meeting).endswith("2026-12-02")


def test_the_audit_row_of_an_early_meeting_names_its_beijing_date(early_meeting):
    held = AuditEvent.objects.filter(object_type="meetings.meeting", action="update").latest("id")
    assert held.object_repr.endswith("2026-12-02")


def test_the_exemption_forms_meeting_choice_shows_the_beijing_date(early_meeting):
    form = ExemptionForm(
        people=early_meeting.organization.memberships.none(),
        meetings=Meeting.objects.filter(pk=early_meeting.pk),
        approvers=early_meeting.organization.memberships.none(),
    )
    labels = [label for value, label in form.fields["meeting"].choices if value]
    assert labels == ["2026-12-02 学习"]


def test_an_edit_conflict_shows_the_meetings_times_in_beijing_time(early_meeting):
    from dangjian.core.conflicts import EditConflict, ensure_unchanged

    with pytest.raises(EditConflict) as refused:
        ensure_unchanged(early_meeting, ["starts_at"], "stale", {"starts_at": EARLY + timedelta(hours=1)})
    assert refused.value.changes == [("开始时间", "2026-12-02 07:20", "2026-12-02 08:20")]
