"""The main menu by group: each role sees only the groups holding an entry it may open, each group only those
entries, in the groups' order; a group of one entry is a plain link; the page being shown marks its entry and group."""

from __future__ import annotations

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse

from dangjian.accounts.roles import GLOBAL_ROLES, Role
from dangjian.accounts.scope import has_perm
from dangjian.core.context_processors import OTHER_GROUP, menu_entries, menu_groups, navigation
from dangjian.core.contributions import MENU_GROUPS, MenuEntry
from dangjian.testing import make_tree, make_user

pytestmark = pytest.mark.django_db

ORGANIZATION_ALL = [
    "orgs:tree",
    "orgs:departments",
    "people:list",
    "people:import",
    "accounts:provision",
    "development:funnel",
    "dues:ledger",
    "transfers:list",
    "transfers:lost_list",
]
LIFE_ALL = [
    "meetings:list",
    "compliance:heatmap",
    "appraisal:list",
    "life:talks",
    "life:hours",
    "life:contact_points",
]
# Every role's menu: (group, [its entries]) in the order shown.
EXPECTED = {
    Role.SYSADMIN: [("system", ["accounts:users"])],
    Role.SECADMIN: [("system", ["accounts:assignments", "accounts:policy"])],
    Role.AUDITOR: [("system", ["audit:log"])],
    Role.OFFICE: [
        ("dashboard", ["dashboard:index"]),
        ("organization", ORGANIZATION_ALL),
        ("life", LIFE_ALL),
        (
            "assessment",
            [
                "assessment:cycles",
                "assessment:systems",
                "assessment:brands",
                "assessment:report_meetings",
                "assessment:rectifications",
                "integration:hub",
            ],
        ),
        ("care", ["care:obligations", "care:matters", "health:aggregates"]),
        ("records", ["stats:report", "ledger:index", "submissions:list", "facts:index"]),
        ("system", ["rules:catalogue"]),
    ],
    Role.LEADER: [
        ("dashboard", ["dashboard:index"]),
        (
            "organization",
            [
                "orgs:tree",
                "orgs:departments",
                "people:list",
                "development:funnel",
                "dues:ledger",
                "transfers:list",
                "transfers:lost_list",
            ],
        ),
        ("life", LIFE_ALL),
        ("assessment", ["assessment:cycles", "integration:hub"]),
        ("care", ["care:obligations", "care:matters", "health:aggregates"]),
        ("records", ["stats:report", "ledger:index", "submissions:list"]),
        ("system", ["rules:catalogue"]),
    ],
    Role.SECRETARY: [
        ("dashboard", ["dashboard:index"]),
        ("organization", ORGANIZATION_ALL),
        ("life", LIFE_ALL),
        ("assessment", ["assessment:cycles", "assessment:brands", "assessment:rectifications", "integration:hub"]),
        ("care", ["care:obligations", "care:matters", "health:aggregates"]),
        ("records", ["stats:report", "ledger:index", "submissions:list"]),
        ("system", ["rules:catalogue"]),
    ],
    Role.COMMITTEE_MEMBER: [
        ("organization", ["orgs:tree", "orgs:departments", "people:list", "development:funnel"]),
        ("life", LIFE_ALL),
        ("assessment", ["assessment:cycles", "integration:hub"]),
        ("records", ["ledger:index", "submissions:list"]),
        ("system", ["rules:catalogue"]),
    ],
    Role.MEMBER: [
        ("organization", ["people:list", "dues:ledger"]),
        ("life", LIFE_ALL),
        ("assessment", ["integration:hub"]),
        ("system", ["rules:catalogue"]),
    ],
    # PIPL art. 28: the health officer's one health entry is the screening itself, never the statistics as well
    Role.HEALTH_OFFICER: [
        ("organization", ["orgs:tree", "orgs:departments", "people:list"]),
        ("care", ["health:index"]),
        ("system", ["rules:catalogue"]),
    ],
    Role.CARE_OFFICER: [
        ("organization", ["orgs:tree", "orgs:departments", "people:list"]),
        ("care", ["care:obligations", "care:matters"]),
        ("system", ["rules:catalogue"]),
    ],
}


def _groups(user, path: str = "/"):
    request = RequestFactory().get(path)
    request.user = user
    return navigation(request)["nav_groups"]


def test_every_entry_names_a_known_group():
    assert [e.url_name for e in menu_entries() if e.group not in MENU_GROUPS] == []


