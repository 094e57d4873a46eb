"""Talk coverage (谈心谈话, 支部工作条例, RULES.md §1) is owed for members with their rights: a member whose party
rights are stopped (停止党籍, 党员教育管理工作条例（2019）第二十四条) is not counted from the day of the decision."""

from __future__ import annotations

from datetime import date

import pytest

from dangjian.compliance.home import due_items
from dangjian.testing import make_member, make_tree, make_user
from dangjian.transfers.models import LostContact

pytestmark = pytest.mark.django_db


def _talk_message(user, today: date) -> str:
    return next(i.message for i in due_items(user, today) if "谈心谈话" in i.message)


def test_a_member_whose_rights_are_stopped_is_not_owed_a_talk():
    t = make_tree()
    members = [make_member(t.branch1, f"谈{i}") for i in range(3)]
    sec = make_user("sec-talk", "secretary", t.branch1, person=members[0])
    LostContact.objects.create(
        person=members[2],
        branch=t.branch1,
        status="suspended",
        opened_on=date(2026, 1, 1),
        last_contact_on=date(2026, 1, 1),
        suspended_on=date(2026, 12, 28),
        created_by=sec,
    )
    assert "3名党员" in _talk_message(sec, date(2026, 12, 27))
    assert "2名党员" in _talk_message(sec, date(2026, 12, 28))
