"""The engine at the edges of each rule, on whichever database the suite runs on."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from dangjian.compliance import engine, lights
from dangjian.compliance.engine import settings_on
from dangjian.compliance.obligations import by_key
from dangjian.orgs.models import Organization
from dangjian.rules.models import RuleVersion
from dangjian.rules.services import book
from dangjian.testing import make_member

from . import store
from .conftest import at, committee, meeting, roster

pytestmark = pytest.mark.django_db

LATE_2025 = date(2026, 2, 15)  # every 2025 period is over


def compute(year=2025, today=LATE_2025, orgs=None):
    return engine.compute(orgs if orgs is not None else Organization.objects.all(), [year], today)


def find(matrix, org, code, kind, index):
    found = [
        i
        for i in matrix.items
        if i.org_id == org.pk
        and matrix.rules[i.rule_id].code == code
        and i.period.kind == kind
        and i.period.index == index
    ]
    assert len(found) <= 1, found
    return found[0] if found else None


def codes_of(matrix, org):
    return {matrix.rules[i.rule_id].code for i in matrix.items if i.org_id == org.pk}


def test_the_seed_holds_the_rules_of_rules_md_section_1():
    rules = {vs[-1].code: vs[-1] for vs in by_key(book()).values()}
    assert set(rules) == {
        "branch.committee_meeting",
        "branch.members_meeting",
        "group.group_meeting",
        "branch.lecture",
        "branch.theme_day",
        "branch.life_meeting",
        "branch.appraisal",
    }
    assert rules["branch.committee_meeting"].condition == "has_committee"
    assert rules["branch.members_meeting"].period == "quarter"
    assert rules["branch.lecture"].is_local and not rules["branch.lecture"].is_regulation
    assert rules["branch.lecture"].active
    assert rules["branch.theme_day"].is_regulation and not rules["branch.theme_day"].is_local
    assert rules["branch.life_meeting"].counts_group_meetings
    assert settings_on(date(2025, 1, 1)) == {
        "minutes_days": 7,
        "due_soon_days": 7,
        "late_window_days": 92,
    }


def test_a_branch_owes_each_obligation_once_per_period(tree_with_committee):
    t = tree_with_committee
    m = compute()
    counts = {}
    for i in m.items:
        if i.org_id == t.branch1.pk:
            code = m.rules[i.rule_id].code
            counts[code] = counts.get(code, 0) + 1
    assert counts == {
        "branch.committee_meeting": 12,
        "branch.members_meeting": 4,
        "branch.lecture": 4,
        "branch.theme_day": 12,
        "branch.life_meeting": 1,
        "branch.appraisal": 1,
    }
    assert codes_of(m, t.group1) == {"group.group_meeting"}
    assert codes_of(m, t.root) == set() and codes_of(m, t.general) == set()


def test_a_meeting_late_on_the_last_local_day_of_a_quarter_counts_in_that_quarter(tree):
    # 23:30 on 31 March in Beijing is 15:30 UTC: still the first quarter.
    meeting(tree.branch1, "members_meeting", at(2025, 3, 31, 23, 30))
    # 00:10 on 1 July in Beijing is 30 June UTC: already the third quarter.
    meeting(tree.branch1, "members_meeting", at(2025, 7, 1, 0, 10))
    m = compute()
    q = {n: find(m, tree.branch1, "branch.members_meeting", "quarter", n) for n in (1, 2, 3, 4)}
    assert (q[1].held, q[1].light) == (1, lights.DONE)
    assert (q[2].held, q[2].light) == (0, lights.OVERDUE)
    assert (q[3].held, q[3].light) == (1, lights.DONE)
    assert q[4].light == lights.OVERDUE
    # The first of January at 00:30 local belongs to the new year, not December.
    meeting(tree.branch1, "theme_day", at(2026, 1, 1, 0, 30))
    assert find(compute(), tree.branch1, "branch.theme_day", "month", 12).held == 0


def test_a_branch_founded_mid_quarter_owes_from_its_first_whole_period(tree):
    new = Organization.objects.add_child(
        Organization.objects.get(pk=tree.general.pk),
        dict(kind="branch", code="T013", name="新支部", founded_on=date(2025, 5, 15)),
    )
    meeting(new, "members_meeting", at(2025, 6, 3))
    m = compute()
    q2 = find(m, new, "branch.members_meeting", "quarter", 2)
    assert (q2.required, q2.held, q2.light) == (0, 1, lights.NOT_OWED)  # listed, meeting visible, not owed
    assert find(m, new, "branch.members_meeting", "quarter", 3).required == 1
    assert find(m, new, "branch.members_meeting", "quarter", 1) is None  # did not exist at all
    assert find(m, new, "branch.theme_day", "month", 5).light == lights.NOT_OWED
    assert find(m, new, "branch.theme_day", "month", 6).light == lights.OVERDUE
    assert find(m, new, "branch.life_meeting", "year", 1).light == lights.NOT_OWED
    # Founded on the first day of a quarter: that quarter is whole.
    first_day = Organization.objects.add_child(
        Organization.objects.get(pk=tree.general.pk),
        dict(kind="branch", code="T014", name="季初支部", founded_on=date(2025, 4, 1)),
    )
    assert find(compute(), first_day, "branch.members_meeting", "quarter", 2).required == 1


def test_a_branch_dissolved_mid_quarter_owes_only_its_whole_periods(tree):
    Organization.objects.filter(pk=tree.branch2.pk).update(dissolved_on=date(2025, 8, 20))
    m = compute()
    b = tree.branch2
    assert find(m, b, "branch.theme_day", "month", 7).required == 1
    assert find(m, b, "branch.theme_day", "month", 8).light == lights.NOT_OWED
    assert find(m, b, "branch.theme_day", "month", 9) is None
    assert find(m, b, "branch.members_meeting", "quarter", 2).required == 1
    assert find(m, b, "branch.members_meeting", "quarter", 3).light == lights.NOT_OWED
    assert find(m, b, "branch.members_meeting", "quarter", 4) is None
    assert find(m, b, "branch.life_meeting", "year", 1).light == lights.NOT_OWED
    # dissolved_on is the first day it no longer exists: dissolved on 1 October, the third quarter is whole.
    Organization.objects.filter(pk=b.pk).update(dissolved_on=date(2025, 10, 1))
    m = compute()
    assert find(m, b, "branch.members_meeting", "quarter", 3).required == 1
    assert find(m, b, "branch.members_meeting", "quarter", 4) is None


def test_committee_meetings_are_owed_once_a_committee_is_elected(tree):
    committee(tree.branch1, date(2025, 5, 10))
    m = compute()
    assert find(m, tree.branch1, "branch.committee_meeting", "month", 4) is None
    assert find(m, tree.branch1, "branch.committee_meeting", "month", 5).light == lights.NOT_OWED
    assert find(m, tree.branch1, "branch.committee_meeting", "month", 6).light == lights.OVERDUE
    assert "branch.committee_meeting" not in codes_of(m, tree.branch2)


def _voters(branch, n):
    return [make_member(branch, f"表决{i}") for i in range(n)]


def test_a_committee_meeting_at_exactly_half_is_held_and_below_half_fails(tree_with_committee):
    """支部工作条例 art. 12: 支部委员会会议须有半数以上委员到会方可进行 (以上 includes the number)."""
    tree = tree_with_committee
    members = _voters(tree.branch1, 4)
    below = meeting(tree.branch1, "committee_meeting", at(2025, 2, 10))
    roster(below, members, present=1)
    m = compute()
    feb = find(m, tree.branch1, "branch.committee_meeting", "month", 2)
    assert (feb.held, feb.quorum_failed, feb.valid, feb.light) == (1, 1, 0, lights.OVERDUE)
    assert "1次未达到法定人数" in m.message(feb)

    half = meeting(tree.branch1, "committee_meeting", at(2025, 3, 10))
    roster(half, members, present=2)
    mar = find(compute(), tree.branch1, "branch.committee_meeting", "month", 3)
    assert (mar.held, mar.quorum_failed, mar.light) == (1, 0, lights.DONE)


def test_a_members_meeting_without_a_vote_counts_as_held_whatever_the_attendance(tree):
    """支部工作条例 art. 11: 表决必须有半数以上有表决权的党员到会方可进行 — the quorum conditions a vote, not the
    meeting: 3 of 10 present is a members' meeting held."""
    voters = _voters(tree.branch1, 10)
    roster(meeting(tree.branch1, "members_meeting", at(2025, 2, 10)), voters, present=3)
    roster(meeting(tree.branch1, "life_meeting", at(2025, 3, 10)), voters, present=1)
    m = compute()
    q1 = find(m, tree.branch1, "branch.members_meeting", "quarter", 1)
    assert (q1.held, q1.quorum_failed, q1.valid, q1.light) == (1, 0, 1, lights.DONE)
    assert all(i.quorum_failed == 0 for i in m.items if i.org_id == tree.branch1.pk)


