"""Member counts of the structural warnings leave out members whose party rights are stopped (issue 12 §2)."""

from __future__ import annotations

from datetime import date

import pytest

from dangjian.orgs.models import Organization
from dangjian.orgs.warnings import FIELDS, with_structure
from dangjian.testing import make_member, make_tree, make_user
from dangjian.transfers.models import LostContact

pytestmark = pytest.mark.django_db


def test_a_member_whose_rights_are_stopped_is_not_counted_from_the_day_of_the_decision(
    django_assert_num_queries,
):
    """党员教育管理工作条例（2019）第二十四条: 停止党籍 — the member no longer counts towards the 3 full members a
    branch needs (支部工作条例 第四条): counted the day before the decision, not on its day; one statement either
    way."""
    t = make_tree()
    people = [make_member(t.branch1, f"甲{i}") for i in range(3)]
    user = make_user("sec", "secretary", t.branch1)
    LostContact.objects.create(
        person=people[2],
        branch=t.branch1,
        status="suspended",
        opened_on=date(2025, 1, 1),
        last_contact_on=date(2025, 1, 1),
        suspended_on=date(2025, 9, 1),
        created_by=user,
    )
    branch = Organization.objects.filter(pk=t.branch1.pk)

    def counts(on):
        row = with_structure(branch, on).values_list(*FIELDS).get()
        return row[FIELDS.index("full_members")], row[FIELDS.index("total_members")]

    assert counts(date(2025, 8, 31)) == (3, 3)
    with django_assert_num_queries(1):
        assert counts(date(2025, 9, 1)) == (2, 2)
