"""A member whose party rights are stopped (停止党籍) is not among the participants of the branch's appraisal."""

from __future__ import annotations

from datetime import date

import pytest

from dangjian.appraisal.services import open_appraisal
from dangjian.testing import make_member, make_tree, make_user
from dangjian.transfers.models import LostContact

pytestmark = pytest.mark.django_db


def test_a_member_whose_rights_are_stopped_is_not_appraised_with_the_branch():
    """党员教育管理工作条例（2019）第二十四条 (停止党籍) and 第十八条 (民主评议党员 of the branch's members)."""
    t = make_tree()
    kept, stopped = make_member(t.branch1, "甲"), make_member(t.branch1, "乙")
    sec = make_user("sec", "secretary", t.branch1, person=kept)
    LostContact.objects.create(
        person=stopped,
        branch=t.branch1,
        status="suspended",
        opened_on=date(2025, 1, 1),
        last_contact_on=date(2025, 1, 1),
        suspended_on=date(2025, 8, 1),
        created_by=sec,
    )
    appraisal = open_appraisal(sec, t.branch1.pk, 2025)
    assert set(appraisal.participants.values_list("person_id", flat=True)) == {kept.pk}
