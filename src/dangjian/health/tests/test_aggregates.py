"""Leaders' screening figures: groups under five withheld entirely, also when the other table would give them away;
scope respected, no names, constant queries."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.audit.models import AuditEvent
from dangjian.health import runs
from dangjian.health.aggregates import MIN_GROUP, aggregates
from dangjian.health.models import ScreeningResult
from dangjian.orgs.models import Department, Organization
from dangjian.people.models import Membership
from dangjian.testing import main_content, make_member, make_person, make_user

from .screen_data import APCS_HIGH, GASTRIC_MEDIUM, HIGH, LOW, MEDIUM, screen

pytestmark = pytest.mark.django_db
YEAR = 2026
HIDDEN = "不足5人，不予显示"
PROTECTED = "不予显示：否则可由上级数字推算出不足5人的组"
ACROSS = "不予显示：否则可与另一张表的数字相减推算出不足5人的组"


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
    assert cells(row_of(depts, Department.objects.get(path=t.dept1.path[: t.dept1.steplen])))[0] == "9"


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
    assert f'data-unit="{key(t.dept1)}"' not in depts and "一室" not in page and "一支部" not in main_content(page)
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


def screen_many(n, branch, department, values, world, name):
    """``n`` people screened with ``values``: members of ``branch`` (or non-members when it is None)."""
    for i in range(n):
        person = (
            make_member(branch, f"{name}{i}", department=department)
            if branch
            else make_person(f"{name}{i}", department=department)
        )
        screen(person, YEAR, values, world["ho_all"])


def assert_no_difference_across_the_tables_exposes_a_small_group(data):
    """Brute force over people, not the module's bookkeeping: every shown organisation and shown department that share
    people differ by none or at least five people each way (HEALTH_MODELS.md §5)."""
    results = ScreeningResult.objects.filter(year=data.year)
    dept_of = dict(results.values_list("person_id", "person__department__path"))
    org_of = dict(
        Membership.objects.current().filter(person_id__in=dept_of).values_list("person_id", "organization__path")
    )

    def people(group, path_of):
        return {p for p in dept_of if (path_of.get(p) or "").startswith(group.unit.path)}

    orgs = [people(g, org_of) for g in data.orgs if g.shown]
    depts = [people(g, dept_of) for g in data.departments if g.shown]
    for o in orgs:
        for d in depts:
            if o & d:
                assert len(o - d) not in range(1, MIN_GROUP) and len(d - o) not in range(1, MIN_GROUP)


def test_a_branch_and_a_department_that_differ_by_two_are_not_both_shown(client, world):
    """The reviewer's case: 一支部 has 7 (2 high risk), 一室 has 5, all of 一支部 and none high risk; 一支部 − 一室
    would be the two members of 一支部 in 二室, both high risk. The smaller, 一室, is withheld; likewise 二支部 (5,
    all in 二室) against 二室 (7)."""
    t = world["t"]
    screen(world["p1"], YEAR, LOW, world["ho_all"])
    screen_many(4, t.branch1, t.dept1, LOW, world, "一室")
    screen_many(2, t.branch1, t.dept2, HIGH, world, "借调")
    screen(world["p2"], YEAR, LOW, world["ho_all"])
    screen_many(4, t.branch2, t.dept2, LOW, world, "二室")
    runs.start_run(world["ho_all"], YEAR)
    page = page_of(client, world["leader"])
    orgs, depts = page.split('id="agg-departments"')
    assert cells(row_of(orgs, t.branch1)) == ["7", "5", "0", "2", "0", "0", "0", "2"]
    assert cells(row_of(depts, t.dept1)) == [ACROSS]
    assert cells(row_of(orgs, t.branch2)) == [ACROSS]
    assert cells(row_of(depts, t.dept2))[:4] == ["7", "5", "0", "2"]
    # what stays shown differs by five: general 12 − 一支部 7, institute 12 − 二室 7
    assert cells(row_of(orgs, t.general))[0] == "12"
    data = aggregates(world["leader"], YEAR)
    assert_no_difference_across_the_tables_exposes_a_small_group(data)
    # within the trees nothing else was needed: the two withheld are the only ones besides the empty office branch
    withheld = {g.unit.name for g in (*data.orgs, *data.departments) if g.withheld}
    assert withheld == {"一室", "二支部", "机关支部"}


def test_branches_and_departments_that_differ_by_none_or_five_are_all_shown(world):
    """一支部 10 (5 in 一室, 5 in 二室), 二支部 5 (in 二室): every difference across the tables is 0, 5 or 10."""
    t = world["t"]
    screen(world["p1"], YEAR, LOW, world["ho_all"])
    screen_many(4, t.branch1, t.dept1, MEDIUM, world, "一室")
    screen_many(5, t.branch1, t.dept2, HIGH, world, "借调")
    screen(world["p2"], YEAR, LOW, world["ho_all"])
    screen_many(4, t.branch2, t.dept2, LOW, world, "二室")
    runs.start_run(world["ho_all"], YEAR)
    data = aggregates(world["leader"], YEAR)
    assert {g.unit.name: g.screened for g in data.orgs if g.shown} == {
        "测试所党委": 15,
        "一总支": 15,
        "一支部": 10,
        "二支部": 5,
    }
    assert {g.unit.name: g.screened for g in data.departments if g.shown} == {"测试所": 15, "一室": 5, "二室": 10}
    by_name = {g.unit.name: g for g in data.departments}
    assert by_name["二室"].counts["cvd_high"] == 5 and by_name["一室"].counts["cvd_medium"] == 4


def test_non_members_in_a_department_do_not_leak_through_the_party_tree(world):
    """Two screened non-members in 一室: 一室 (7) against 一支部 (5), and the institute (12) against the party
    committee (10), would each give the two away. Withholding cascades until no such pair is left."""
    t = world["t"]
    populate(world, in_branch1=5, in_branch2=5)
    screen_many(2, None, t.dept1, HIGH, world, "群众")
    runs.start_run(world["ho_all"], YEAR)
    data = aggregates(world["leader"], YEAR)
    assert_no_difference_across_the_tables_exposes_a_small_group(data)
    shown = {g.unit.name for g in (*data.orgs, *data.departments) if g.shown}
    assert not {"测试所党委", "测试所"} <= shown and not {"一支部", "一室"} <= shown
    assert "二支部" in shown and "二室" in shown  # 5 and 5, the same people: unaffected


def test_members_without_a_department_do_not_leak_through_the_department_tree(world):
    t = world["t"]
    populate(world, in_branch1=5, in_branch2=5)
    screen_many(3, t.branch2, None, HIGH, world, "无部门")
    runs.start_run(world["ho_all"], YEAR)
    data = aggregates(world["leader"], YEAR)
    assert_no_difference_across_the_tables_exposes_a_small_group(data)
    shown = {g.unit.name for g in (*data.orgs, *data.departments) if g.shown}
    assert not {"二支部", "二室"} <= shown


def test_a_branch_leader_sees_no_difference_through_other_branches_staff_in_his_department(world):
    """二室 is covered by 二支部, so its leader sees 二室's staff from 一支部 too: 二室 (7) − 二支部 (5) would give
    them away within his own page."""
    t = world["t"]
    populate(world, in_branch1=5, in_branch2=5)
    screen_many(2, t.branch1, t.dept2, HIGH, world, "借调")
    runs.start_run(world["ho_all"], YEAR)
    data = aggregates(make_user("leader2", "leader", t.branch2), YEAR)
    assert [g.unit.name for g in data.orgs] == ["二支部"] and [g.unit.name for g in data.departments] == ["二室"]
    assert [g.shown for g in (*data.orgs, *data.departments)].count(True) == 1
