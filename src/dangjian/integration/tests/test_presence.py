"""Member presence: the carriers a person belongs to on their record page and their home (constant queries)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.core import mine
from dangjian.integration.presence import home_items, presence
from dangjian.testing import main_content, make_member, make_tree, make_user

from . import carriers as f

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)


@pytest.fixture
def world():
    t = make_tree()
    p1 = make_member(t.branch1, "甲一", department=t.dept1)
    office = make_user("office", "office", t.root)
    member = make_user("m1", "member", t.branch1, person=p1)
    return t, p1, office, member


def test_presence_lists_the_carriers_in_force(world):
    t, p1, office, member = world
    post = f.model_post(t.branch1, office, p1, name="计量示范岗")
    f.model_post(t.branch1, office, p1, status="applied")
    f.zone(t.branch1, p1, ends_on=date(2025, 12, 31))  # over
    team = f.taskforce(t.branch1, office, people=[p1])
    f.pledge(t.branch1, p1)
    with CaptureQueriesContext(connection) as q:
        p = presence(p1.pk, TODAY)
    assert [x.pk for x in p.posts] == [post.pk] and p.zones == []
    assert [x.taskforce_id for x in p.teams] == [team.pk] and p.pledge.year == 2026
    assert len(q) == 4


def test_the_member_home_shows_carriers_and_the_pledge(world):
    t, p1, office, member = world
    f.zone(t.branch1, p1)
    items = home_items(member, TODAY)
    # the missing pledge is the pledges' own to-do (team_home), not said twice
    assert [i.kind for i in items] == [mine.MY_RECORD]
    assert items[0].text.startswith("党员责任区")
    f.pledge(t.branch1, p1, status="submitted")
    items = home_items(member, TODAY)
    assert items[-1].text == "2026年党员承诺：待审核" and items[-1].level == "info"
    assert home_items(office, TODAY) == []


def test_the_record_page_shows_the_carriers(client, world):
    t, p1, office, member = world
    f.model_post(t.branch1, office, p1, name="计量示范岗")
    client.force_login(office)
    html = main_content(client.get(reverse("people:detail", args=[p1.pk])).content.decode())
    assert 'id="presence"' in html and "计量示范岗" in html
