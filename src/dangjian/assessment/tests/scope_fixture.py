"""The generic scope test's object for the assessment pages: an indicator system (systems bind the whole tree, so
the office of the root opens it and the office of one branch does not: the pages are in its OFFICE_ONLY)."""

from __future__ import annotations

from .two_ends_scope import PAGES as TWO_ENDS_PAGES

CYCLE_PAGES = (
    "cycle",
    "cycle_export",
    "cycle_recompute",
    "cycle_unit",
    "cycle_unit_docx",
    "occurrence_add",
    "occurrence_withdraw",
)


def _cycle(world):
    """A cycle over branch1 alone (so branch2's secretary finds nothing of it), computed, with one occurrence."""
    from dangjian.assessment import cycles
    from dangjian.assessment.models import AssessmentCycle, Occurrence
    from dangjian.core import context
    from dangjian.testing import make_user

    from .cycle_factories import open_cycle, published_system

    cycle = AssessmentCycle.objects.order_by("pk").first()
    if cycle is None:
        t = world[0]
        office = make_user("office_cycles", "office", t.root)
        with context.acting(office):
            cycle = open_cycle(office, published_system(office, "周期测试体系"), [t.branch1])
            cycles.compute(cycle, office)
            leaf = cycle.system.indicators.get(name="上级表彰")
            cycles.record_occurrence(
                office, cycle.pk, unit_id=t.branch1.pk, indicator_id=leaf.pk, magnitude=1, reason="表彰"
            )
    return cycle, Occurrence.objects.filter(cycle=cycle).first()


def object_for(world, name: str, param: str):
    if name in TWO_ENDS_PAGES:  # 抓两头促中间 (two_ends_scope.py)
        from .two_ends_scope import object_for as two_ends_object

        return two_ends_object(world, name, param, _cycle)
    if name.startswith(("objection_", "cycle_adv", "cycle_adjust")):  # a cycle's course (lifecycle_scope.py)
        from .lifecycle_scope import object_for as lifecycle_object

        return lifecycle_object(world, name, param, _cycle)
    if name.startswith("rectification"):  # 三张清单 (rectification_scope.py)
        from .rectification_scope import object_for as rectification_object

        return rectification_object(world, name, param, _cycle)
    if name.startswith("self_"):  # 自评 (self_scope.py)
        from .self_scope import object_for as self_object

        return self_object(world, name, param)
    if name.startswith("review_"):  # 审核评分 (review_scope.py)
        from .review_scope import object_for as review_object

        return review_object(world, name, param, _cycle)
    if name in CYCLE_PAGES:
        cycle, occurrence = _cycle(world)
        if param == "unit":
            return world[0].branch1.pk
        return occurrence.pk if name == "occurrence_withdraw" else cycle.pk
    from dangjian.assessment import services
    from dangjian.assessment.models import IndicatorSystem
    from dangjian.core import context

    if name.startswith("brand"):  # 一支部一特色 (brand_scope.py)
        from .brand_scope import object_for as brand_object

        return brand_object(world, name, param)
    if name.startswith("report_"):  # 述职评议 (issue 14 §4)
        from .report_scope_fixture import object_for as report_object

        return report_object(world, name, param)
    if param != "pk":
        raise AssertionError(f"the scope test cannot fill {param} of assessment:{name}; teach it")
    system = IndicatorSystem.objects.order_by("pk").first()
    if system is None:
        with context.acting(None, channel="cli"):
            data, nodes = services.default_nodes()
            system = services.create_system(None, data, nodes)
    return system.pk
