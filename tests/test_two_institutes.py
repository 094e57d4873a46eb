"""A group of two institutes: each institute's office (assigned at its institute, with the subtree) holds the
office's powers over its own institute only; the group's office (assigned at the group's root) over both."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.scope import WHOLE_TREE, can
from dangjian.core import context
from dangjian.dues.models import DuesRelief
from dangjian.dues.services import can_decide
from dangjian.meetings.models import Meeting
from dangjian.orgs.models import CommitteePost, CommitteeTerm, Department, Organization
from dangjian.people.id_taken import DELETED, NOT_REGISTRABLE, id_number_taken
from dangjian.people.models import Person
from dangjian.talks.models import ContactPoint
from dangjian.talks.services import assign_contact_point, leaders
from dangjian.testing import make_member, make_person, make_user

pytestmark = pytest.mark.django_db


class Group:
    def __init__(self):
        org = Organization.objects
        founded = date(2000, 1, 1)
        self.root = org.add_root(dict(kind="committee", code="G0", name="集团党组", founded_on=founded))
        self.inst_a = org.add_child(self.root, dict(kind="committee", code="GA", name="甲所党委", founded_on=founded))
        self.inst_b = org.add_child(self.root, dict(kind="committee", code="GB", name="乙所党委", founded_on=founded))
        self.root.refresh_from_db()
        self.inst_a.refresh_from_db()
        self.branch_a = org.add_child(
            self.inst_a, dict(kind="branch", code="GA1", name="甲所一支部", founded_on=founded)
        )
        self.inst_b.refresh_from_db()
        self.branch_b = org.add_child(
            self.inst_b, dict(kind="branch", code="GB1", name="乙所一支部", founded_on=founded)
        )
        for node in (self.root, self.inst_a, self.inst_b, self.branch_a, self.branch_b):
            node.refresh_from_db()
        self.dept_a = Department.objects.add_root(dict(code="DA", name="甲所", kind="institute"))
        self.dept_b = Department.objects.add_root(dict(code="DB", name="乙所", kind="institute"))
        self.branch_a.departments.add(self.dept_a)
        self.branch_b.departments.add(self.dept_b)
        self.person_a = make_member(self.branch_a, "甲所党员", department=self.dept_a)
        self.person_b = make_member(self.branch_b, "乙所党员", department=self.dept_b)
        self.office_a = make_user("office_a", "office", self.inst_a)
        self.office_b = make_user("office_b", "office", self.inst_b)
        self.group_office = make_user("group_office", "office", self.root)


@pytest.fixture
def group():
    return Group()


def _meeting(org: Organization) -> Meeting:
    start = timezone.now()
    return Meeting.objects.create(
        organization=org,
        kind="members_meeting",
        title=f"{org.name}党员大会",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )


def test_each_institute_office_sees_its_own_institute_and_the_group_office_both(group):
    g = group
    assert set(Person.objects.visible_to(g.office_a)) == {g.person_a}
    assert set(Person.objects.visible_to(g.office_b)) == {g.person_b}
    assert set(Person.objects.visible_to(g.group_office)) == {g.person_a, g.person_b}
    meetings = {_meeting(g.branch_a), _meeting(g.branch_b)}
    assert {m.organization for m in Meeting.objects.visible_to(g.office_a)} == {g.branch_a}
    assert set(Meeting.objects.visible_to(g.group_office)) == meetings


def test_the_other_institutes_objects_are_404(client, group):
    g = group
    meeting_a, meeting_b = _meeting(g.branch_a), _meeting(g.branch_b)
    client.force_login(g.office_a)
    assert client.get(reverse("people:detail", args=[g.person_a.pk])).status_code == 200
    assert client.get(reverse("people:detail", args=[g.person_b.pk])).status_code == 404
    assert client.get(reverse("people:edit", args=[g.person_b.pk])).status_code == 404
    assert client.get(reverse("meetings:detail", args=[meeting_a.pk])).status_code == 200
    assert client.get(reverse("meetings:detail", args=[meeting_b.pk])).status_code == 404
    assert client.get(reverse("orgs:detail", args=[g.inst_b.pk])).status_code == 404
    listed = client.get(reverse("people:list")).content.decode()
    assert "甲所党员" in listed and "乙所党员" not in listed
    client.force_login(g.group_office)
    assert client.get(reverse("people:detail", args=[g.person_b.pk])).status_code == 200
    assert client.get(reverse("meetings:detail", args=[meeting_b.pk])).status_code == 200


def test_rules_are_edited_over_the_own_subtree_and_the_group_wide_rules_by_the_group_office(client, group):
    g = group
    assert can(g.office_a, "rules.edit", g.inst_a) and can(g.office_a, "rules.edit", g.branch_a)
    assert not can(g.office_a, "rules.edit", g.inst_b)
    assert not can(g.office_a, "rules.edit", WHOLE_TREE)
    assert can(g.group_office, "rules.edit", WHOLE_TREE) and can(g.group_office, "rules.edit", g.inst_b)
    # The compliance rule table binds every organisation of the group: only the group's office edits it.
    url = reverse("compliance:obligation_edit", args=["branch.lecture"])
    client.force_login(g.office_a)
    assert client.get(url).status_code == 404
    client.force_login(g.group_office)
    assert client.get(url).status_code == 200


def test_development_override_covers_the_own_institute_only(group):
    from dangjian.development.models import Development
    from dangjian.development.services import OVERRIDE, open_case

    g = group
    cases = {}
    for office, branch, name, dept in (
        (g.office_a, g.branch_a, "申请甲", g.dept_a),
        (g.office_b, g.branch_b, "申请乙", g.dept_b),
    ):
        with context.acting(office):
            cases[branch] = open_case(office, make_person(name, department=dept).pk, branch.pk, date(2026, 1, 5))
    assert can(g.office_a, OVERRIDE, cases[g.branch_a]) and not can(g.office_a, OVERRIDE, cases[g.branch_b])
    assert all(can(g.group_office, OVERRIDE, c) for c in cases.values())
    assert set(Development.objects.visible_to(g.office_a)) == {cases[g.branch_a]}


def test_contact_points_are_assigned_inside_the_own_institute(group):
    g = group
    # a leader is a sitting member of the institute's 党委 (talks.services.leaders), offered to its own office only
    leader = make_member(g.branch_a, "领导甲", department=g.dept_a)
    leader_b = make_member(g.branch_b, "领导乙", department=g.dept_b)
    for inst, person in ((g.inst_a, leader), (g.inst_b, leader_b)):
        term = CommitteeTerm.objects.create(organization=inst, elected_on=date(2024, 1, 1), ends_on=date(2029, 1, 1))
        CommitteePost.objects.create(term=term, person=person, post="secretary")
    assert list(leaders(g.office_a)) == [leader]
    data = {"leader": leader, "since": date(2026, 1, 1), "until": None}
    with context.acting(g.office_a):
        point = assign_contact_point(g.office_a, {**data, "organization": g.branch_a})
        with pytest.raises(ValidationError):
            assign_contact_point(g.office_a, {**data, "organization": g.branch_b})
    assert ContactPoint.objects.filter(pk=point.pk).exists()
    assert not ContactPoint.objects.filter(organization=g.branch_b).exists()


def test_the_contact_point_form_offers_the_own_institutes_branches_and_the_rates_only_the_group_office(client, group):
    g = group
    client.force_login(g.office_a)
    page = client.get(reverse("life:contact_point_create")).content.decode()
    assert "甲所一支部" in page and "乙所一支部" not in page
    # Study-hour rates count for every organisation of the group.
    assert client.get(reverse("life:hour_rates")).status_code == 404
    client.force_login(g.group_office)
    page = client.get(reverse("life:contact_point_create")).content.decode()
    assert "甲所一支部" in page and "乙所一支部" in page
    assert client.get(reverse("life:hour_rates")).status_code == 200


def test_dues_relief_is_decided_by_the_office_of_the_branchs_institute(group):
    g = group
    requester = make_user("sec_a", "secretary", g.branch_a)
    relief = DuesRelief(branch=g.branch_a, requested_by=requester)
    assert can_decide(g.office_a, relief)
    assert not can_decide(g.office_b, relief)
    assert can_decide(g.group_office, relief)
    assert not can_decide(requester, relief)  # the branch asking is not the level above it


def test_a_deleted_person_is_named_as_such_only_to_the_group_office(group):
    g = group
    gone = make_person("已删除", department=g.dept_a)
    Person.all_objects.filter(pk=gone.pk).update(deleted_at=timezone.now())
    assert id_number_taken(g.office_a, gone.id_number) == str(NOT_REGISTRABLE)
    assert id_number_taken(g.group_office, gone.id_number) == str(DELETED)


def test_an_institute_office_cannot_reach_the_other_institute_through_a_service(group):
    from dangjian.core.scoping import recheck

    g = group
    with pytest.raises(Http404):
        recheck(Person.objects.all(), g.office_a, "people.change", g.person_b.pk)
    assert recheck(Person.objects.all(), g.office_b, "people.change", g.person_b.pk) == g.person_b
