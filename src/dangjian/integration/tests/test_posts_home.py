"""Home items of 示范岗 and 责任区: the office's approvals, a branch's missing reports and reviews due in December,
a member's own report due; a constant number of queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.integration import posts as post_services
from dangjian.integration import zones as zone_services
from dangjian.integration.posts_home import home_items

from .posts_world import make_world, post_data, zone_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return make_world()


def texts(user, today):
    return [(str(i.kind), i.text) for i in home_items(user, today)]


def test_office_sees_posts_awaiting_approval(w):
    post_services.apply(w.sec1, post_data(w, name="检定岗"))
    items = texts(w.office, date(2025, 5, 1))
    assert ("示范岗待审批", "一支部申请“检定岗”") in items
    assert not [i for i in texts(w.sec1, date(2025, 5, 1)) if i[0] == "示范岗待审批"]


def test_branch_sees_zones_missing_their_last_report(w):
    zone_services.create(w.sec1, zone_data(w, name="实验区"))
    items = texts(w.sec1, date(2025, 5, 1))
    assert ("责任区履责报告", "一支部：乙的责任区“实验区”2025Q1未报告履责情况") in items
    assert not [i for i in texts(w.sec2, date(2025, 5, 1)) if i[0] == "责任区履责报告"]


def test_member_sees_their_own_report_due(w):
    zone = zone_services.create(w.sec1, zone_data(w, name="实验区"))
    assert ("我的责任区", "责任区“实验区”2025Q1的履责报告待提交") in texts(w.member, date(2025, 5, 1))
    zone_services.report(w.member, zone.pk, period="2025Q1", content="x", reported_on=date(2025, 4, 2))
    assert not [i for i in texts(w.member, date(2025, 5, 1)) if i[0] == "我的责任区"]


def test_reviews_fall_due_from_the_first_of_december(w):
    post = post_services.approve(w.office, post_services.apply(w.sec1, post_data(w, name="检定岗")).pk)
    year = post.decided_on.year
    assert not [i for i in texts(w.sec1, date(year, 11, 30)) if i[0] == "示范岗年度评议"]
    assert ("示范岗年度评议", f"一支部：“检定岗”{year}年度尚未评议") in texts(w.sec1, date(year, 12, 1))


def test_home_items_keep_their_query_count(w):
    def count(user, today):
        with CaptureQueriesContext(connection) as ctx:
            home_items(user, today)
        return len(ctx.captured_queries)

    today = date(2025, 12, 5)
    post_services.apply(w.sec1, post_data(w, name="岗0"))
    zone_services.create(w.sec1, zone_data(w, name="区0"))
    counts = [count(u, today) for u in (w.office, w.sec1, w.member)]
    for i in range(1, 9):
        post_services.apply(w.sec1, post_data(w, name=f"岗{i}"))
        zone_services.create(w.sec1, zone_data(w, name=f"区{i}"))
    # more than shown: one more count query per kind, no more with further rows
    more = [count(u, today) for u in (w.office, w.sec1, w.member)]
    for i in range(9, 15):
        post_services.apply(w.sec1, post_data(w, name=f"岗{i}"))
        zone_services.create(w.sec1, zone_data(w, name=f"区{i}"))
    assert [count(u, today) for u in (w.office, w.sec1, w.member)] == more
    assert all(m - c <= 2 for m, c in zip(more, counts, strict=True))
