"""Lost contact (党员教育管理工作条例第24条): the 6-month and 2-year edges, decisions and their effects."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from dangjian.development.periods import add_months
from dangjian.people.models import Membership
from dangjian.people.models.membership import RIGHTS_STOPPED_REASON
from dangjian.transfers import lost
from dangjian.transfers.models import LostContact, TrackingStatus
from dangjian.transfers.rules import full_months, latest_start_reaching

LAST = date(2025, 3, 1)  # 6 months later: 2025-09-01; 5 months 30 days later: 2025-08-31
SUSPENDED = date(2023, 9, 1)  # 2 years later: 2025-09-01
DECISION = {"decided_by": "中共测试所委员会", "document_ref": "测党〔2025〕12号"}


def _flags(today):
    return {c.pk: lost.flag_of(c, today) for c in LostContact.objects.all()}, set(
        LostContact.objects.filter(lost.flag_q(today)).values_list("pk", flat=True)
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("today", "flagged"), [(date(2025, 8, 31), False), (date(2025, 9, 1), True)])
def test_suspension_flag_at_five_months_thirty_days_and_at_six_months(world, today, flagged):
    case = lost.open_case(world.sec1, world.m1.pk, last_contact_on=LAST)
    python, sql = _flags(today)
    assert (python[case.pk] == "suspend_due") is flagged
    assert (case.pk in sql) is flagged


@pytest.mark.django_db
@pytest.mark.parametrize(("today", "flagged"), [(date(2025, 2, 27), False), (date(2025, 2, 28), True)])
def test_six_months_from_31_august_end_on_the_last_day_of_february(world, today, flagged):
    case = lost.open_case(world.sec1, world.m1.pk, last_contact_on=date(2024, 8, 31))
    python, sql = _flags(today)
    assert (python[case.pk] == "suspend_due") is flagged and (case.pk in sql) is flagged


@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)),
    today=st.dates(min_value=date(2000, 1, 1), max_value=date(2031, 12, 31)),
    months=st.sampled_from([6, 24]),
)
def test_the_sql_cutoff_matches_the_calendar_rule(start, today, months):
    assert (start <= latest_start_reaching(today, months)) == (add_months(start, months) <= today)


def test_full_months_counts_whole_months_only():
    assert full_months(LAST, date(2025, 8, 31)) == 5
    assert full_months(LAST, date(2025, 9, 1)) == 6
    assert full_months(LAST, date(2025, 2, 1)) == 0


@pytest.mark.django_db
def test_suspension_before_six_months_is_refused_and_allowed_on_the_day(world):
    case = lost.open_case(world.sec1, world.m1.pk, last_contact_on=LAST)
    with pytest.raises(ValidationError, match="未满6个月，2025-09-01起方可停止党籍"):
        lost.decide(world.sec1, case.pk, "suspend", {**DECISION, "decided_on": date(2025, 8, 31)})
    lost.decide(world.sec1, case.pk, "suspend", {**DECISION, "decided_on": date(2025, 9, 1)})
    case.refresh_from_db()
    assert case.status == TrackingStatus.SUSPENDED and case.suspended_on == date(2025, 9, 1)
    # 停止党籍 takes the member off the rolls that day: the membership ends (kept, with its reason)
    assert not Membership.objects.current().filter(person=world.m1).exists()
    stopped = Membership.objects.get(person=world.m1)
    assert (stopped.ended_on, stopped.end_reason) == (date(2025, 9, 1), RIGHTS_STOPPED_REASON)
    assert stopped.end_cause == "suspended"


@pytest.mark.django_db
def test_a_contact_made_resets_the_six_months_but_an_attempt_does_not(world):
    case = lost.open_case(world.sec1, world.m1.pk, last_contact_on=LAST)
    lost.record_contact(world.sec1, case.pk, on=date(2025, 5, 1), method="phone", reached=False, note="无人接听")
    case.refresh_from_db()
    assert case.last_contact_on == LAST
    lost.record_contact(world.sec1, case.pk, on=date(2025, 5, 2), method="visit", reached=True, note="见到本人")
    case.refresh_from_db()
    assert case.last_contact_on == date(2025, 5, 2)
    assert lost.flag_of(case, date(2025, 9, 1)) == ""
    assert [c.reached for c in case.contacts.all()] == [True, False, True]


def _suspended(world, suspended_on=SUSPENDED):
    case = lost.open_case(world.sec1, world.m1.pk, last_contact_on=add_months(suspended_on, -7))
    lost.decide(world.sec1, case.pk, "suspend", {**DECISION, "decided_on": suspended_on})
    return LostContact.objects.get(pk=case.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(("today", "flagged"), [(date(2025, 8, 31), False), (date(2025, 9, 1), True)])
def test_removal_flag_two_years_after_suspension(world, today, flagged):
    case = _suspended(world)
    python, sql = _flags(today)
    assert (python[case.pk] == "removal_due") is flagged and (case.pk in sql) is flagged


@pytest.mark.django_db
def test_removal_before_two_years_is_refused_and_on_the_day_ends_the_membership(world):
    case = _suspended(world)
    with pytest.raises(ValidationError, match="未满2年，2025-09-01起方可按自行脱党除名"):
        lost.decide(world.sec1, case.pk, "remove", {**DECISION, "decided_on": date(2025, 8, 31)})
    lost.decide(world.sec1, case.pk, "remove", {**DECISION, "decided_on": date(2025, 9, 1)})
    case.refresh_from_db()
    world.m1.refresh_from_db()
    assert case.status == TrackingStatus.REMOVED and case.removed_on == date(2025, 9, 1)
    assert not Membership.objects.current().filter(person=world.m1).exists()
    assert world.m1.political_status == "masses"
    with pytest.raises(ValidationError, match="已按自行脱党除名"):
        lost.record_contact(world.sec1, case.pk, on=date(2025, 10, 1), method="phone", reached=True)


@pytest.mark.django_db
def test_contact_regained_after_suspension_asks_for_restoration_not_removal(world):
    case = _suspended(world)
    lost.record_contact(world.sec1, case.pk, on=date(2025, 10, 8), method="phone", reached=True, note="本人来电")
    case.refresh_from_db()
    assert lost.flag_of(case, date(2025, 10, 9)) == "restore_pending"
    assert case.pk in set(
        LostContact.objects.filter(lost.flag_q(date(2025, 10, 9), "restore_pending")).values_list("pk", flat=True)
    )
    with pytest.raises(ValidationError, match="不能按自行脱党除名"):
        lost.decide(world.sec1, case.pk, "remove", {**DECISION, "decided_on": date(2025, 10, 9)})
    with pytest.raises(ValidationError, match="不能早于恢复联系的日期"):
        lost.decide(world.sec1, case.pk, "restore", {**DECISION, "decided_on": date(2025, 10, 7)})
    lost.decide(world.sec1, case.pk, "restore", {**DECISION, "decided_on": date(2025, 10, 20)})
    case.refresh_from_db()
    assert case.status == TrackingStatus.CLOSED
    assert [d.kind for d in case.decisions.all()] == ["suspend", "restore"]
    restored = Membership.objects.current().get(person=world.m1)
    assert (restored.started_on, restored.start_cause) == (date(2025, 10, 20), "restored")


@pytest.mark.django_db
def test_restoration_without_a_contact_is_refused(world):
    case = _suspended(world)
    with pytest.raises(ValidationError, match="尚未登记联系上"):
        lost.decide(world.sec1, case.pk, "restore", {**DECISION, "decided_on": date(2025, 10, 9)})


@pytest.mark.django_db
def test_decisions_need_the_deciding_body_and_document(world):
    case = lost.open_case(world.sec1, world.m1.pk, last_contact_on=LAST)
    with pytest.raises(ValidationError, match="请填写决定文件"):
        lost.decide(world.sec1, case.pk, "suspend", {"decided_by": "所党委", "decided_on": date(2025, 9, 2)})


@pytest.mark.django_db
def test_a_member_is_listed_once_and_can_be_listed_again_after_contact_regained(world):
    case = lost.open_case(world.sec1, world.m1.pk, last_contact_on=LAST)
    with pytest.raises(ValidationError, match="已在失联党员名单中"):
        lost.open_case(world.sec1, world.m1.pk, last_contact_on=LAST)
    lost.close(world.sec1, case.pk, reason="已联系上，本人在外地工作")
    again = lost.open_case(world.sec1, world.m1.pk, last_contact_on=date(2025, 6, 1))
    assert again.pk == case.pk and again.status == TrackingStatus.TRACKING


@pytest.mark.django_db
def test_lost_contact_cases_out_of_scope_are_not_found(world):
    from django.http import Http404

    case = lost.open_case(world.sec1, world.m1.pk, last_contact_on=LAST)
    with pytest.raises(Http404):
        lost.record_contact(world.sec2, case.pk, on=date(2025, 5, 1), method="phone", reached=False)
    with pytest.raises(Http404):
        lost.open_case(world.sec2, world.m1.pk, last_contact_on=LAST)
    assert not LostContact.objects.visible_to(world.sec2).exists()
    assert LostContact.objects.visible_to(world.office).count() == 1


def test_a_member_out_of_contact_since_before_the_2019_rules_is_judged_by_them(world, client):
    # the rule table starts with the 2019 条例; an older last contact must not break the pages
    case = lost.open_case(world.sec1, world.m1.pk, last_contact_on=date(2018, 3, 1))
    assert lost.flag_of(case, date(2026, 1, 1)) == "suspend_due"
    lost.decide(world.sec1, case.pk, "suspend", {**DECISION, "decided_on": date(2018, 9, 1)})
    client.force_login(world.sec1)
    for url in ("/", "/transfers/lost/", f"/transfers/lost/{case.pk}/"):
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_restoration_opens_a_new_membership_with_the_prior_status_and_keeps_the_stopped_one(world):
    before = Membership.objects.get(person=world.m1)
    before.status, before.converted_on = "probationary", None
    before.save()
    case = _suspended(world)
    lost.record_contact(world.sec1, case.pk, on=date(2025, 10, 8), method="phone", reached=True, note="本人来电")
    lost.decide(world.sec1, case.pk, "restore", {**DECISION, "decided_on": date(2025, 10, 20)})
    rows = list(Membership.objects.filter(person=world.m1).order_by("started_on"))
    assert [(m.started_on, m.ended_on, m.end_reason) for m in rows] == [
        (before.started_on, SUSPENDED, RIGHTS_STOPPED_REASON),
        (date(2025, 10, 20), None, ""),
    ]
    restored = Membership.objects.current().get(person=world.m1)
    assert (restored.organization_id, restored.status, restored.admitted_on) == (
        before.organization_id,
        "probationary",
        before.admitted_on,
    )


@pytest.mark.django_db
def test_the_person_page_shows_the_membership_ended_by_the_stop_not_running_to_today(world, client):
    page = f"/people/{world.m1.pk}/"
    client.force_login(world.office)
    assert "至今" in client.get(page).content.decode()
    _suspended(world)
    html = client.get(page).content.decode()
    assert "至今" not in html and "2023-09-01" in html


@pytest.mark.django_db
def test_a_stopped_member_is_not_offered_as_a_meeting_host(world):
    from dangjian.meetings.forms import people_of

    assert world.m1 in people_of(world.t.branch1)
    _suspended(world)
    assert world.m1 not in people_of(world.t.branch1)


@pytest.mark.django_db
def test_the_migration_ends_memberships_of_cases_stopped_before_and_splits_restored_ones(world):
    from importlib import import_module

    from django.apps import apps

    from dangjian.testing import make_member
    from dangjian.transfers.models import Decision

    migration = import_module("dangjian.transfers.migrations.0002_stop_ends_membership")
    restored_member = make_member(world.t.branch1, "李恢复")
    started = Membership.objects.get(person=world.m1).started_on
    # rows as the old service left them: the case stopped, the membership still open
    LostContact.objects.create(
        person=world.m1, branch=world.t.branch1, status="suspended", opened_on=LAST, last_contact_on=LAST,
        suspended_on=date(2025, 9, 1), created_by=world.sec1,
    )  # fmt: skip
    case = LostContact.objects.create(
        person=restored_member, branch=world.t.branch1, status="closed", opened_on=LAST, last_contact_on=LAST,
        suspended_on=date(2025, 9, 1), created_by=world.sec1,
    )  # fmt: skip
    Decision.objects.create(
        case=case, kind="restore", decided_on=date(2025, 11, 3), decided_by="所党委", document_ref="x",
        recorded_by=world.sec1,
    )  # fmt: skip
    migration.end_stopped_memberships(apps, None)
    assert not Membership.objects.current().filter(person=world.m1).exists()
    assert Membership.objects.get(person=world.m1).ended_on == max(date(2025, 9, 1), started)
    spans = (
        Membership.objects.filter(person=restored_member).order_by("started_on").values_list("ended_on", "end_reason")
    )
    assert list(spans) == [(date(2025, 9, 1), RIGHTS_STOPPED_REASON), (None, "")]
    assert Membership.objects.current().get(person=restored_member).started_on == date(2025, 11, 3)


@pytest.mark.django_db
def test_removal_of_a_member_still_on_the_rolls_ends_the_membership_as_removed(world):
    """A stop recorded before stops ended memberships: the removal itself ends it, coded 除名."""
    case = lost.open_case(world.sec1, world.m1.pk, last_contact_on=add_months(SUSPENDED, -7))
    LostContact.objects.filter(pk=case.pk).update(status=TrackingStatus.SUSPENDED, suspended_on=SUSPENDED)
    lost.decide(world.sec1, case.pk, "remove", {**DECISION, "decided_on": date(2025, 9, 1)})
    ended = Membership.objects.get(person=world.m1)
    assert (ended.ended_on, ended.end_cause) == (date(2025, 9, 1), "removed")
