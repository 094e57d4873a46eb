"""Who owes what (issue 12 §3): a secretary-only branch owes no 支委会; 民主评议党员 is owed once a year."""

from __future__ import annotations

from datetime import date

import pytest

from dangjian.appraisal.models import Appraisal, AppraisalStatus
from dangjian.compliance import engine, lights
from dangjian.orgs import services as org_services
from dangjian.orgs.models import CommitteeTerm, Organization
from dangjian.testing import make_member, make_user

pytestmark = pytest.mark.django_db

LATE_2025 = date(2026, 2, 15)  # every 2025 period is over


def items(org, code, *, year=2025, today=LATE_2025):
    m = engine.compute(Organization.objects.filter(pk=org.pk), [year], today)
    return [i for i in m.items if m.rules[i.rule_id].code == code]


def term(org, elected_on: date, *, has_committee: bool) -> CommitteeTerm:
    return CommitteeTerm.objects.create(
        organization=org,
        elected_on=elected_on,
        ends_on=elected_on.replace(year=elected_on.year + 3),
        has_committee=has_committee,
    )


# --- 支委会: only where a committee was elected -------------------------------------------------------------


def test_a_two_member_branch_with_a_secretary_only_owes_no_committee_meeting(tree):
    """机关基层组织工作条例 2019 第7条 (支部工作条例 2018 第4条): "党员人数不足7人的，不设支部委员会，设书记1名，必要时
    可以设副书记1名". Recording its secretary (and deputy) is no committee: no 支委会 owed, none of the 12 overdue."""
    office = make_user("office", "office", tree.root)
    secretary, deputy = make_member(tree.branch2, "书记"), make_member(tree.branch2, "副书记")
    t = org_services.record_term(
        office, tree.branch2.pk, date(2024, 1, 1), [(secretary.pk, "secretary"), (deputy.pk, "deputy_secretary")]
    )
    assert t.has_committee is False  # read from the posts: secretary and deputy only, two people
    assert items(tree.branch2, "branch.committee_meeting") == []
    # the other obligations stay owed
    assert len(items(tree.branch2, "branch.theme_day")) == 12


def test_a_committee_term_owes_twelve_committee_meetings(tree):
    """The edge on the other side: an elected committee (组织委员 besides the secretary) owes 支委会 monthly (支部工作
    条例 第12条)."""
    office = make_user("office", "office", tree.root)
    a, b = make_member(tree.branch2, "书记"), make_member(tree.branch2, "组织委员")
    t = org_services.record_term(office, tree.branch2.pk, date(2024, 1, 1), [(a.pk, "secretary"), (b.pk, "organizer")])
    assert t.has_committee is True
    owed = items(tree.branch2, "branch.committee_meeting")
    assert len(owed) == 12 and {i.light for i in owed} == {lights.OVERDUE}


def test_three_people_are_a_committee_even_with_only_secretary_posts():
    """ "支部委员会由3至5人组成" (机关条例 第7条): three people make a committee; two do not."""
    from dangjian.orgs.models import forms_committee

    assert forms_committee([(1, "secretary"), (2, "deputy_secretary"), (3, "deputy_secretary")])
    assert not forms_committee([(1, "secretary"), (2, "deputy_secretary")])
    assert forms_committee([(1, "secretary"), (2, "publicity")])


def test_a_secretary_only_term_refuses_committee_posts_and_other_kinds(tree):
    office = make_user("office", "office", tree.root)
    a, b = make_member(tree.branch2, "书记"), make_member(tree.branch2, "组织委员")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="只设书记和副书记"):
        org_services.record_term(
            office, tree.branch2.pk, date(2024, 1, 1), [(a.pk, "secretary"), (b.pk, "organizer")], has_committee=False
        )
    with pytest.raises(ValidationError, match="只有党支部可以不设委员会"):
        org_services.record_term(office, tree.general.pk, date(2024, 1, 1), [(a.pk, "secretary")], has_committee=False)


def test_a_branch_turning_secretary_only_mid_month_owes_no_committee_meeting_from_that_month(tree):
    """A committee elected in 2020, then a secretary-only term from 2025-06-15 (the branch shrank below 7): January to
    May owed, June (the committee ended during it) and after not owed; a re-election mid-period leaves no gap."""
    term(tree.branch1, date(2020, 1, 1), has_committee=True)
    term(tree.branch1, date(2023, 1, 1), has_committee=True)  # re-elected: still a committee without a gap
    term(tree.branch1, date(2025, 6, 15), has_committee=False)
    by_month = {i.period.index: i for i in items(tree.branch1, "branch.committee_meeting")}
    assert [m for m, i in sorted(by_month.items()) if i.required] == [1, 2, 3, 4, 5]
    assert by_month[6].light == lights.NOT_OWED
    assert set(by_month) == {1, 2, 3, 4, 5, 6}  # July on: not listed at all


