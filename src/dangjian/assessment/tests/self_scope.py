"""The generic scope test's objects for the 自评 pages: the cycle over branch1 (scope_fixture._cycle) put in 自评中,
with a self-score and an evidence file of branch1 entered by its secretary (branch2's secretary finds none of it).
The overview and the return are the office's: inside is the office of the root, outside the office of branch2
(listed in OFFICE_ONLY of tests/test_scope_generic.py)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n" + b"0" * 64


def object_for(world, name: str, param: str):
    from dangjian.assessment import self_assessment
    from dangjian.assessment.models import CycleStatus, Evidence, Method
    from dangjian.core import context

    from .scope_fixture import _cycle

    t, p1, p2, sec1, sec2, job1 = world
    cycle = _cycle(world)[0]
    if cycle.status != CycleStatus.SELF_ASSESSMENT:
        cycle.status = CycleStatus.SELF_ASSESSMENT
        cycle.save(update_fields=["status"])
    leaf = cycle.system.indicators.filter(method=Method.MANUAL).order_by("position").first()
    ev = Evidence.objects.filter(cycle=cycle, unit=t.branch1).order_by("pk").first()
    if ev is None:
        with context.acting(sec1, channel="web"):
            self_assessment.save_score(sec1, cycle.pk, t.branch1.pk, leaf.pk, "3", "已学习")
            ev = self_assessment.add_evidence(
                sec1, cycle.pk, t.branch1.pk, leaf.pk, title="学习记录", upload=SimpleUploadedFile("a.pdf", PDF)
            )
    if name.startswith("self_evidence_") and name != "self_evidence_add":
        return ev.pk
    return {"pk": cycle.pk, "unit": t.branch1.pk, "indicator": leaf.pk}[param]
