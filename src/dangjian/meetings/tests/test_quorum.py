"""The quorum at its edges, through the services and the pages (支部工作条例 art. 11 and 12).

Art. 11: 表决必须有半数以上有表决权的党员到会方可进行，赞成人数超过应到会有表决权的党员的半数为通过.
Art. 12: 支部委员会会议须有半数以上委员到会方可进行.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangjian.meetings import services
from dangjian.meetings.models import MeetingStatus
from dangjian.orgs.services import record_term
from dangjian.testing import make_member, make_tree, make_user

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 3, 10, 14, tzinfo=TZ)


@pytest.fixture
def ten():
    t = make_tree()
    full = [make_member(t.branch1, f"党员{i}") for i in range(10)]
    sec = make_user("sec", "secretary", t.branch1, person=full[0])
    return t, full, sec


def held_with(sec, org, people, kind="members_meeting"):
    m = services.plan_meeting(
        sec, org.pk, {"kind": kind, "title": "测试会议", "starts_at": START, "ends_at": START + timedelta(hours=2)}
    )
    services.mark_held(sec, m.pk)
    services.set_attendance(sec, m.pk, {p.pk: ("present", "") for p in people})
    return m


def vote(title, yes):
    return [{"title": title, "yes": yes, "no": 0, "abstain": 0}]


def test_five_of_ten_present_may_vote_and_five_yes_does_not_pass(ten):
    """Art. 11: 半数以上 includes the number (5 of 10 may vote); 超过 is strict (5 yes of 10 due fails)."""
    t, full, sec = ten
    m = held_with(sec, t.branch1, full[:5])
    assert services.quorum(m) == (10, 5, True)
    services.record_minutes(sec, m.pk, "<p>记录</p>", vote("事项", 5))
    m.refresh_from_db()
    assert m.status == MeetingStatus.MINUTES_RECORDED
    assert m.resolutions.get().passed is False


def test_six_yes_of_ten_due_passes(ten):
    """Art. 11: 赞成人数超过应到会有表决权的党员的半数为通过: 6 of 10 due."""
    t, full, sec = ten
    m = held_with(sec, t.branch1, full[:6])
    services.record_minutes(sec, m.pk, "<p>记录</p>", vote("事项", 6))
    assert m.resolutions.get().passed is True


def test_four_of_ten_present_is_not_a_quorum(ten):
    """Art. 11: 表决必须有半数以上有表决权的党员到会方可进行: 4 of 10 may not vote."""
    t, full, sec = ten
    m = held_with(sec, t.branch1, full[:4])
    assert services.quorum(m) == (10, 4, False)
    with pytest.raises(ValidationError, match="到会不足半数，不能表决"):
        services.record_minutes(sec, m.pk, "<p>记录</p>", vote("事项", 4))


def test_a_members_meeting_at_three_of_ten_without_a_vote_is_held_and_minuted(ten, client):
    """Art. 11 conditions the vote, not the meeting: 3 of 10 present, no resolution, the minutes are recorded; with a
    resolution they are refused with the reason, and the page says that no vote may be taken."""
    t, full, sec = ten
    m = held_with(sec, t.branch1, full[:3])
    with pytest.raises(ValidationError, match="到会不足半数，不能表决：应到有表决权 10 人，实到 3 人"):
        services.record_minutes(sec, m.pk, "<p>记录</p>", vote("事项", 3))
    client.force_login(sec)
    page = client.get(reverse("meetings:minutes", args=[m.pk])).content.decode()
    assert "到会不足半数，不能表决" in page
    services.record_minutes(sec, m.pk, "<p>学习讨论</p>", [])
    m.refresh_from_db()
    assert m.status == MeetingStatus.MINUTES_RECORDED and not m.resolutions.exists()


def test_a_life_meeting_below_half_is_minuted(ten):
    """Art. 11: a life meeting without a vote is held whatever the attendance."""
    t, full, sec = ten
    m = held_with(sec, t.branch1, full[:1], kind="life_meeting")
    services.record_minutes(sec, m.pk, "<p>记录</p>", [])
    m.refresh_from_db()
    assert m.status == MeetingStatus.MINUTES_RECORDED


def test_a_committee_meeting_needs_half_of_the_committee_vote_or_not(ten):
    """Art. 12: 支部委员会会议须有半数以上委员到会方可进行: 1 of 4 is refused even without a vote; 2 of 4 is held."""
    t, full, sec = ten
    office = make_user("office", "office", t.root)
    posts = [(full[0].pk, "secretary"), (full[1].pk, "organizer"), (full[2].pk, "publicity"), (full[3].pk, "member")]
    record_term(office, t.branch1.pk, date(2025, 1, 1), posts)
    below = held_with(sec, t.branch1, full[:1], kind="committee_meeting")
    with pytest.raises(ValidationError, match="须有半数以上委员到会方可进行"):
        services.record_minutes(sec, below.pk, "<p>记录</p>", [])
    half = held_with(sec, t.branch1, full[:2], kind="committee_meeting")
    services.record_minutes(sec, half.pk, "<p>记录</p>", [])
    half.refresh_from_db()
    assert half.status == MeetingStatus.MINUTES_RECORDED
