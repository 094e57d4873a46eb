"""Who votes and who is on the roster: 留党察看, 停止党籍 (issue 12 §2)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from dangjian.meetings import services
from dangjian.people.models import Membership
from dangjian.testing import make_member, make_tree, make_user
from dangjian.transfers.models import Decision, LostContact

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def branch():
    t = make_tree()
    full = [make_member(t.branch1, f"正{i}") for i in range(4)]
    sec = make_user("sec", "secretary", t.branch1, person=full[0])
    return t, full, sec


def plan(sec, org, day: date, kind="members_meeting"):
    start = datetime(day.year, day.month, day.day, 14, tzinfo=TZ)
    return services.plan_meeting(
        sec, org.pk, {"kind": kind, "title": "支部党员大会", "starts_at": start, "ends_at": start + timedelta(hours=2)}
    )


def roster(meeting) -> dict[int, bool]:
    return {a.person_id: a.voting for a in meeting.attendances.all()}


def test_a_member_under_discipline_probation_attends_without_a_vote_until_the_day_rights_are_restored(branch):
    """党章 第四十条: "留党察看期间没有表决权、选举权和被选举权"; 基层组织选举工作条例（2020）第五条 likewise for
    elections. The day before restoration (恢复党员权利) no vote; the day of restoration a vote."""
    t, full, sec = branch
    Membership.objects.filter(person=full[3]).update(
        discipline_probation_from=date(2025, 3, 10), discipline_probation_until=date(2026, 3, 10)
    )
    before = plan(sec, t.branch1, date(2026, 3, 9))
    assert roster(before)[full[3].pk] is False
    assert services.quorum(before)[0] == 3  # due with a vote: the other three
    on_the_day = plan(sec, t.branch1, date(2026, 3, 10))
    assert roster(on_the_day)[full[3].pk] is True
    assert services.quorum(on_the_day)[0] == 4


def test_discipline_probation_not_yet_restored_has_no_vote_and_its_first_day_has_none(branch):
    t, full, sec = branch
    Membership.objects.filter(person=full[3]).update(discipline_probation_from=date(2026, 3, 10))
    assert roster(plan(sec, t.branch1, date(2026, 3, 9)))[full[3].pk] is True
    assert roster(plan(sec, t.branch1, date(2026, 3, 10)))[full[3].pk] is False


def _suspend(person, branch, on: date, user) -> LostContact:
    return LostContact.objects.create(
        person=person,
        branch=branch,
        status="suspended",
        opened_on=date(2025, 6, 1),
        last_contact_on=date(2025, 6, 1),
        suspended_on=on,
        created_by=user,
    )


def test_a_member_whose_rights_are_stopped_is_off_the_roster_from_the_day_of_the_decision(branch):
    """党员教育管理工作条例（2019）第二十四条: a member lost for 6 months is 停止党籍 — not due to attend from the day
    of the decision (the day before, still on the roster)."""
    t, full, sec = branch
    _suspend(full[3], t.branch1, date(2026, 3, 10), sec)
    assert full[3].pk in roster(plan(sec, t.branch1, date(2026, 3, 9)))
    after = plan(sec, t.branch1, date(2026, 3, 10))
    assert full[3].pk not in roster(after)
    assert services.quorum(after)[0] == 3


def test_a_restored_member_is_back_on_the_roster_from_the_restore_decision(branch):
    """A 恢复党籍 decision ends the stop: a meeting dated between the two decisions (recorded later) still leaves the
    member out; a meeting on the restore day lists them again."""
    t, full, sec = branch
    case = _suspend(full[3], t.branch1, date(2026, 1, 10), sec)
    case.status, case.last_contact_on = "closed", date(2026, 3, 1)
    case.save()
    Decision.objects.create(
        case=case, kind="restore", decided_on=date(2026, 3, 10), decided_by="一总支", document_ref="x", recorded_by=sec
    )
    assert full[3].pk not in roster(plan(sec, t.branch1, date(2026, 3, 9)))
    assert full[3].pk in roster(plan(sec, t.branch1, date(2026, 3, 10)))


def test_a_stopped_committee_member_is_off_the_committee_meeting_roster(branch):
    from dangjian.orgs.services import record_term

    t, full, sec = branch
    office = make_user("office", "office", t.root)
    record_term(office, t.branch1.pk, date(2025, 1, 1), [(full[0].pk, "secretary"), (full[3].pk, "organizer")])
    _suspend(full[3], t.branch1, date(2026, 3, 10), sec)
    assert set(roster(plan(sec, t.branch1, date(2026, 3, 10), kind="committee_meeting"))) == {full[0].pk}


def test_the_roster_rules_are_in_the_catalogue_with_their_citations():
    """The rules page lists them: 党章 第四十条 (Q), 党员教育管理工作条例 第二十四条 (Q), the exemption practice (S)."""
    from dangjian.core.ruletable import TABLES
    from dangjian.meetings.roster_rules import ROSTER_RULES, discipline_probation_votes

    assert ROSTER_RULES in TABLES["meetings"]
    rule = ROSTER_RULES.rule("roster.discipline_probation_votes", date(2026, 1, 1))
    assert "第四十条" in rule.citation and rule.confidence == "Q"
    assert "第三十九条" in ROSTER_RULES.rule("roster.discipline_probation_votes", date(2015, 1, 1)).citation
    assert discipline_probation_votes(date(1990, 1, 1)) is False  # before the first text known here: no crash
    assert ROSTER_RULES.rule("roster.exemption_reasons", date(2026, 1, 1)).confidence == "S"
