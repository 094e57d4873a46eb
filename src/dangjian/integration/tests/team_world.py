"""A small world for the taskforce and pledge tests: the tree, the root's office, branch1's secretary (a member
of branch1), and a key task of branch1."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dangjian.integration.models import Project
from dangjian.testing import Tree, make_member, make_tree, make_user


@dataclass
class World:
    t: Tree
    office: object
    sec1: object
    sec2: object
    p1: object
    p2: object
    project: Project


def build() -> World:
    t = make_tree()
    p1 = make_member(t.branch1, "甲一", department=t.dept1)
    p2 = make_member(t.branch2, "乙二", department=t.dept2)
    office = make_user("office", "office", t.root)
    sec1 = make_user("sec1", "secretary", t.branch1, person=p1)
    sec2 = make_user("sec2", "secretary", t.branch2, person=p2)
    project = Project.objects.create(
        code="K-001",
        name="高精度电学计量标准研制",
        organization=t.branch1,
        starts_on=date(2025, 1, 1),
        ends_on=date(2026, 6, 30),
    )
    return World(t, office, sec1, sec2, p1, p2, project)
