"""The benchmark's bulk history writer works on both databases and feeds the engine."""

from __future__ import annotations

from datetime import date

import pytest

from dangjian.compliance import engine, lights
from dangjian.compliance.benchdata import generate_meetings
from dangjian.meetings.models import Meeting
from dangjian.orgs.models import Organization
from dangjian.testing import make_member

from .conftest import committee

pytestmark = pytest.mark.django_db


def test_bulk_history_covers_every_branch_and_group(tree):
    committee(tree.branch1, date(2020, 1, 1))
    for i in range(3):
        make_member(tree.branch1, f"员{i}")
    counts = generate_meetings(years=2, today=date(2025, 11, 1), seed=7)
    assert counts["meetings"] == Meeting.all_objects.count() > 100
    holders = set(Meeting.objects.values_list("organization_id", flat=True))
    assert {tree.branch1.pk, tree.branch2.pk, tree.office_branch.pk, tree.group1.pk} <= holders
    assert not Meeting.objects.filter(organization=tree.branch2, kind="committee_meeting").exists()
    matrix = engine.compute(Organization.objects.all(), [2024], date(2025, 11, 1))
    assert sum(1 for i in matrix.items if i.light == lights.DONE) > 50
    with pytest.raises(RuntimeError):
        generate_meetings(years=1, today=date(2025, 11, 1))
