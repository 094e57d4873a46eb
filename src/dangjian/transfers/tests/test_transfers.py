"""Transfers: the state machine, who may act, when the membership moves, letter numbers and validity."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from dangjian.audit.models import AuditEvent
from dangjian.people.models import Membership, Person
from dangjian.transfers import incoming, services
from dangjian.transfers.models import LetterCounter, Transfer, TransferStatus
from dangjian.transfers.rules import letter_valid_until

pytestmark = pytest.mark.django_db

D0 = date(2026, 3, 2)


def _inside(w, **kw):
    return services.request_transfer(
        w.sec1, w.m1.pk, to_org_id=w.t.branch2.pk, reason="调动到二室", requested_on=kw.get("on", D0)
    )


def _out(w, on=D0):
    return services.request_transfer(w.sec1, w.m1.pk, to_name="中共某大学委员会", reason="调离", requested_on=on)


def _branch_of(person) -> int:
    return Membership.objects.current().get(person=person).organization_id


def test_inside_transfer_moves_membership_only_when_the_receiving_branch_accepts(world):
    w = world
    t = _inside(w)
    assert t.status == TransferStatus.REQUESTED and _branch_of(w.m1) == w.t.branch1.pk
    services.send(w.sec1, t.pk, on=D0)
    # 条例第25条: still in branch1's roster until branch2 accepts
    assert _branch_of(w.m1) == w.t.branch1.pk
    assert Membership.objects.current().visible_to(w.sec1, "people.view").filter(person=w.m1).exists()
    services.accept(w.sec2, t.pk, on=D0 + timedelta(days=3))
    t.refresh_from_db()
    assert t.status == TransferStatus.RECEIVED and t.closed_on == D0 + timedelta(days=3)
    assert _branch_of(w.m1) == w.t.branch2.pk
    old = Membership.objects.get(person=w.m1, organization=w.t.branch1)
    assert old.ended_on == D0 + timedelta(days=3)
    # a move inside the tree: neither a decrease nor an increase of the tree (党内统计)
    new = Membership.objects.current().get(person=w.m1)
    assert (old.end_cause, new.start_cause) == ("moved", "moved")
    assert [e.to_status for e in t.events.all()] == ["requested", "sent", "received"]


def test_the_sending_branch_cannot_accept_its_own_inside_transfer(world):
    w = world
    t = _inside(w)
    services.send(w.sec1, t.pk, on=D0)
    with pytest.raises(ValidationError, match="只有接收方党组织可以接收"):
        services.accept(w.sec1, t.pk, on=D0)
    assert _branch_of(w.m1) == w.t.branch1.pk


def test_the_receiving_branch_cannot_send_a_request_of_the_sending_branch(world):
    w = world
    t = _inside(w)
    with pytest.raises(ValidationError, match="只有转出方党组织可以发出"):
        services.send(w.sec2, t.pk, on=D0)


def test_a_user_covering_both_branches_transfers_in_one_step(world):
    w = world
    t = _inside(w)
    assert services.allowed_actions(w.office, t) == ["send", "cancel", "accept"]
    services.accept(w.office, t.pk, on=D0)
    t.refresh_from_db()
    assert t.status == TransferStatus.RECEIVED and t.sent_on == D0
    assert _branch_of(w.m1) == w.t.branch2.pk
    assert [e.to_status for e in t.events.all()] == ["requested", "sent", "received"]


@pytest.mark.parametrize(
    ("steps", "action", "message"),
    [
        ([], "reject", "当前状态为「待发出」，不能拒收"),
        (["send"], "send", "当前状态为「已发出，待接收」，不能发出"),
        (["send"], "cancel", "当前状态为「已发出，待接收」，不能撤销"),
        (["send", "accept"], "reject", "当前状态为「已接收」，不能拒收"),
        (["cancel"], "send", "当前状态为「已撤销」，不能发出"),
        ([], "expire", "当前状态为「待发出」，不能登记过期"),
    ],
)
def test_illegal_transitions_are_refused_in_chinese(world, steps, action, message):
    w = world
    t = _inside(w)
    calls = {
        "send": lambda: services.send(w.office, t.pk, on=D0),
        "accept": lambda: services.accept(w.office, t.pk, on=D0),
        "reject": lambda: services.reject(w.office, t.pk, on=D0, reason="无"),
        "cancel": lambda: services.cancel(w.office, t.pk, reason="不转了"),
        "expire": lambda: services.expire(w.office, t.pk),
    }
    for step in steps:
        calls[step]()
    with pytest.raises(ValidationError, match=message):
        calls[action]()


def test_rejection_needs_a_reason_and_leaves_the_member_in_the_old_branch(world):
    w = world
    t = _inside(w)
    services.send(w.sec1, t.pk, on=D0)
    with pytest.raises(ValidationError, match="请填写拒收或退回的理由"):
        services.reject(w.sec2, t.pk, on=D0, reason=" ")
    services.reject(w.sec2, t.pk, on=D0, reason="该同志未在本支部所属部门工作")
    t.refresh_from_db()
    assert t.status == TransferStatus.REJECTED and t.close_reason.startswith("该同志")
    assert _branch_of(w.m1) == w.t.branch1.pk


def test_cancel_keeps_the_row_and_frees_the_member_for_a_new_request(world):
    w = world
    t = _inside(w)
    with pytest.raises(ValidationError, match="已有进行中的组织关系转接"):
        _out(w)
    services.cancel(w.sec1, t.pk, reason="申请有误")
    assert Transfer.objects.filter(pk=t.pk, status=TransferStatus.CANCELLED).exists()
    assert _out(w).status == TransferStatus.REQUESTED
    assert AuditEvent.objects.filter(object_type="transfers.transfer", object_id=str(t.pk)).count() == 2


def test_only_one_open_transfer_per_person_in_the_database(world):
    w = world
    t = _inside(w)
    with pytest.raises(IntegrityError), transaction.atomic():
        Transfer.objects.create(**{**_fields(t), "status": TransferStatus.SENT})


def _fields(t):
    return {
        f.name: getattr(t, f.name)
        for f in Transfer._meta.concrete_fields
        if f.name not in ("id", "created_at", "updated_at", "deleted_at", "deleted_by")
    }


def test_requests_are_refused_for_members_out_of_scope(world):
    w = world
    with pytest.raises(Http404):
        services.request_transfer(w.sec2, w.m1.pk, to_name="外单位", reason="调动", requested_on=D0)


def test_request_checks_destination_and_dates(world):
    w = world
    with pytest.raises(ValidationError, match="无需转接"):
        services.request_transfer(w.sec1, w.m1.pk, to_org_id=w.t.branch1.pk, reason="x", requested_on=D0)
    with pytest.raises(ValidationError, match="接收党支部不存在"):
        services.request_transfer(w.sec1, w.m1.pk, to_org_id=w.t.general.pk, reason="x", requested_on=D0)
    with pytest.raises(ValidationError, match="不能晚于今天"):
        _out(w, on=timezone.localdate() + timedelta(days=1))


def test_outgoing_letter_numbers_run_per_year_and_are_unique(world):
    w = world
    t1 = services.send(w.sec1, _out(w, on=date(2025, 12, 1)).pk, on=date(2025, 12, 31))
    p2 = Person.objects.get(name="书记甲")
    t2 = services.request_transfer(w.sec1, p2.pk, to_name="外单位", reason="调动", requested_on=date(2026, 1, 2))
    t2 = services.send(w.sec1, t2.pk, on=date(2026, 1, 2))
    assert t1.letter_number == "〔2025〕第0001号"
    assert t2.letter_number == "〔2026〕第0001号"
    assert LetterCounter.objects.get(year=2026).last == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Transfer.objects.filter(pk=t1.pk).update(letter_year=2026)


def test_second_letter_of_a_year_gets_the_next_number(world):
    w = world
    services.send(w.sec1, _out(w).pk, on=D0)
    p2 = Person.objects.get(name="书记甲")
    t2 = services.request_transfer(w.sec1, p2.pk, to_name="外单位", reason="调动", requested_on=D0)
    assert services.send(w.sec1, t2.pk, on=D0).letter_number == "〔2026〕第0002号"


def test_letter_validity_is_three_months_by_the_rule_table(world):
    assert letter_valid_until(date(2026, 3, 2)) == date(2026, 6, 2)
    assert letter_valid_until(date(2025, 11, 30)) == date(2026, 2, 28)


def test_receipt_on_the_last_valid_day_is_accepted_and_ends_the_membership(world):
    w = world
    t = services.send(w.sec1, _out(w).pk, on=D0)
    assert t.valid_until == date(2026, 6, 2)
    services.accept(w.sec1, t.pk, on=date(2026, 6, 2))
    assert not Membership.objects.current().filter(person=w.m1).exists()
    old = Membership.objects.get(person=w.m1)
    assert old.ended_on == date(2026, 6, 2) and "中共某大学委员会" in old.end_reason
    assert old.end_cause == "transferred_out"


def test_receipt_after_the_validity_is_refused_and_the_letter_can_be_marked_expired(world):
    w = world
    t = services.send(w.sec1, _out(w).pk, on=D0)
    with pytest.raises(ValidationError, match="已过期"):
        services.accept(w.sec1, t.pk, on=date(2026, 6, 3))
    with pytest.raises(ValidationError, match="尚未过期"):
        services.expire(w.sec1, t.pk, on=date(2026, 6, 2))
    services.expire(w.sec1, t.pk, on=date(2026, 6, 3))
    t.refresh_from_db()
    assert t.status == TransferStatus.EXPIRED
    assert _branch_of(w.m1) == w.t.branch1.pk


def test_the_outside_organisation_returning_the_letter_keeps_the_member(world):
    w = world
    t = services.send(w.sec1, _out(w).pk, on=D0)
    services.reject(w.sec1, t.pk, on=D0 + timedelta(days=10), reason="对方单位未录用")
    assert _branch_of(w.m1) == w.t.branch1.pk


def _letter_data(w, **kw):
    return {
        "name": "李来函",
        "id_number": "11010519491231002X",
        "ethnicity": "回族",
        "member_status": "probationary",
        "admitted_on": date(2025, 12, 1),
        "from_name": "中共某大学委员会",
        "letter_ref": "〔2026〕第0088号",
        "sent_on": D0,
        "to_org_id": w.t.branch2.pk,
        "department_id": w.t.dept2.pk,
        **kw,
    }


def test_incoming_letter_creates_the_person_and_membership_only_on_acceptance(world):
    w = world
    t = incoming.register_incoming(w.sec2, _letter_data(w))
    assert t.status == TransferStatus.SENT and t.valid_until == date(2026, 6, 2) and t.sex == "F"
    assert not Person.objects.filter(id_number="11010519491231002X").exists()
    services.accept(w.sec2, t.pk, on=D0 + timedelta(days=5))
    person = Person.objects.get(id_number="11010519491231002X")
    assert person.ethnicity == "回族" and person.political_status == "probationary"
    m = Membership.objects.current().get(person=person)
    assert m.organization_id == w.t.branch2.pk and m.status == "probationary"
    assert m.started_on == D0 + timedelta(days=5) and m.admitted_on == date(2025, 12, 1)
    assert m.start_cause == "transferred_in"
    t.refresh_from_db()
    assert t.person_id == person.pk


def test_incoming_letter_for_an_existing_member_points_to_an_inside_transfer(world):
    w = world
    with pytest.raises(ValidationError, match="办理系统内转接"):
        incoming.register_incoming(w.sec2, _letter_data(w, id_number=w.m1.id_number))


def test_incoming_is_registered_by_the_receiving_side_only(world):
    w = world
    with pytest.raises(Http404):
        incoming.register_incoming(w.sec1, _letter_data(w))
    t = incoming.register_incoming(w.sec2, _letter_data(w))
    with pytest.raises(Http404):  # branch2's incoming letter is not even visible to branch1
        services.accept(w.sec1, t.pk, on=D0)


def test_incoming_reuses_a_person_already_on_file(world):
    from dangjian.testing import make_person

    w = world
    staff = make_person("王职工", department=w.t.dept1)
    t = incoming.register_incoming(w.sec2, _letter_data(w, name="王职工", id_number=staff.id_number))
    services.accept(w.sec2, t.pk, on=D0)
    assert Membership.objects.current().get(person=staff).organization_id == w.t.branch2.pk
    assert Person.objects.filter(id_number=staff.id_number).count() == 1


def test_every_state_change_is_audited(world):
    w = world
    t = _inside(w)
    services.send(w.sec1, t.pk, on=D0)
    services.accept(w.sec2, t.pk, on=D0)
    actions = list(
        AuditEvent.objects.filter(object_type="transfers.transfer", object_id=str(t.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "update"]
    assert AuditEvent.objects.filter(object_type="people.membership").count() == 2


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"admitted_on": None}, "admitted_on"),
        ({"admitted_on": date(2100, 1, 1)}, "admitted_on"),  # in the future
        ({"converted_on": date(2026, 1, 1)}, "converted_on"),  # a probationary member has no conversion date
        ({"member_status": "full", "converted_on": date(2025, 1, 1)}, "converted_on"),  # before admission
    ],
)
def test_incoming_letter_dates_are_checked_when_registered(world, changes, field):
    with pytest.raises(ValidationError) as exc:
        incoming.register_incoming(world.sec2, _letter_data(world, **changes))
    assert field in exc.value.message_dict


def test_incoming_letter_for_a_member_elsewhere_in_the_tree_does_not_name_his_branch(world):
    with pytest.raises(ValidationError) as exc:
        incoming.register_incoming(world.sec2, _letter_data(world, id_number=world.m1.id_number))
    assert world.t.branch1.name not in str(exc.value)


def test_inside_transfer_keeps_discipline_probation(world):
    from dangjian.people.models import Membership

    Membership.objects.filter(person=world.m1).update(discipline_probation_from=date(2025, 6, 1))
    t = services.request_transfer(
        world.office, world.m1.pk, to_org_id=world.t.branch2.pk, to_name="", reason="调动", requested_on=D0
    )
    services.accept(world.office, t.pk, on=D0)
    moved = Membership.objects.current().get(person=world.m1)
    assert moved.organization_id == world.t.branch2.pk and moved.discipline_probation_from == date(2025, 6, 1)
