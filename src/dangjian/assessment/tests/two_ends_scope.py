"""The generic scope test's objects for the 抓两头促中间 pages: a signed cycle over branch1 (the office of the root
opens its pages, the office of branch2 does not: they are in OFFICE_ONLY) and a 标杆党支部 title of branch1."""

from __future__ import annotations

PAGES = ("two_ends", "title_grant", "star_rate", "interview_add", "title_withdraw")


def _signed_cycle(world, cycle_of):
    from dangjian.assessment import cycles, two_ends
    from dangjian.assessment.models import AssessmentCycle, TitleKind
    from dangjian.core import context
    from dangjian.testing import make_user

    from .cycle_factories import open_cycle, published_system

    cycle_of(world)  # the other cycle pages' cycle first, so it stays the first by id
    cycle = AssessmentCycle.objects.filter(system__name="两头测试体系").first()
    if cycle is None:
        t = world[0]
        office = make_user("office_two_ends", "office", t.root)
        with context.acting(office):
            cycle = open_cycle(office, published_system(office, "两头测试体系"), [t.branch1])
            cycles.compute(cycle, office)
            cycle.status = "signed"
            cycle.save(update_fields=["status"])
            two_ends.grant(office, cycle.pk, t.branch1.pk, TitleKind.BENCHMARK)
    return cycle


def object_for(world, name: str, param: str, cycle_of):
    from dangjian.assessment.models import Title

    cycle = _signed_cycle(world, cycle_of)
    if param == "unit":
        return world[0].branch1.pk
    if name == "title_withdraw":
        return Title.objects.filter(cycle=cycle).order_by("pk").first().pk
    return cycle.pk