def test_quorum_counts_voting_attendees_only_and_elsewhere_as_present(tree_with_committee):
    tree = tree_with_committee
    voters = _voters(tree.branch1, 3)
    probationary = [make_member(tree.branch1, f"预备{i}", status="probationary") for i in range(3)]
    m1 = meeting(tree.branch1, "committee_meeting", at(2025, 2, 10))
    roster(m1, voters, present=1)
    roster(m1, probationary, present=3, voting=False)  # three present without a vote: still 1 of 3
    m2 = meeting(tree.branch1, "committee_meeting", at(2025, 5, 10))
    roster(m2, voters, present=2, status="elsewhere")  # 2 of 3 attend elsewhere: quorum
    no_roster = meeting(tree.branch1, "committee_meeting", at(2025, 8, 10))
    assert not no_roster.attendances.exists()
    m = compute()
    assert find(m, tree.branch1, "branch.committee_meeting", "month", 2).quorum_failed == 1
    assert find(m, tree.branch1, "branch.committee_meeting", "month", 5).light == lights.DONE
    assert find(m, tree.branch1, "branch.committee_meeting", "month", 8).light == lights.DONE  # not judged


def test_theme_days_have_no_quorum(tree):
    theme = meeting(tree.branch1, "theme_day", at(2025, 2, 10))
    roster(theme, _voters(tree.branch1, 4), present=1)
    assert find(compute(), tree.branch1, "branch.theme_day", "month", 2).light == lights.DONE


