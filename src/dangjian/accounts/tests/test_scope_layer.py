"""The one scoped queryset and ``can``: organisation-declared and person-declared models, the two meanings of "a
person in scope", object permissions, and the shape of the SQL a narrow scope produces."""

from __future__ import annotations

import ast
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangjian.accounts.models import RoleAssignment
from dangjian.accounts.scope import (
    WHOLE_TREE,
    Reach,
    ScopedBy,
    can,
    can_at_path,
    scope_for,
    scoped_models,
)
from dangjian.care.models import CareEvent
from dangjian.core.tree_paths import after_subtree, subtree_q
from dangjian.dues.models import DuesAccount
from dangjian.meetings.models import Attendance, Meeting
from dangjian.orgs.models import Department, Organization
from dangjian.people.models import Membership, Person
from dangjian.testing import make_member, make_person, make_tree, make_user

pytestmark = pytest.mark.django_db
SRC = Path(__file__).resolve().parents[2]


@pytest.fixture
def world():
    t = make_tree()
    p1 = make_member(t.branch1, "甲一", department=t.dept1)
    p2 = make_member(t.branch2, "乙二", department=t.dept2)
    staff1 = make_person("职工丙", department=t.dept1)  # an employee of dept1, no party member
    return t, p1, p2, staff1


def _meeting(org: Organization, title: str) -> Meeting:
    start = timezone.now()
    return Meeting.objects.create(
        organization=org, kind="members_meeting", title=title, starts_at=start, ends_at=start + timedelta(hours=1)
    )


# --- Declarations ------------------------------------------------------------------------------------------------


def test_a_declaration_names_its_organisation_or_its_person_and_reach():
    with pytest.raises(ValueError):
        ScopedBy("x.view")
    with pytest.raises(ValueError):
        ScopedBy("x.view", person="person")  # a person's record says what "in scope" means
    assert ScopedBy("x.view", person="person", reach=Reach.CURRENT_MEMBERS).owners == ("person",)


def test_every_model_with_visible_to_declares_its_scope():
    """No hand-written ``visible_to`` is left: every model whose manager offers it declares ``scoped_by``."""
    from django.apps import apps

    offering = {m for m in apps.get_models() if hasattr(m._default_manager, "visible_to")}
    assert offering == set(scoped_models())
    assert {Person, Membership, Meeting, Organization, Department, DuesAccount, CareEvent} <= offering
    for model in scoped_models():
        assert scope_for.__module__ == type(model._default_manager.all()).visible_to.__module__, model


# --- Organisation-declared ---------------------------------------------------------------------------------------


def test_an_organisation_declared_model_follows_the_subtree_the_exact_organisation_and_the_own_person(world):
    t, p1, p2, staff1 = world
    m1, m2, mg = _meeting(t.branch1, "一支部会"), _meeting(t.branch2, "二支部会"), _meeting(t.general, "总支会")
    Attendance.objects.create(meeting=m2, person=p1)  # p1 is expected at branch2's meeting as well
    sec1 = make_user("sec1", "secretary", t.branch1, person=p1)
    general_only = make_user("gen", "secretary", t.general, subtree=False)
    member = make_user("mem", "member", person=p2)
    office = make_user("office", "office", t.root)
    assert set(Meeting.objects.visible_to(sec1)) == {m1}
    assert set(Meeting.objects.visible_to(general_only)) == {mg}  # the organisation alone, not its branches
    assert set(Meeting.objects.visible_to(member)) == set()  # p2 is expected nowhere
    Attendance.objects.create(meeting=m1, person=p2)
    member = type(member).objects.get(pk=member.pk)
    assert set(Meeting.objects.visible_to(member)) == {m1}  # the meeting they are expected at
    assert set(Meeting.objects.visible_to(office)) == {m1, m2, mg}
    # A secretary who is also a member: their branch's meetings and the one they attend elsewhere, each once.
    RoleAssignment.objects.create(user=sec1, role="member")
    sec1 = type(sec1).objects.get(pk=sec1.pk)
    assert sorted(m.pk for m in Meeting.objects.visible_to(sec1)) == sorted([m1.pk, m2.pk])


