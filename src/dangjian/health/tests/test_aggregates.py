"""Leaders' screening figures: groups under five withheld entirely, scope respected, no names, constant queries."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.audit.models import AuditEvent
from dangjian.health import runs
from dangjian.health.aggregates import aggregates
from dangjian.orgs.models import Organization
from dangjian.testing import make_member, make_user

from .screen_data import APCS_HIGH, GASTRIC_MEDIUM, HIGH, LOW, MEDIUM, screen

pytestmark = pytest.mark.django_db
YEAR = 2026
HIDDEN = "不足5人，不予显示"
PROTECTED = "不予显示：否则可由上级数字推算出不足5人的组"


def populate(world, in_branch1=5, in_branch2=4):
    """``in_branch1`` people screened in branch1 (p1 first, then one of each raised risk in turn) and ``in_branch2``
    in branch2 (p2 first, all low risk), each in his branch's department; then one run over everyone."""
    t, ho = world["t"], world["ho_all"]
    kinds = [MEDIUM, HIGH, {**LOW, **GASTRIC_MEDIUM}, {**LOW, **APCS_HIGH}]
    people1 = [world["p1"]] + [make_member(t.branch1, f"一支部{i}", department=t.dept1) for i in range(in_branch1 - 1)]
    for i, person in enumerate(people1[:in_branch1]):
        screen(person, YEAR, kinds[(i - 1) % 4] if i else LOW, ho)
    people2 = [world["p2"]] + [make_member(t.branch2, f"二支部{i}", department=t.dept2) for i in range(in_branch2 - 1)]
    for person in people2[:in_branch2]:
        screen(person, YEAR, LOW, ho)
    runs.start_run(ho, YEAR)


def key(unit) -> str:
    return f"agg-{'orgs' if isinstance(unit, Organization) else 'departments'}-{unit.pk}"


def row_of(page: str, unit) -> str:
    match = re.search(rf'<tr data-unit="{key(unit)}">(.*?)</tr>', page, re.S)
    assert match, unit
    return match.group(1)


def cells(row: str) -> list[str]:
    return re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[1:]


def page_of(client, user, year=YEAR) -> str:
    client.force_login(user)
    response = client.get(reverse("health:aggregates"), {"year": year})
    assert response.status_code == 200
    return response.content.decode()


def test_a_group_of_five_is_shown_with_its_counts(client, world):
    populate(world, in_branch1=5, in_branch2=0)
    t = world["t"]
    page = page_of(client, world["leader"])
    orgs, depts = page.split('id="agg-departments"')
    # branch1: LOW, MEDIUM, HIGH, gastric medium, APCS high (+ referral) → 5 screened
    # columns: screened, CVD low/medium/high, gastric medium+high, APCS high, colonoscopy, follow-up
    expected = ["5", "3", "1", "1", "1", "1", "1", "4"]
    assert cells(row_of(orgs, t.branch1)) == expected and cells(row_of(depts, t.dept1)) == expected
    assert cells(row_of(orgs, t.general)) == expected and cells(row_of(orgs, t.root)) == expected
    for empty in (row_of(orgs, t.branch2), row_of(orgs, t.office_branch), row_of(depts, t.dept2)):
        assert cells(empty) == [HIDDEN]
    for name in ("张一", "李二", "一支部0"):
        assert name not in page  # no names anywhere on the page


def test_a_group_of_four_is_withheld_and_so_is_the_sibling_that_would_give_it_away(client, world):
    populate(world, in_branch1=5, in_branch2=4)
    t = world["t"]
    page = page_of(client, world["leader"])
    orgs, depts = page.split('id="agg-departments"')
    assert cells(row_of(orgs, t.branch2)) == [HIDDEN]  # not even the number screened
    # general branch (9) minus branch1 (5) would give branch2's four away: branch1 is withheld too
    assert cells(row_of(orgs, t.branch1)) == [PROTECTED]
    assert cells(row_of(orgs, t.general)) == ["9", "7", "1", "1", "1", "1", "1", "4"]
    assert cells(row_of(depts, t.dept1)) == [PROTECTED] and cells(row_of(depts, t.dept2)) == [HIDDEN]
    assert cells(row_of(depts, t.dept1.get_parent()))[0] == "9"


def test_two_groups_of_five_are_both_shown(world):
    populate(world, in_branch1=5, in_branch2=5)
    t = world["t"]
    shown = {g.unit.pk: g.screened for g in aggregates(world["leader"], YEAR).orgs if g.shown}
    assert shown == {t.root.pk: 10, t.general.pk: 10, t.branch1.pk: 5, t.branch2.pk: 5}


