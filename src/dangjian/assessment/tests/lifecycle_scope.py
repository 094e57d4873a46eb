"""The generic scope test's objects for a cycle's course and its objections: the office's steps and band
adjustments on the cycle over branch1 (the office of the root opens them, the office of branch2 does not: they are
in its OFFICE_ONLY), an adjustment of branch1 to withdraw, and an objection of branch1 (its secretary raises and
reads objections, branch2's secretary finds none of them; the office of the root answers). Rows are made directly:
the cycle stays open for the other pages that share it."""

from __future__ import annotations


def object_for(world, name: str, param: str, cycle_of):
    from dangjian.assessment.models import BandAdjustment, Objection

    t, p1, p2, sec1, sec2, job1 = world
    cycle = cycle_of(world)[0]
    if param == "unit":
        return t.branch1.pk
    if name == "cycle_adjustment_withdraw":
        adjustment = BandAdjustment.objects.filter(cycle=cycle, unit=t.branch1).order_by("pk").first()
        if adjustment is None:
            adjustment = BandAdjustment.objects.create(
                cycle=cycle, unit=t.branch1, band="差", reason="名额所限", by=cycle.opened_by
            )
        return adjustment.pk
    if name == "objection_answer":
        objection = Objection.objects.filter(cycle=cycle, unit=t.branch1).order_by("pk").first()
        if objection is None:
            objection = Objection.objects.create(
                cycle=cycle,
                unit=t.branch1,
                indicator=cycle.system.indicators.get(name="理论学习"),
                reason="学习记录已补交",
                raised_by=sec1,
            )
        return objection.pk
    if param != "pk":
        raise AssertionError(f"the scope test cannot fill {param} of assessment:{name}; teach it")
    return cycle.pk