def test_the_form_refuses_committee_posts_for_a_secretary_only_branch(tree):
    from dangjian.orgs.forms import TermForm
    from dangjian.people.models import Person

    a, b = make_member(tree.branch2, "书记"), make_member(tree.branch2, "组织委员")
    members = Person.objects.filter(pk__in=[a.pk, b.pk])
    data = {"elected_on": "2024-01-01", "form": TermForm.SECRETARY_ONLY, "secretary": a.pk, "organizer": b.pk}
    form = TermForm(data, members=members)
    assert not form.is_valid()
    assert "组织委员" in str(form.non_field_errors())
    form = TermForm({**data, "organizer": ""}, members=members)
    assert form.is_valid() and form.has_committee() is False


def test_the_migration_reads_existing_terms_from_their_posts(tree):
    """orgs 0003: secretary and deputy only (two people) → secretary-only; an 组织委员 → committee; no posts → kept."""
    import importlib

    from django.apps import apps

    from dangjian.orgs.models import CommitteePost

    migration = importlib.import_module("dangjian.orgs.migrations.0003_term_has_committee")
    a, b = make_member(tree.branch1, "甲"), make_member(tree.branch1, "乙")
    only = term(tree.branch1, date(2020, 1, 1), has_committee=True)
    CommitteePost.objects.create(term=only, person=a, post="secretary")
    CommitteePost.objects.create(term=only, person=b, post="deputy_secretary")
    full = term(tree.branch2, date(2020, 1, 1), has_committee=True)
    CommitteePost.objects.create(term=full, person=a, post="secretary")
    CommitteePost.objects.create(term=full, person=b, post="organizer")
    bare = term(tree.general, date(2020, 1, 1), has_committee=True)
    migration.from_posts(apps, None)
    assert CommitteeTerm.objects.get(pk=only.pk).has_committee is False
    assert CommitteeTerm.objects.get(pk=full.pk).has_committee is True
    assert CommitteeTerm.objects.get(pk=bare.pk).has_committee is True


# --- 民主评议党员: owed once a year ------------------------------------------------------------------------


def appraisal(org, year: int, status: str) -> Appraisal:
    user = make_user(f"u{org.pk}{year}{status}")
    return Appraisal.objects.create(organization=org, year=year, status=status, created_by=user)


def test_the_yearly_appraisal_is_owed_by_every_branch_with_its_article(tree):
    """党员教育管理工作条例 2019 第18条: "党支部一般每年开展1次民主评议党员". Owed by branches only, once a year."""
    (item,) = items(tree.branch1, "branch.appraisal")
    m = engine.compute(Organization.objects.filter(pk=tree.branch1.pk), [2025], LATE_2025)
    rule = m.rules[item.rule_id]
    assert rule.citation.endswith("第18条") and "党员教育管理工作条例" in rule.citation
    assert rule.confidence == "P" and rule.get_meeting_kind_display() == "民主评议党员"
    assert item.required == 1 and item.light == lights.OVERDUE
    assert m.message(item) == "2025年度民主评议党员未开展，已逾期46天"
    assert items(tree.general, "branch.appraisal") == [] and items(tree.group1, "branch.appraisal") == []


def test_the_appraisal_is_due_soon_in_the_last_days_and_late_after_the_year(tree):
    """Due soon from 7 days before 31 December (the due-soon setting), overdue from 1 January of the next year."""
    assert items(tree.branch1, "branch.appraisal", today=date(2025, 12, 23))[0].light == lights.NOT_DUE
    assert items(tree.branch1, "branch.appraisal", today=date(2025, 12, 24))[0].light == lights.DUE_SOON
    assert items(tree.branch1, "branch.appraisal", today=date(2025, 12, 31))[0].light == lights.DUE_SOON
    assert items(tree.branch1, "branch.appraisal", today=date(2026, 1, 1))[0].light == lights.OVERDUE


def test_only_a_confirmed_appraisal_of_that_year_meets_it(tree):
    """An appraisal still at the proposed grades does not meet the year; the confirmed one does, for its own year."""
    appraisal(tree.branch1, 2025, AppraisalStatus.PROPOSED)
    appraisal(tree.branch1, 2024, AppraisalStatus.CONFIRMED)
    (item,) = items(tree.branch1, "branch.appraisal")
    assert item.light == lights.OVERDUE and item.held == 0
    Appraisal.objects.filter(organization=tree.branch1, year=2025).update(status=AppraisalStatus.CONFIRMED)
    (item,) = items(tree.branch1, "branch.appraisal")
    assert item.light == lights.DONE and item.held == 1
    (earlier,) = items(tree.branch1, "branch.appraisal", year=2024)
    assert earlier.light == lights.DONE
    assert items(tree.branch2, "branch.appraisal")[0].light == lights.OVERDUE  # another branch's stays owed


def test_the_appraisal_is_first_owed_for_2020(tree):
    """The 条例 took effect on 2019-05-06; a year is judged by the rule in force on its first day: 2020 is the first."""
    assert items(tree.branch1, "branch.appraisal", year=2019) == []
    assert len(items(tree.branch1, "branch.appraisal", year=2020)) == 1