def test_a_model_with_two_organisations_is_seen_from_either_side(world):
    from dangjian.transfers.models import Transfer

    t, p1, p2, staff1 = world
    sec1 = make_user("sec1", "secretary", t.branch1)
    sec2 = make_user("sec2", "secretary", t.branch2)
    outsider = make_user("outsider", "secretary", t.office_branch)
    transfer = Transfer.objects.create(
        direction="inside",
        status="requested",
        person=p1,
        name=p1.name,
        id_number=p1.id_number,
        member_status="full",
        from_org=t.branch1,
        from_name=t.branch1.name,
        to_org=t.branch2,
        to_name=t.branch2.name,
        reason="工作调动",
        requested_on=date(2026, 1, 5),
        created_by=sec1,
    )
    assert list(Transfer.objects.visible_to(sec1)) == [transfer]
    assert list(Transfer.objects.visible_to(sec2)) == [transfer]
    assert list(Transfer.objects.visible_to(outsider)) == []


def test_departments_are_those_the_branches_in_scope_cover(world):
    t, p1, p2, staff1 = world
    sec1 = make_user("sec1", "secretary", t.branch1)
    assert list(Department.objects.visible_to(sec1)) == [t.dept1]
    assert set(Department.objects.visible_to(make_user("office", "office", t.root))) == set(Department.objects.all())


# --- Person-declared: the two meanings of "a person in scope" ----------------------------------------------------


def test_care_reaches_members_and_the_staff_of_covered_departments(world):
    t, p1, p2, staff1 = world
    sec1 = make_user("sec1", "secretary", t.branch1)
    events = {
        p: CareEvent.objects.create(person=p, kind="marriage", occurred_on=date(2026, 1, 1), recorded_by=sec1)
        for p in (p1, p2, staff1)
    }
    assert set(Person.objects.visible_to(sec1)) == {p1, staff1}
    assert set(CareEvent.objects.visible_to(sec1)) == {events[p1], events[staff1]}
    assert set(CareEvent.objects.visible_to(make_user("sec2", "secretary", t.branch2))) == {events[p2]}


def test_dues_reach_current_members_only(world):
    t, p1, p2, staff1 = world
    sec1 = make_user("sec1", "secretary", t.branch1)
    mover = make_member(t.branch1, "调出丁", department=t.dept1)
    accounts = {p: DuesAccount.objects.create(person=p) for p in (p1, p2, staff1, mover)}
    Membership.objects.filter(person=mover).update(ended_on=date(2026, 1, 31))
    # The non-member employee of dept1 is in care's scope but pays no dues; a member who left pays elsewhere.
    assert set(DuesAccount.objects.visible_to(sec1)) == {accounts[p1]}
    member = make_user("mem", "member", person=p2)
    assert set(DuesAccount.objects.visible_to(member)) == {accounts[p2]}


def test_no_scope_sees_nothing(world):
    t, p1, p2, staff1 = world
    nobody = make_user("nobody")
    for model in scoped_models():
        assert not model._default_manager.visible_to(nobody).exists(), model


# --- The SQL of a narrow scope -----------------------------------------------------------------------------------


def test_a_narrow_scope_is_one_semi_join_over_path_ranges(world):
    """No LIKE (an index range on the path instead) and no OR of a subquery with another condition, which the
    planner cannot turn into a join (it walked all 150,000 people for a branch of 25)."""
    t, p1, p2, staff1 = world
    sec1 = make_user("sec1", "secretary", t.branch1, person=p1)
    RoleAssignment.objects.create(user=sec1, role="member")
    sec1 = type(sec1).objects.get(pk=sec1.pk)
    for qs in (
        Person.objects.visible_to(sec1),
        Meeting.objects.visible_to(sec1),
        DuesAccount.objects.visible_to(sec1),
        Membership.objects.visible_to(sec1),
    ):
        sql = str(qs.query).upper()
        assert " LIKE " not in sql, sql
        assert " OR " not in sql, sql
    with CaptureQueriesContext(connection) as queries:
        names = sorted(p.name for p in Person.objects.visible_to(sec1))
    assert names == ["甲一", "职工丙"]
    assert len(queries) == 1  # building the filter costs no query of its own


