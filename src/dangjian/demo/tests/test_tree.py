from __future__ import annotations

import pytest
from django.db.models import Count, Q

from dangjian.audit.models import AuditEvent
from dangjian.demo import flagship
from dangjian.demo.spec import FIXED_DATE
from dangjian.orgs.models import CommitteeTerm, Department, Organization
from dangjian.orgs.rules import structural_warnings
from dangjian.people.models import Membership

pytestmark = pytest.mark.django_db


def test_trees_are_valid_materialised_paths(demo_counts):
    assert Organization.objects.find_problems() == ([], [], [], [], [])
    assert Department.objects.find_problems() == ([], [], [], [], [])


def test_root_is_the_institute_committee(demo_counts):
    root = Organization.objects.get(depth=1)
    assert (root.name, root.kind) == ("星河无线电计量测试研究所党委", "committee")
    assert Department.objects.get(depth=1).name == flagship.NAME
    assert list(root.departments.values_list("name", flat=True)) == [flagship.NAME]


def test_general_branches_and_their_branches(demo_counts):
    generals = Organization.objects.filter(kind="general_branch")
    assert generals.count() == 6
    children = {g.name: Organization.objects.children_of(g).filter(kind="branch").count() for g in generals}
    assert children["电磁兼容测试中心党总支"] == 3
    assert children["仪器研制中心党总支"] == 4
    assert children["离退休党总支"] >= 3


def test_about_sixty_branches_with_joint_branches_and_groups(demo_counts):
    branches = Organization.objects.filter(kind="branch")
    assert 55 <= branches.count() <= 65
    assert branches.filter(joint=True).count() >= 5
    assert Organization.objects.filter(kind="group").exists()
    assert not branches.annotate(n=Count("departments")).filter(n=0).exists()  # every branch covers a unit


def test_every_person_with_a_unit_is_covered_by_an_organisation(demo_counts):
    covered = Department.objects.filter(organizations__isnull=False)
    from dangjian.people.models import Person

    assert not Person.objects.exclude(department__in=covered).exists()


def _warnings(org: Organization) -> set[str]:
    counts = (
        Membership.objects.current()
        .filter(organization=org)
        .aggregate(full=Count("id", filter=Q(status="full")), total=Count("id"))
    )
    term = CommitteeTerm.objects.filter(organization=org).order_by("-elected_on").first()
    found = structural_warnings(
        kind=org.kind,
        full_members=counts["full"],
        total_members=counts["total"],
        has_committee=term is not None,
        term_ends_on=term.ends_on if term else None,
        today=FIXED_DATE,
    )
    return {w.code for w in found}


def test_planted_problems_show_as_structural_warnings(demo_counts):
    by_name = {o.name: _warnings(o) for o in Organization.objects.exclude(kind="group")}
    assert {n for n, w in by_name.items() if "too_few" in w} == {"标准化研究室党支部", "成都分部综合室党支部"}
    assert {n for n, w in by_name.items() if "no_committee" in w} == {"力学计量室党支部", "热工计量室党支部"}
    assert {"光学计量室党支部", "软件测评中心党支部", "电磁兼容测试中心党总支"} <= {
        n for n, w in by_name.items() if "term_expired" in w
    }
    assert not any("too_many" in w for w in by_name.values())


def test_terms_use_the_rule_table_lengths(demo_counts):
    for term in CommitteeTerm.objects.select_related("organization"):
        years = 5 if term.organization.kind == "committee" else 3
        assert term.ends_on.year - term.elected_on.year == years
        assert term.posts.filter(post="secretary").count() == 1


def test_the_whole_load_writes_one_audit_event(demo_counts):
    event = AuditEvent.objects.get(object_type="demo")
    assert event.action == "import"
    assert event.detail["scale"] == "institute"
    assert event.detail["counts"]["people"] == demo_counts["people"]
    assert AuditEvent.objects.count() < 10  # not one per row