def test_minutes_are_late_more_than_n_days_after_the_meeting(tree):
    meeting(tree.branch1, "theme_day", at(2025, 10, 10, 9), status="held")
    meeting(tree.branch1, "theme_day", at(2025, 10, 11, 9), status="minutes_recorded")

    def late(today):
        return find(compute(today=today), tree.branch1, "branch.theme_day", "month", 10).minutes_missing

    assert late(date(2025, 10, 17)) == 0  # 7 days after: still within the deadline
    assert late(date(2025, 10, 18)) == 1  # 8 days after: late
    RuleVersion.objects.filter(key="compliance.minutes_days").update(value=10)
    assert late(date(2025, 10, 18)) == 0


def test_planned_cancelled_and_deleted_meetings_do_not_count(tree):
    meeting(tree.branch1, "theme_day", at(2025, 3, 1), status="planned")
    meeting(tree.branch1, "theme_day", at(2025, 3, 2), status="cancelled")
    gone = meeting(tree.branch1, "theme_day", at(2025, 3, 3))
    gone.mark_deleted()
    gone.save()
    assert find(compute(), tree.branch1, "branch.theme_day", "month", 3).held == 0


def test_the_life_meeting_may_be_held_by_a_party_group(tree):
    meeting(tree.group1, "life_meeting", at(2025, 12, 20))
    meeting(tree.group1, "group_meeting", at(2025, 12, 21))
    meeting(tree.branch2, "members_meeting", at(2025, 12, 22))  # an ordinary members' meeting is not one
    m = compute()
    assert find(m, tree.branch1, "branch.life_meeting", "year", 1).light == lights.DONE
    assert find(m, tree.branch2, "branch.life_meeting", "year", 1).light == lights.OVERDUE
    assert find(m, tree.group1, "group.group_meeting", "month", 12).light == lights.DONE
    # A group's group meeting is not credited to its branch's obligations.
    assert find(m, tree.branch1, "branch.members_meeting", "quarter", 4).held == 0