def test_every_role_is_listed():
    assert set(EXPECTED) == set(Role)


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_only_the_groups_and_entries_it_may_open(role):
    t = make_tree()
    user = make_user(f"u-{role}", role, None if role in GLOBAL_ROLES else t.root)
    groups = _groups(user)
    assert [(g.key, [link.url_name for link in g.links]) for g in groups] == EXPECTED[role]
    by_name = {e.url_name: e for e in menu_entries()}
    for group in groups:
        assert group.links, "a group without an entry the user may open is not shown"
        assert group.label == MENU_GROUPS[group.key]
        for link in group.links:
            entry = by_name[link.url_name]
            assert entry.group == group.key and has_perm(user, entry.perm)
    # and nothing the role may open is missing
    shown = {link.url_name for g in groups for link in g.links}
    allowed = {
        e.url_name
        for e in menu_entries()
        if has_perm(user, e.perm) and not (e.hidden_with and has_perm(user, e.hidden_with))
    }
    assert shown == allowed


def test_groups_follow_their_declared_order_and_an_unknown_group_comes_last():
    entries = [
        MenuEntry("p", "x:late", "迟", order=1, group="somewhere"),
        MenuEntry("p", "x:sys", "系", order=2, group="system"),
        MenuEntry("p", "x:dash", "盘", order=3, group="dashboard"),
        MenuEntry("p", "x:sys2", "统", order=4, group="system"),
    ]
    groups = menu_groups(entries)
    assert [(g.key, [link.url_name for link in g.links]) for g in groups] == [
        ("dashboard", ["x:dash"]),
        ("system", ["x:sys", "x:sys2"]),
        (OTHER_GROUP, ["x:late"]),
    ]
    assert [g.single is not None for g in groups] == [True, False, True]


def test_the_current_group_is_the_one_holding_the_page_or_else_its_app():
    entries = [e for e in menu_entries() if e.group in ("organization", "records")]
    exact = {g.key: g for g in menu_groups(entries, "people:list")}
    assert exact["organization"].current and not exact["records"].current
    assert [link.url_name for link in exact["organization"].links if link.current] == ["people:list"]
    # a person's page: no entry names it, its app's entries are all under 组织与党员
    near = {g.key: g for g in menu_groups(entries, "people:detail")}
    assert near["organization"].current and not any(link.current for link in near["organization"].links)
    assert not near["records"].current
    # accounts has entries under two groups: its other pages mark neither
    mixed = menu_groups(menu_entries(), "accounts:password_change")
    assert not any(g.current for g in mixed)


def _nav(html: str) -> str:
    return html.split('id="mainnav"', 1)[1].split("</nav>", 1)[0]


def test_the_page_renders_groups_as_disclosures_and_a_group_of_one_as_a_link(client):
    t = make_tree()
    client.force_login(make_user("sec", "secretary", t.branch1))
    nav = _nav(client.get(reverse("people:list")).content.decode())
    summaries = re.findall(r"<summary[^>]*>([^<]+)</summary>", nav)
    assert summaries == ["组织与党员", "组织生活", "考核与融合", "关怀与健康", "台账与报表"]
    # 仪表盘 and 规则与依据 are each their group's only entry: plain links, no 系统 group
    top_links = re.findall(r'<a class="navlink" href="([^"]+)"', nav)
    assert top_links == [reverse("dashboard:index"), reverse("rules:catalogue")]
    assert "系统" not in nav
    # the page's entry is marked, and its group
    assert re.findall(r'href="([^"]+)" aria-current="page"', nav) == [reverse("people:list")]
    assert re.findall(r'<summary aria-current="true">([^<]+)</summary>', nav) == ["组织与党员"]


def test_a_member_sees_no_office_group(client):
    t = make_tree()
    client.force_login(make_user("mb", "member", t.branch1))
    nav = _nav(client.get("/").content.decode())
    assert re.findall(r"<summary[^>]*>([^<]+)</summary>", nav) == ["组织与党员", "组织生活"]
    assert reverse("people:import") not in nav and reverse("ledger:index") not in nav
    assert "台账与报表" not in nav and "关怀与健康" not in nav


def test_the_menu_asks_no_query_per_entry(django_assert_max_num_queries):
    t = make_tree()
    user = make_user("office", "office", t.root)
    request = RequestFactory().get("/")
    request.user = user
    with django_assert_max_num_queries(2):
        groups = navigation(request)["nav_groups"]
    assert sum(len(g.links) for g in groups) == sum(len(links) for _group, links in EXPECTED[Role.OFFICE])
