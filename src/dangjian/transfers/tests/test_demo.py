"""The demo rows: every state present, consistent with memberships and the rules, deterministic."""

from __future__ import annotations

import pytest

from dangjian.demo.spec import FIXED_DATE
from dangjian.people.models import Membership
from dangjian.transfers import lost
from dangjian.transfers.models import LostContact, Transfer


@pytest.fixture
def demo(institute_demo):
    """The demo institute shared by the whole run (``dangjian.pytest_plugin.institute_demo``)."""
    return institute_demo


@pytest.mark.django_db
def test_demo_has_every_state_in_each_direction(demo):
    assert demo["transfers"] == Transfer.objects.count() == 15
    pairs = set(Transfer.objects.values_list("direction", "status"))
    for direction, status in [
        ("inside", "requested"), ("inside", "sent"), ("inside", "received"), ("inside", "rejected"),
        ("inside", "cancelled"), ("out", "sent"), ("out", "received"), ("out", "expired"), ("in", "sent"),
        ("in", "received"), ("in", "rejected"),
    ]:  # fmt: skip
        assert (direction, status) in pairs
    letters = Transfer.objects.filter(direction="out", letter_seq__isnull=False)
    assert letters.count() == 5
    assert len({t.letter_number for t in letters}) == 5


@pytest.mark.django_db
def test_demo_memberships_follow_the_accepted_transfers(demo):
    for t in Transfer.objects.filter(status="received"):
        current = Membership.objects.current().filter(person_id=t.person_id).first()
        if t.direction == "out":
            assert current is None
        else:
            assert current.organization_id == t.to_org_id and current.started_on == t.closed_on
    for t in Transfer.objects.filter(status__in=("requested", "sent"), direction__in=("inside", "out")):
        assert Membership.objects.current().get(person_id=t.person_id).organization_id == t.from_org_id
    for t in Transfer.objects.all():
        assert [e.to_status for e in t.events.all()][-1] == t.status


@pytest.mark.django_db
def test_demo_lost_contact_members_are_flagged_on_the_reference_date(demo):
    flags = sorted(lost.flag_of(c, FIXED_DATE) for c in LostContact.objects.all())
    # and, for the statistics of both years, one stopped this year and one restored last year
    assert flags == ["", "", "", "", "removal_due", "suspend_due"]
    assert demo["lost_contacts"] == 6


@pytest.mark.django_db
def test_the_demo_secretary_has_transfers_and_lost_contact_to_act_on(demo):
    from dangjian.accounts.models import User
    from dangjian.transfers.alerts import alerts

    secretary = User.objects.get(username="secretary")
    texts = [a.text for a in alerts(secretary, FIXED_DATE, limit=20)]
    assert any("待接收" in t for t in texts)  # an inside transfer and an incoming letter
    assert any("待发出" in t for t in texts)
    assert any("已过有效期" in t for t in texts)
    assert any("失联满6个月" in t for t in texts)
