"""Consent per person per year (PIPL art. 29); withdrawal keeps the history and removes the person from runs."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from dangjian.audit.models import AuditEvent
from dangjian.core import context
from dangjian.health import services
from dangjian.health.models import Consent
from dangjian.testing import make_member

pytestmark = pytest.mark.django_db
ON = date(2026, 3, 1)


def test_withdrawing_keeps_the_row_and_leaves_the_active_set(world):
    ho1, p1 = world["ho1"], world["p1"]
    with context.acting(ho1):
        services.give_consent(ho1, p1.pk, 2026, ON)
        assert list(Consent.objects.active().filter(year=2026).values_list("person_id", flat=True)) == [p1.pk]
        services.withdraw_consent(ho1, p1.pk, 2026, date(2026, 4, 1))
    consent = Consent.objects.get(person=p1, year=2026)
    assert (consent.given_on, consent.given_recorded_by, consent.withdrawn_on, consent.withdrawn_recorded_by) == (
        ON, ho1, date(2026, 4, 1), ho1
    )  # fmt: skip
    assert not Consent.objects.active().filter(year=2026).exists()
    events = AuditEvent.objects.filter(object_type="health.consent").order_by("id")
    actions = list(events.values_list("action", flat=True))
    assert actions == ["create", "update"]


def test_consent_of_one_year_says_nothing_about_another(world):
    ho1, p1 = world["ho1"], world["p1"]
    with context.acting(ho1):
        services.give_consent(ho1, p1.pk, 2025, ON)
    assert not Consent.objects.active().filter(year=2026, person=p1).exists()


def test_consent_can_be_given_again_after_a_withdrawal(world):
    ho1, p1 = world["ho1"], world["p1"]
    with context.acting(ho1):
        services.give_consent(ho1, p1.pk, 2026, ON)
        services.withdraw_consent(ho1, p1.pk, 2026, ON)
        services.give_consent(ho1, p1.pk, 2026, date(2026, 5, 1))
    consent = Consent.objects.get(person=p1, year=2026)
    assert consent.is_active and consent.given_on == date(2026, 5, 1)


def test_withdrawal_before_the_consent_date_or_without_consent_is_refused(world):
    ho1, p1 = world["ho1"], world["p1"]
    with context.acting(ho1):
        with pytest.raises(ValidationError, match="没有2026年度有效的同意记录"):
            services.withdraw_consent(ho1, p1.pk, 2026, ON)
        services.give_consent(ho1, p1.pk, 2026, ON)
        with pytest.raises(ValidationError, match="不能早于同意日期"):
            services.withdraw_consent(ho1, p1.pk, 2026, date(2026, 2, 28))
        with pytest.raises(ValidationError, match="已同意"):
            services.give_consent(ho1, p1.pk, 2026, ON)


def test_a_future_date_is_refused(world):
    ho1, p1 = world["ho1"], world["p1"]
    with context.acting(ho1), pytest.raises(ValidationError, match="不能晚于今天"):
        services.give_consent(ho1, p1.pk, 2026, date(2099, 1, 1))


def test_a_health_officer_cannot_record_consent_outside_his_branch(world):
    with context.acting(world["ho2"]), pytest.raises(Http404):
        services.give_consent(world["ho2"], world["p1"].pk, 2026, ON)


def test_bulk_consent_covers_only_people_in_scope_and_skips_those_already_consenting(world):
    t, ho1 = world["t"], world["ho1"]
    others = [make_member(t.branch1, f"成员{i}") for i in range(3)]
    with context.acting(ho1):
        services.give_consent(ho1, others[0].pk, 2026, ON)
        ids = [p.pk for p in others] + [world["p1"].pk, world["p2"].pk]  # p2 is in branch2
        done, already = services.give_consent_bulk(ho1, ids, 2026, ON)
    assert (done, already) == (3, 1)
    assert set(Consent.objects.active().filter(year=2026).values_list("person_id", flat=True)) == {
        p.pk for p in others
    } | {world["p1"].pk}


def test_people_of_a_unit_are_the_members_of_its_subtree_or_the_staff_of_its_department(world):
    t, ho_all = world["t"], world["ho_all"]
    assert set(services.people_of_unit(ho_all, organization=t.general)) == {world["p1"], world["p2"]}
    assert set(services.people_of_unit(ho_all, organization=t.branch2)) == {world["p2"]}
    assert set(services.people_of_unit(ho_all, department=t.dept1)) == {world["p1"]}


def test_a_run_reads_only_people_with_active_consent_and_a_checkup(world):
    from dangjian.health.data import inputs_for_year
    from dangjian.health.models import Checkup

    t, ho_all = world["t"], world["ho_all"]
    p1, p2 = world["p1"], world["p2"]
    p3, p4 = make_member(t.branch1, "丙"), make_member(t.branch1, "丁")
    for p in (p1, p2, p3, p4):
        c = Checkup(person=p, year=2026, checked_on=date(2026, 6, 15))
        c.set_values({"sbp_mmhg": 130.0})
        c.save()
    with context.acting(ho_all):
        for p in (p1, p2, p3):
            services.give_consent(ho_all, p.pk, 2026, ON)
        services.withdraw_consent(ho_all, p3.pk, 2026, ON)  # p4 never consented
    inputs = inputs_for_year(2026)
    assert [(i.person_id, i.sex, i.values) for i in sorted(inputs, key=lambda i: i.person_id)] == [
        (p1.pk, "M", {"sbp_mmhg": 130.0}),
        (p2.pk, "F", {"sbp_mmhg": 130.0}),
    ]
    assert {i.age for i in inputs} == {41}  # born 1985-06-15, checked 2026-06-15: the birthday counts
    branch2 = services.people_of_unit(ho_all, organization=t.branch2)
    assert [i.person_id for i in inputs_for_year(2026, people=branch2)] == [p2.pk]
    assert inputs_for_year(2025) == []


def test_a_withdrawal_during_a_run_of_the_year_asks_to_retry_rather_than_wait(world, monkeypatch):
    """PostgreSQL: the run holds the year's lock; a withdrawal gives up after its wait with a clear message."""
    from django.db import connection

    from dangjian.health import locks

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the year's lock is PostgreSQL's")
    import psycopg

    ho1, p1 = world["ho1"], world["p1"]
    with context.acting(ho1):
        services.give_consent(ho1, p1.pk, 2026, ON)
    monkeypatch.setattr(services, "WITHDRAW_WAIT_SECONDS", 1)
    with psycopg.connect(**connection.get_connection_params()) as run:  # a screening run of 2026 in progress
        run.execute("SELECT pg_advisory_lock(%s, %s)", [locks.NAMESPACE, 2026])
        with context.acting(ho1), pytest.raises(ValidationError, match="正在进行，请稍后再撤回"):
            services.withdraw_consent(ho1, p1.pk, 2026, ON)
    with context.acting(ho1):
        services.withdraw_consent(ho1, p1.pk, 2026, ON)  # the run is over: now it goes through
