"""The generic scope test's objects for the work plan pages (tests/test_scope_generic.py ``_from_app``).

Every object is branch1's: its own plan derived from the committee's, an item of it and a deployment inside the
branch (sec1 keeps them, sec2 does not see them); sec1 cancels the branch's own deployments (the committee's are
the office's, tested in workplan/tests/test_pages.py).
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from dangjian.core import context
from dangjian.testing import make_user
from dangjian.workplan import services
from dangjian.workplan.models import Deployment, WorkPlan


def _objects(world) -> dict[str, int]:
    t, p1, p2, sec1, sec2, job1 = world
    year = timezone.localdate().year
    branch_plan = WorkPlan.objects.filter(organization=t.branch1, year=year).first()
    if branch_plan is None:
        office = make_user("workplan_scope_office", "office", t.root)
        with context.acting(office):
            plan = services.create_plan(office, t.root, year)
            item = services.save_item(office, plan.pk, {"category": "融合发展", "title": "党建引领攻关"})
            services.publish_plan(office, plan.pk, "测党发〔1〕号", date(year, 1, 1))
            services.deploy(
                office,
                item.pk,
                {"organization": t.branch1, "responsible": p1, "measure": "组建突击队", "deadline": date(year, 12, 31)},
            )
        with context.acting(sec1):
            branch_plan = services.derive_plan(sec1, t.branch1, year)
            own = services.save_item(sec1, branch_plan.pk, {"title": "支部自选动作"})
            services.publish_plan(sec1, branch_plan.pk, "一支部〔1〕号", date(year, 1, 2))
            services.deploy(
                sec1,
                own.pk,
                {"organization": t.branch1, "responsible": p1, "measure": "每季度一次", "deadline": date(year, 12, 31)},
            )
    item = branch_plan.items.order_by("-pk").first()
    return {
        "plan": branch_plan.pk,
        "item": item.pk,
        "deployment": Deployment.objects.get(item=item).pk,
    }


def object_for(world, name: str, param: str):
    if param != "pk":
        raise AssertionError(f"the scope test cannot fill {param} of workplan:{name}; teach it")
    objects = _objects(world)
    if name.startswith("item_create") or name.startswith("plan"):
        return objects["plan"]
    return objects[name.split("_")[0]]