_revise = store.revise


def test_a_version_change_mid_year_judges_each_period_by_the_version_in_force(tree):
    _revise("branch.members_meeting", date(2025, 7, 1), period="month")
    m = compute()
    b = tree.branch1
    assert find(m, b, "branch.members_meeting", "quarter", 2).required == 1
    assert find(m, b, "branch.members_meeting", "quarter", 3) is None
    assert find(m, b, "branch.members_meeting", "month", 6) is None
    assert find(m, b, "branch.members_meeting", "month", 7).required == 1
    assert sum(1 for i in m.items if i.org_id == b.pk and m.rules[i.rule_id].code == "branch.members_meeting") == 2 + 6


def test_a_revision_dated_mid_period_applies_from_the_next_period(tree):
    v2 = _revise("branch.theme_day", date(2025, 8, 15), required_count=2)
    m = compute()
    aug = find(m, tree.branch1, "branch.theme_day", "month", 8)
    sep = find(m, tree.branch1, "branch.theme_day", "month", 9)
    assert aug.rule_id != v2.pk and aug.required == 1
    assert sep.rule_id == v2.pk and sep.required == 2
    meeting(tree.branch1, "theme_day", at(2025, 9, 5))
    sep = find(compute(), tree.branch1, "branch.theme_day", "month", 9)
    assert (sep.held, sep.missing, sep.light) == (1, 1, lights.OVERDUE)


def test_a_switched_off_local_rule_owes_nothing_from_its_date(tree):
    _revise("branch.lecture", date(2025, 7, 1), active=False)
    m = compute()
    assert find(m, tree.branch1, "branch.lecture", "quarter", 2).required == 1
    assert find(m, tree.branch1, "branch.lecture", "quarter", 3) is None


def test_a_local_rule_added_for_committees(tree):
    rule = store.add(
        "local.committee.central_group_study",
        date(2025, 4, 1),
        title="理论学习中心组每季度学习",
        org_kind="committee",
        meeting_kind="central_group_study",
        period="quarter",
        citation="本单位规定",
        confidence="L",
    )
    assert rule.is_local
    meeting(tree.root, "central_group_study", at(2025, 5, 8))
    m = compute()
    assert find(m, tree.root, rule.code, "quarter", 1) is None
    assert find(m, tree.root, rule.code, "quarter", 2).light == lights.DONE
    assert find(m, tree.root, rule.code, "quarter", 3).light == lights.OVERDUE
    assert codes_of(m, tree.general) == set()


def test_a_local_rule_only_where_groups_exist(tree):
    store.add(
        "local.branch.group_leaders",
        date(2018, 1, 1),
        title="党小组组长会每季度",
        org_kind="branch",
        condition="has_groups",
        meeting_kind="other",
        period="quarter",
        citation="本单位规定",
        confidence="L",
    )
    late_group = Organization.objects.add_child(
        tree.branch2, dict(kind="group", code="T0121", name="二支部小组", founded_on=date(2025, 5, 1))
    )
    m = compute()
    assert find(m, tree.branch1, "local.branch.group_leaders", "quarter", 1).required == 1
    assert find(m, tree.branch2, "local.branch.group_leaders", "quarter", 1) is None
    assert find(m, tree.branch2, "local.branch.group_leaders", "quarter", 2).light == lights.NOT_OWED
    assert find(m, tree.branch2, "local.branch.group_leaders", "quarter", 3).required == 1
    assert late_group.pk


