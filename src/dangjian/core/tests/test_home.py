"""The home page groups every app's items by kind: a count, the first few lines, a link to the full list;
its number of queries does not grow with the data, for the office, a secretary and a member."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.core.contributions import HomeItem
from dangjian.core.views import SHOWN, SLACK, group_items
from dangjian.orgs.models import Organization
from dangjian.testing import make_member, make_tree, make_user


def item(kind, level="late", order=100, **kw):
    kw.setdefault("text", f"{kind}{level}")
    return HomeItem(level, kind, link="/x/", source="test", more=f"/{kind}/", order=order, **kw)


def test_items_are_grouped_by_kind_counted_and_cut_to_the_first_few():
    items = [item("乙", "due", order=20) for _ in range(SHOWN + SLACK + 1)]
    items += [item("甲", "due", order=10, text="将到期"), item("甲", "late", order=10, text="已超期")]
    items += [item("甲", "late", order=10, text="另有40项", count=40)]
    jia, yi = group_items(items)
    assert (jia.kind, yi.kind) == ("甲", "乙")  # by declared order, not by arrival
    assert [i.text for i in jia.items] == ["已超期", "另有40项", "将到期"]  # late first, each app's order kept
    assert (jia.total, jia.late, jia.rest, jia.more) == (42, 41, 0, "/甲/")
    assert (len(yi.items), yi.total, yi.late, yi.rest) == (SHOWN, SHOWN + SLACK + 1, 0, SLACK + 1)
    (few,) = group_items([item("丁") for _ in range(SHOWN + SLACK)])
    assert len(few.items) == SHOWN + SLACK and few.rest == 0  # never "还有 1 项" in place of that one line
    assert not jia.at_least
    (capped,) = group_items([item("丙"), item("丙", count=99, at_least=True)])
    assert capped.at_least and capped.total == 100
    assert group_items([]) == []


def _branches(t, n: int, start: int = 0) -> None:
    """``n`` branches with one member each: each one is a structural warning (fewer than 3 full members)."""
    for i in range(start, start + n):
        general = Organization.objects.get(pk=t.general.pk)
        branch = Organization.objects.add_child(
            general, dict(kind="branch", code=f"TB{i:03}", name=f"小支部{i}", founded_on=date(2000, 1, 1))
        )
        make_member(branch, f"小{i}")


@pytest.fixture
def world(db):
    t = make_tree()
    members = [make_member(t.branch1, f"员{i}") for i in range(4)]
    _branches(t, SHOWN + SLACK + 1)
    return {
        "t": t,
        "office": make_user("office-home", "office", t.root),
        "secretary": make_user("sec-home", "secretary", t.branch1, person=members[0]),
        "member": make_user("member-home", "member", t.branch1, person=members[1]),
    }


@pytest.mark.django_db
def test_the_office_sees_each_kind_once_with_its_count_and_a_link_to_all(client, world):
    client.force_login(world["office"])
    html = client.get("/").content.decode()
    assert html.count(f'<a href="{reverse("orgs:tree")}">组织建设</a>') == 1 and "待办提醒" in html
    start = html.index("组织建设")
    section = html[start : html.index("</section>", start)]
    assert section.count('class="home-item') == SHOWN  # the first few lines, not the wall
    assert "还有" in section and "查看全部" in section and f'href="{reverse("orgs:tree")}"' in section
    # the figures at the top come from the orgs and people contributions
    assert f'href="{reverse("people:list")}?status=member"' in html
    assert f'href="{reverse("orgs:list")}?kind=branch"' in html


@pytest.mark.django_db
def test_a_secretary_sees_the_branchs_to_do_and_a_member_only_his_record(client, world):
    client.force_login(world["secretary"])
    html = client.get("/").content.decode()
    assert f'<a href="{reverse("compliance:heatmap")}">组织生活待办</a>' in html  # the group's heading
    assert reverse("compliance:org", args=[world["t"].branch1.pk]) in html
    assert "小支部" not in html  # other branches' structural warnings are not his
    client.force_login(world["member"])
    html = client.get("/").content.decode()
    # his own lines only (issue 13 §2): none of the branch's to-do
    assert "我的记录" in html and "组织生活待办" not in html and "组织建设" not in html
    assert reverse("people:detail", args=[world["member"].person_id]) in html


@pytest.mark.django_db
# issue 15 added the carriers' lines: a member's posts, zones, teams and pledge (4), the pledge to-do (1), a zone's
# report due (1), the plan deployments they answer for (2); a secretary's (1). Issue 16: a sender's returned and
# answered requests (请示报告, 1)
@pytest.mark.parametrize("who,most", [("office", 36), ("secretary", 40), ("member", 32)])
def test_home_queries_do_not_grow_with_the_data(client, world, who, most):
    client.force_login(world[who])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/").status_code == 200
        return len(ctx.captured_queries)

    count()  # the session's first read
    before = count()
    t = world["t"]
    _branches(t, 15, start=100)
    for i in range(10):
        make_member(t.branch1, f"新{i}")
    after = count()
    assert after == before <= most