def test_hiding_a_unit_also_hides_the_shown_units_beneath_it_that_would_give_a_small_group_away(world):
    """root 9 = branch1 5 (under the general branch, 5) + office branch 4: withholding only the general branch would
    leave root − branch1 = the office branch's 4, so branch1 goes too; the root's 9 stay."""
    populate(world, in_branch1=5, in_branch2=0)
    t, ho = world["t"], world["ho_all"]
    for i in range(4):
        screen(make_member(t.office_branch, f"机关{i}"), YEAR, LOW, ho)
    runs.start_run(ho, YEAR)
    by_unit = {g.unit.pk: g for g in aggregates(world["leader"], YEAR).orgs}
    assert [u for u in (t.root, t.general, t.branch1, t.branch2, t.office_branch) if by_unit[u.pk].shown] == [t.root]
    assert by_unit[t.root.pk].screened == 9


def test_a_unit_whose_own_members_are_too_few_is_withheld(world):
    """Four people directly in the root: the root (9) minus its shown subtree (5) would expose them."""
    populate(world, in_branch1=5, in_branch2=0)
    t, ho = world["t"], world["ho_all"]
    for i in range(4):
        screen(make_member(t.root, f"党委{i}"), YEAR, LOW, ho)
    runs.start_run(ho, YEAR)
    shown = [g.unit for g in aggregates(world["leader"], YEAR).orgs if g.shown]
    assert shown == [t.root]  # general and branch1 (5 each) withheld; the root's 9 cover the 4


def test_a_leader_of_branch2_sees_nothing_of_branch1(client, world):
    populate(world, in_branch1=5, in_branch2=5)
    t = world["t"]
    leader2 = make_user("leader2", "leader", t.branch2)
    page = page_of(client, leader2)
    orgs, depts = page.split('id="agg-departments"')
    assert cells(row_of(orgs, t.branch2)) == ["5", "5", "0", "0", "0", "0", "0", "0"]
    for other in (t.branch1, t.general, t.root, t.office_branch):
        assert f'data-unit="{key(other)}"' not in orgs
    assert f'data-unit="{key(t.dept1)}"' not in depts and "一室" not in page and "一支部" not in page
    assert cells(row_of(depts, t.dept2))[0] == "5"


def test_a_secretary_and_a_health_officer_see_their_subtree_only(client, world):
    populate(world)
    t = world["t"]
    for who in ("sec1", "ho1"):
        page = page_of(client, world[who])
        assert cells(row_of(page, t.branch1))[0] == "5"
        assert f'data-unit="{key(t.branch2)}"' not in page and f'data-unit="{key(t.general)}"' not in page


def test_another_year_has_no_figures(client, world):
    populate(world)
    page = page_of(client, world["leader"], year=2025)
    assert page.count(HIDDEN) == page.count("<tr data-unit=")


def test_viewing_the_figures_is_not_a_record_read(client, world):
    populate(world)
    page_of(client, world["leader"])
    assert not AuditEvent.objects.filter(action__in=("view_sensitive", "export")).exists()


def test_the_query_count_does_not_grow_with_people(client, world):
    populate(world, in_branch1=5, in_branch2=0)
    client.force_login(world["leader"])
    url = reverse("health:aggregates")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url, {"year": YEAR})
    t, ho = world["t"], world["ho_all"]
    for i in range(35):
        screen(make_member(t.branch2 if i % 2 else t.office_branch, f"加{i}"), YEAR, MEDIUM, ho)
    runs.start_run(ho, YEAR)
    with CaptureQueriesContext(connection) as large:
        page = client.get(url, {"year": YEAR}).content.decode()
    assert len(large) == len(small)
    assert cells(row_of(page, t.root))[0] == "40"


@pytest.mark.parametrize("who", ["leader", "office", "sec1"])
def test_roles_without_values_open_the_figures_but_not_the_health_pages(client, world, who):
    client.force_login(world[who])
    assert client.get(reverse("health:aggregates")).status_code == 200
    assert client.get(reverse("health:index")).status_code == 404
    assert client.get(reverse("health:runs")).status_code == 404


def test_people_without_any_health_permission_get_404(client, world):
    member = make_user("m1", "member", world["t"].branch1, person=world["p1"])
    client.force_login(member)
    assert client.get(reverse("health:aggregates")).status_code == 404


def test_the_menu_shows_one_health_entry(client, world):
    client.force_login(world["leader"])
    page = client.get(reverse("health:aggregates")).content.decode()
    assert "健康筛查统计" in page and f'href="{reverse("health:index")}"' not in page
    client.force_login(world["ho1"])
    page = client.get(reverse("health:index")).content.decode()
    nav = page.split('class="mainnav"', 1)[1].split("</nav>", 1)[0]
    assert f'href="{reverse("health:index")}"' in nav and reverse("health:aggregates") not in nav