@pytest.mark.parametrize(
    "today",
    [date(2025, 1, 1), date(2025, 3, 24), date(2025, 3, 25), date(2025, 3, 31), date(2025, 6, 30), date(2025, 12, 31)],
)
def test_sql_lights_match_the_python_specification(tree_with_committee, today):
    t = tree_with_committee
    meeting(t.branch1, "theme_day", at(2025, 3, 5))
    meeting(t.branch1, "members_meeting", at(2025, 3, 31, 23))
    meeting(t.branch2, "lecture", at(2025, 6, 30))
    m = compute(today=today)
    assert m.items
    for i in m.items:
        expected = lights.light_for(
            required=i.required, valid=i.valid, start=i.period.start, end=i.period.end, today=today, soon_days=7
        )
        assert i.light == expected, (i, today)


def test_the_matrix_is_three_queries_whatever_the_tree(tree_with_committee, django_assert_num_queries):
    t = tree_with_committee
    with django_assert_num_queries(3):
        small = compute()
    for n in range(5):
        b = Organization.objects.add_child(
            t.general, dict(kind="branch", code=f"X{n}", name=f"加{n}", founded_on=date(2000, 1, 1))
        )
        committee(b, date(2020, 1, 1))
        meeting(b, "committee_meeting", at(2025, 4, 3))
        g = Organization.objects.add_child(
            b, dict(kind="group", code=f"X{n}G", name=f"加{n}组", founded_on=date(2000, 1, 1))
        )
        meeting(g, "life_meeting", at(2025, 11, 3))
    with django_assert_num_queries(3):
        big = compute()
    assert len(big.items) > len(small.items)


def test_scope_restricts_the_matrix_to_the_given_organisations(tree):
    m = compute(orgs=Organization.objects.subtree(tree.branch1))
    assert {i.org_id for i in m.items} == {tree.branch1.pk, tree.group1.pk}


def test_no_organisations_is_an_empty_matrix(tree):
    assert compute(orgs=Organization.objects.none()).items == []
    assert compute(orgs=Organization.objects.filter(pk__in=[])).items == []


def test_org_totals_count_the_matrix_items_per_organisation(tree_with_committee):
    """The per-organisation counts the compliance fact reads equal a count over ``compute``'s items."""
    tree = tree_with_committee
    voters = _voters(tree.branch1, 4)
    roster(meeting(tree.branch1, "committee_meeting", at(2025, 2, 10)), voters, present=1)  # quorum fails
    roster(meeting(tree.branch1, "members_meeting", at(2025, 5, 10)), voters, present=1)  # held: no vote
    meeting(tree.branch1, "theme_day", at(2025, 3, 10))
    meeting(tree.group1, "life_meeting", at(2025, 6, 10))
    for today in (LATE_2025, date(2025, 7, 1)):  # a finished year and one still running (not yet due)
        matrix = compute(today=today)
        expected = {}
        for i in matrix.items:
            if i.light in (lights.DONE, lights.OVERDUE):
                due, met, failed = expected.get(i.org_id, (0, 0, 0))
                expected[i.org_id] = (due + 1, met + (i.light == lights.DONE), failed + i.quorum_failed)
        totals = engine.org_totals(Organization.objects.all(), [2025], today)
        assert {k: v for k, v in totals.items() if v[0]} == expected
        assert expected[tree.branch1.pk][2] == 1 and expected[tree.branch1.pk][1] >= 2
    assert engine.org_totals(Organization.objects.filter(pk__in=[]), [2025], LATE_2025) == {}
    if connection.vendor == "postgresql":  # the planner setting org_totals turns off is back on afterwards
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('enable_nestloop')")
            assert cursor.fetchone() == ("on",)
