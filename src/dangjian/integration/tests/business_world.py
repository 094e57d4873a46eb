"""The people and records the business tests share: the tree, an office on the root, sec1 on branch1, sec2 on
branch2, a member of branch1, two lines with stages and a key task of branch1."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dangjian.accounts.models import User
from dangjian.core import context
from dangjian.integration import business as services
from dangjian.integration.models import BusinessLine, ProcessStage, Project
from dangjian.people.models import Person
from dangjian.testing import Tree, make_member, make_tree, make_user


@dataclass
class World:
    t: Tree
    office: User
    sec1: User
    sec2: User
    member: User
    p1: Person
    p2: Person
    p3: Person
    line: BusinessLine
    stage: ProcessStage
    project: Project


def make_world() -> World:
    t = make_tree()
    p1 = make_member(t.branch1, "甲一", department=t.dept1, employee_no="E001")
    p2 = make_member(t.branch2, "乙二", department=t.dept2)
    p3 = make_member(t.branch1, "丙三", department=t.dept1)
    office = make_user("office", "office", t.root)
    sec1 = make_user("sec1", "secretary", t.branch1, person=p1)
    sec2 = make_user("sec2", "secretary", t.branch2, person=p2)
    member = make_user("member3", "member", person=p3)
    with context.acting(office):
        line = services.save_line(office, {"organization": t.root, "code": "L1", "name": "测试仪器研制", "order": 1})
        stage = services.save_stage(office, line.pk, {"name": "方案", "order": 1})
        services.save_stage(office, line.pk, {"name": "实施", "order": 2})
        services.save_line(office, {"organization": t.root, "code": "L2", "name": "计量校准服务", "order": 2})
        project = services.save_project(
            office,
            {
                "code": "KY-001",
                "name": "高精度装置研制",
                "kind": "research",
                "key": True,
                "line": line,
                "stage": stage,
                "department": t.dept1,
                "leader": p1,
                "organization": t.branch1,
                "status": "active",
                "starts_on": date(2026, 1, 1),
                "ends_on": date(2026, 12, 31),
            },
        )
    return World(t, office, sec1, sec2, member, p1, p2, p3, line, stage, project)


def project_data(w: World, **over) -> dict:
    data = {
        "code": "KY-NEW",
        "name": "新任务",
        "kind": "production",
        "key": True,
        "line": w.line,
        "stage": None,
        "department": w.t.dept1,
        "leader": None,
        "organization": w.t.branch1,
        "status": "planned",
        "starts_on": date(2026, 3, 1),
        "ends_on": None,
        "description": "",
    }
    data.update(over)
    return data
