"""The generic scope test's object for the assessment pages: an indicator system (systems bind the whole tree, so
the office of the root opens it and the office of one branch does not: the pages are in its OFFICE_ONLY)."""

from __future__ import annotations


def object_for(world, name: str, param: str):
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