def test_the_whole_tree_adds_no_filter(world):
    t, p1, p2, staff1 = world
    office = make_user("office", "office", t.root)
    assert str(Person.objects.visible_to(office).query) == str(Person.objects.all().query)


def test_a_subtree_range_stays_inside_the_alphabet():
    assert after_subtree("0001") == "0002"
    assert after_subtree("0009") == "000A"  # not "000:", which a linguistic collation would sort elsewhere
    assert after_subtree("00AZ") == "00B"
    assert after_subtree("ZZZZ") is None
    assert str(subtree_q("ZZZZ")) == str(subtree_q("ZZZZ", "path"))


def test_the_subtree_range_matches_the_prefix(world):
    t, p1, p2, staff1 = world
    for org in Organization.objects.all():
        by_range = set(Organization.objects.subtree(org))
        by_prefix = {o for o in Organization.objects.all() if o.path.startswith(org.path)}
        assert by_range == by_prefix, org
    assert list(Organization.objects.children_of(t.general)) == [t.branch1, t.branch2]


# --- can ---------------------------------------------------------------------------------------------------------


def test_can_answers_for_organisations_rows_and_the_whole_tree(world):
    t, p1, p2, staff1 = world
    office = make_user("office", "office", t.root)
    sec1 = make_user("sec1", "secretary", t.branch1)
    general_office = make_user("goffice", "office", t.general)
    m1, m2 = _meeting(t.branch1, "一"), _meeting(t.branch2, "二")
    assert can(sec1, "meetings.change", m1) and not can(sec1, "meetings.change", m2)
    assert can(sec1, "people.change", p1) and can(sec1, "people.change", staff1) and not can(sec1, "people.change", p2)
    assert can(sec1, "orgs.change", t.group1) and not can(sec1, "orgs.change", t.general)
    # The office's powers are the office role's, over its assignment's subtree.
    assert not can(sec1, "rules.edit") and not can(sec1, "development.override", m1)
    assert can(general_office, "rules.edit", t.branch2) and not can(general_office, "rules.edit", t.office_branch)
    assert not can(general_office, "rules.edit", WHOLE_TREE)
    assert can(office, "rules.edit", WHOLE_TREE) and can(office, "life.assign", t.office_branch)
    # A relief is decided at the branch's parent: the general branch's secretary, not the branch's own.
    assert can_at_path(make_user("gsec", "secretary", t.general), "dues.relief", t.general.path)
    assert not can_at_path(sec1, "dues.relief", t.general.path)


def test_can_on_a_row_costs_no_query_when_its_organisation_is_loaded(world):
    t, p1, p2, staff1 = world
    sec1 = make_user("sec1", "secretary", t.branch1)
    scope_for(sec1, "meetings.change")
    meeting = Meeting.objects.select_related("organization").get(pk=_meeting(t.branch1, "一").pk)
    with CaptureQueriesContext(connection) as queries:
        assert can(sec1, "meetings.change", meeting)
    assert len(queries) == 0


# --- No import circle --------------------------------------------------------------------------------------------


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(("." * node.level) + node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def test_the_scope_layer_imports_no_domain_app():
    """``orgs.models`` and every scoped model import the scope layer, so the layer imports none of them (not even
    inside a function): the organisation and person models are looked up in the app registry."""
    imported = _imports(SRC / "accounts" / "scope.py") | _imports(SRC / "core" / "tree_paths.py")
    ours = {m for m in imported if m.startswith("dangjian") or m.startswith(".")}
    assert ours <= {".roles", "dangjian.core.models", "dangjian.core.tree_paths"}, ours
    assert not {m for m in _imports(SRC / "accounts" / "roles.py") if m.startswith(("dangjian", "."))}
