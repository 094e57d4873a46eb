"""A small world for the work plan's tests: the test tree, its office, two secretaries, a member, a business line
and a key task, and the committee's issued plan with one item deployed to branch1."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core import context
from dangjian.integration.models import BusinessLine, Project
from dangjian.orgs.models import Organization
from dangjian.people.models import Person
from dangjian.testing import Tree, make_member, make_tree, make_user
from dangjian.workplan import services
from dangjian.workplan.models import Deployment, PlanItem, WorkPlan


@dataclass
class World:
    t: Tree
    a: Person  # secretary of branch1
    b: Person  # member of branch1
    c: Person  # secretary of branch2
    office: User
    sec1: User
    sec2: User
    member: User
    line: BusinessLine
    task: Project
    plan: WorkPlan
    item: PlanItem
    dep: Deployment
    year: int


def make_world() -> World:
    t = make_tree()
    a = make_member(t.branch1, "甲一")
    b = make_member(t.branch1, "乙一")
    c = make_member(t.branch2, "丙二")
    office = make_user("office", "office", t.root)
    sec1 = make_user("sec1", "secretary", t.branch1, person=a)
    sec2 = make_user("sec2", "secretary", t.branch2, person=c)
    member = make_user("member_b", "member", t.branch1, person=b)
    line = BusinessLine.objects.create(organization=t.root, code="L1", name="计量校准服务")
    year = timezone.localdate().year
    task = Project.objects.create(
        code="P1", name="高精度校准装置研制", line=line, organization=t.branch1, starts_on=date(year, 1, 1)
    )
    with context.acting(office):
        plan = make_plan(office, t.root, year)
        item = services.save_item(
            office, plan.pk, {"category": "融合发展", "title": "党建引领科研攻关", "lines": [line], "projects": [task]}
        )
        services.publish_plan(office, plan.pk, f"所党发〔{year}〕1号", date(year, 1, 1))
        dep = services.deploy(
            office,
            item.pk,
            {"organization": t.branch1, "responsible": a, "measure": "组建党员突击队", "deadline": date(year, 12, 31)},
        )
    plan.refresh_from_db()
    return World(t, a, b, c, office, sec1, sec2, member, line, task, plan, item, dep, year)


def make_plan(user, org: Organization, year: int) -> WorkPlan:
    return services.create_plan(user, org, year)
