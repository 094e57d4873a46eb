"""Transfer facts: open transfers count once for each organisation on either side; lost contact per branch."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from dangjian.core.contributions import Period
from dangjian.testing import login_with_second_factor, make_member, make_tree, make_user
from dangjian.transfers.facts import TransferFacts
from dangjian.transfers.models import LostContact, Transfer

pytestmark = pytest.mark.django_db


def transfer(user, from_org, to_org, status, name="转接人", **dates):
    return Transfer.objects.create(
        direction="inside" if from_org and to_org else "out",
        status=status,
        name=name,
        id_number="11010519491231002X",
        member_status="full",
        from_org=from_org,
        from_name=from_org.name if from_org else "外单位",
        to_org=to_org,
        to_name=to_org.name if to_org else "外单位",
        reason="工作调动",
        created_by=user,
        **{"requested_on": date(2026, 1, 5), **dates},
    )


def lost(user, branch, status):
    return LostContact.objects.create(
        person=make_member(branch),
        branch=branch,
        status=status,
        opened_on=date(2025, 1, 1),
        last_contact_on=date(2024, 6, 1),
        suspended_on=date(2025, 1, 2) if status == "suspended" else None,
        created_by=user,
    )


def test_open_transfers_and_lost_contact_per_subtree_agree_with_the_lists():
    t = make_tree()
    office = make_user("office", "office", t.root)
    transfer(office, t.branch1, t.branch2, "sent")  # both sides under the general branch: counted once there
    transfer(office, t.office_branch, None, "requested")
    transfer(office, t.branch1, None, "received")  # closed: not pending
    lost(office, t.branch1, "tracking")
    lost(office, t.branch1, "suspended")
    lost(office, t.branch2, "closed")  # contact restored
    orgs = [t.root, t.general, t.branch1, t.branch2, t.office_branch]
    v = {(x.key, x.organization_id): x for x in TransferFacts().compute(orgs, Period.year(timezone.localdate().year))}
    pending = "transfers.pending"
    assert [v[pending, o.pk].value for o in orgs] == [2, 1, 1, 1, 1]
    assert v[pending, t.root.pk].breakdown == {"requested": 1, "sent": 1}
    missing = "transfers.lost_contact"
    assert [v[missing, o.pk].value for o in orgs] == [2, 2, 2, 0, 0]
    assert v[missing, t.branch1.pk].breakdown == {"tracking": 1, "suspended": 1}

    client = Client()
    login_with_second_factor(client, office)
    for org in orgs:
        listed = client.get(v[pending, org.pk].evidence_url).context["page"].object_list
        assert sum(x.status in ("requested", "sent") for x in listed) == v[pending, org.pk].value
        cases = client.get(v[missing, org.pk].evidence_url).context["page"].object_list
        assert sum(c.status in ("tracking", "suspended") for c in cases) == v[missing, org.pk].value


def test_on_time_rate_counts_the_transfers_whose_letter_runs_out_in_the_period_once_per_side():
    """In time: received by the letter's last valid day; rejected, expired or unsent past the deadline are not."""
    t = make_tree()
    office = make_user("office", "office", t.root)
    spring = {"requested_on": date(2025, 1, 10), "sent_on": date(2025, 1, 10), "valid_until": date(2025, 4, 9)}
    transfer(office, t.branch1, t.branch2, "received", closed_on=date(2025, 3, 20), **spring)  # in time, both sides
    transfer(office, t.branch1, None, "expired", closed_on=date(2025, 4, 10), **spring)  # not finished in time
    transfer(office, None, t.branch2, "rejected", closed_on=date(2025, 2, 1), **spring)  # refused: not in time
    transfer(office, t.office_branch, None, "requested", requested_on=date(2025, 6, 1))  # unsent: due 2025-09-01
    transfer(office, t.office_branch, None, "requested", name="乙", requested_on=date(2025, 11, 20))  # due in 2026
    transfer(office, t.branch1, None, "cancelled", closed_on=date(2025, 2, 1), **spring)  # withdrawn: not counted
    last_year = {"requested_on": date(2024, 9, 1), "valid_until": date(2024, 12, 1), "closed_on": date(2024, 10, 1)}
    transfer(office, t.branch1, t.branch2, "received", **last_year)  # another period
    orgs = [t.root, t.general, t.branch1, t.branch2, t.office_branch]
    v = {(x.key, x.organization_id): x for x in TransferFacts().compute(orgs, Period.year(2025))}
    rate = "transfers.on_time_rate"
    assert [v[rate, o.pk].inputs["due"] for o in orgs] == [4, 3, 2, 2, 1]
    assert [v[rate, o.pk].value for o in orgs] == [25.0, 33.3, 50.0, 50.0, 0.0]
    assert v[rate, t.root.pk].inputs == {"due": 4, "in_time": 1, "not_in_time": 3, "validity_months": 3}
    assert v[rate, t.branch1.pk].evidence_url == v["transfers.pending", t.branch1.pk].evidence_url


def test_on_time_rate_waits_for_a_deadline_still_to_come_unless_the_transfer_is_finished():
    """``as_of``: in a running year an open transfer whose letter is still valid is not yet due; one received early
    is counted (in time)."""
    t = make_tree()
    office = make_user("office", "office", t.root)
    today = timezone.localdate()
    later = {"requested_on": today, "sent_on": today, "valid_until": date(today.year, 12, 31)}
    transfer(office, t.branch1, t.branch2, "sent", **later)
    transfer(office, t.branch1, None, "received", name="乙", closed_on=today, **later)
    v = {(x.key, x.organization_id): x for x in TransferFacts().compute([t.branch1], Period.year(today.year))}
    value = v["transfers.on_time_rate", t.branch1.pk]
    if today < date(today.year, 12, 31):
        assert (value.inputs["due"], value.inputs["in_time"], value.value) == (1, 1, 100.0)
