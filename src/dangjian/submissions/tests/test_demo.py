"""The demo's 请示报告: every state present, numbers in the order of sending, an overdue request, a personal matter
that only the leader and the office see, the overdue request first on the office's home page."""

from __future__ import annotations

import pytest

from dangjian.accounts.models import User
from dangjian.demo.spec import FIXED_DATE
from dangjian.submissions import home, queries
from dangjian.submissions.models import PENDING, Category, Status, Submission

pytestmark = pytest.mark.django_db


def test_the_demo_has_every_state_and_keeps_personal_matters_private(institute_demo):
    subs = list(Submission.objects.order_by("organization_id", "year", "sent_at"))
    assert {s.status for s in subs} == set(Status.values)
    by_org: dict[tuple[int, int], list[int]] = {}
    for s in subs:
        if s.seq is not None:
            by_org.setdefault((s.organization_id, s.year), []).append(s.seq)
    assert all(seqs == list(range(1, len(seqs) + 1)) for seqs in by_org.values())
    assert any(s.kind == "request" and s.status in PENDING and s.deadline < FIXED_DATE for s in subs)
    returned = next(s for s in subs if s.status == Status.RETURNED)
    assert returned.resubmissions.get().version == 2
    personal = next(s for s in subs if s.category == Category.PERSONAL)
    seen = {
        u: queries.visible(User.objects.get(username=u)).filter(pk=personal.pk).exists()
        for u in ("leader", "office", "secretary")
    }
    assert seen == {"leader": True, "office": True, "secretary": False}
    office_items = home.home_items(User.objects.get(username="office"), FIXED_DATE)
    assert office_items and office_items[0].level == "late"
