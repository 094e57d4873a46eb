"""The organisations' home contribution: structural warnings read from the latest committee term."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from dangjian.orgs.home import home_items
from dangjian.orgs.models import CommitteeTerm
from dangjian.orgs.warnings import warnings_for
from dangjian.testing import make_member, make_tree, make_user

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)


def test_only_the_latest_term_counts_and_an_expired_one_is_a_warning():
    t = make_tree()
    for i in range(3):
        make_member(t.branch1, f"甲{i}")
        make_member(t.branch2, f"乙{i}")
    CommitteeTerm.objects.create(organization=t.branch1, elected_on=date(2020, 1, 1), ends_on=date(2023, 1, 1))
    CommitteeTerm.objects.create(organization=t.branch1, elected_on=date(2023, 1, 1), ends_on=date(2026, 1, 1))
    CommitteeTerm.objects.create(organization=t.branch2, elected_on=date(2020, 1, 1), ends_on=date(2023, 1, 1))
    CommitteeTerm.objects.create(organization=t.branch2, elected_on=date(2024, 1, 1), ends_on=date(2027, 1, 1))
    found = {org.name: [w.code for w in ws] for org, ws in warnings_for([t.branch1, t.branch2], TODAY).items()}
    assert "一支部" in found and "二支部" not in found  # 二支部's latest term runs to 2027
    assert any("届满" in w.message for w in warnings_for([t.branch1], TODAY)[t.branch1])

    office = make_user("office-org-home", "office", t.root)
    items = home_items(office, TODAY)
    assert any(i.text.startswith("一支部：") and "届满" in i.text for i in items)
    assert all(i.kind == items[0].kind and i.more == reverse("orgs:tree") for i in items)
    assert home_items(make_user("nobody"), TODAY) == []
