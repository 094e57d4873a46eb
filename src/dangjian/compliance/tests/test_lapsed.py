"""应按除名处置研究: 党章 第九条 / 党员教育管理工作条例 2019 第31条: "党员如果没有正当理由，连续六个月不参加党的组织
生活，或不交纳党费 ... 就被认为是自行脱党" — 5 months are not flagged, 6 are; 请假 is a reason; the scope holds."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.compliance import lapsed
from dangjian.compliance.rule_data import LAPSE_LIFE_MONTHS, LAPSE_RULES
from dangjian.meetings.models import Attendance
from dangjian.testing import make_member, make_user

from .conftest import at, meeting

pytestmark = pytest.mark.django_db

TODAY = date(2026, 7, 10)  # last complete month June 2026: the 6 months are January to June


def attend(m, person, status: str) -> None:
    Attendance.objects.create(meeting=m, person=person, status=status, reason="出差" if status == "excused" else "")


@pytest.fixture
def branch_year(tree):
    """Theme days of 一支部 from December 2025 to June 2026, and its members' attendance."""
    months = [(2025, 12)] + [(2026, m) for m in range(1, 7)]
    days = {ym: meeting(tree.branch1, "theme_day", at(*ym, 15)) for ym in months}
    people = {n: make_member(tree.branch1, n) for n in ("六月缺", "五月缺", "请假者", "小组会", "他支部")}
    for (y, m), day in days.items():
        attend(day, people["六月缺"], "present" if (y, m) == (2025, 12) else "absent")
        attend(day, people["五月缺"], "present" if (y, m) <= (2026, 1) else "absent")
        attend(day, people["请假者"], "excused" if (y, m) == (2026, 3) else "absent")
        attend(day, people["小组会"], "absent")
        attend(day, people["他支部"], "absent")
    attend(meeting(tree.group1, "group_meeting", at(2026, 4, 8)), people["小组会"], "present")
    attend(meeting(tree.branch2, "theme_day", at(2026, 4, 9)), people["他支部"], "present")
    return tree, days, people


def life_of(user, today=TODAY):
    return {r.name: r for r in lapsed.lapsed(user, today) if r.life_months}


def test_six_months_without_organisational_life_are_flagged_five_are_not(branch_year):
    tree, days, people = branch_year
    office = make_user("office", "office", tree.root)
    found = life_of(office)
    six = found["六月缺"]
    assert six.life_months == 6 and six.life_since == date(2026, 1, 1)
    assert six.last_meeting_id == days[(2025, 12)].pk  # the evidence: the last meeting he took part in
    assert "五月缺" not in found  # present in January: 5 months absent


def test_the_months_are_rule_data_with_their_article():
    rule = LAPSE_RULES.rule(LAPSE_LIFE_MONTHS, TODAY)
    assert rule.value == 6 and "第九条" in rule.citation and "第31条" in rule.citation and rule.is_regulation


def test_the_window_moves_with_the_month(branch_year):
    """On 30 June the window is December to May: the December attendance still counts for 六月缺."""
    tree, _days, _people = branch_year
    office = make_user("office", "office", tree.root)
    assert set(life_of(office, date(2026, 6, 30))) == {"他支部"}  # absent since December, the first on record
    assert set(life_of(office, date(2026, 7, 1))) == {"六月缺", "他支部"}


def test_an_excused_absence_is_a_good_reason_and_a_group_meeting_is_organisational_life(branch_year):
    """请假 (approved with a reason) is not "没有正当理由"; the branch's party group meetings are its organisational
    life; a meeting of another branch is not."""
    tree, _days, _people = branch_year
    found = life_of(make_user("office", "office", tree.root))
    assert "请假者" not in found and "小组会" not in found
    assert found["他支部"].life_months == 7 and found["他支部"].last_meeting_id is None  # since December: no record


def test_a_branch_that_held_nothing_flags_nobody(tree):
    make_member(tree.branch2, "无会可开")
    assert life_of(make_user("office", "office", tree.root)) == {}


def test_dues_arrears_join_the_same_list_with_their_months(branch_year):
    """The dues half (dues.arrears, 6 months) joins the list: a member on both grounds is one row."""
    tree, _days, people = branch_year
    rows = {r.name: r for r in lapsed.lapsed(make_user("office", "office", tree.root), TODAY)}
    # nobody in this world has paid anything: every member is in arrears since his membership's dues start
    assert rows["六月缺"].dues_months is not None and rows["六月缺"].dues_months >= 6
    assert rows["五月缺"].life_months is None and rows["五月缺"].dues_months >= 6
    assert len([r for r in rows.values() if r.person_id == people["六月缺"].pk]) == 1


def test_the_page_shows_the_branch_secretary_his_branch_only(client, branch_year):
    tree, _days, _people = branch_year
    sec2 = make_user("sec2", "secretary", tree.branch2, person=make_member(tree.branch2, "二支书记"))
    client.force_login(sec2)
    html = client.get(reverse("compliance:lapsed")).content.decode()
    assert "六月缺" not in html and "他支部" not in html
    sec1 = make_user("sec1", "secretary", tree.branch1, person=make_member(tree.branch1, "一支书记"))
    client.force_login(sec1)
    response = client.get(reverse("compliance:lapsed"))
    assert response.status_code == 200
    assert "六月缺" in response.content.decode()
    member = make_user("m1", "member", person=make_member(tree.branch1, "普通党员"))
    client.force_login(member)
    assert client.get(reverse("compliance:lapsed")).status_code == 404


def test_the_list_takes_the_same_queries_for_more_members(branch_year):
    tree, days, _people = branch_year
    office = make_user("office", "office", tree.root)
    lapsed.lapsed(office, TODAY)  # warm the scope and rule caches
    with CaptureQueriesContext(connection) as few:
        lapsed.lapsed(office, TODAY)
    for i in range(5):
        p = make_member(tree.branch1, f"新增{i}")
        for day in days.values():
            attend(day, p, "absent")
    with CaptureQueriesContext(connection) as more:
        assert len(life_of(office)) == 7
    assert len(more) == len(few)


def test_the_home_page_lists_the_organisational_life_ground_for_the_secretary(branch_year):
    tree, _days, _people = branch_year
    sec1 = make_user("sec1", "secretary", tree.branch1, person=make_member(tree.branch1, "一支书记"))
    items = lapsed.home_items(sec1, TODAY)
    assert sorted(i.text for i in items) == sorted(
        [
            "六月缺（一支部）自2026年01月起连续6个月未参加党的组织生活",
            "他支部（一支部）自2025年12月起连续7个月未参加党的组织生活",
        ]
    )
    assert all(i.more == reverse("compliance:lapsed") for i in items)
    sec2 = make_user("sec2", "secretary", tree.branch2, person=make_member(tree.branch2, "二支书记"))
    assert lapsed.home_items(sec2, TODAY) == []
