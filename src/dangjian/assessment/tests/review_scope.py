"""The generic scope test's objects for the 审核评分 pages (issue 14 §2): a second cycle, in review, over branch1 and
branch2, with sec1 named a reviewer of the office's department (the manual leaf 理论学习 has none) and an
evidence file of branch2.

The reviewer's pages are scoped by the reviewer's assignment, not by the organisation tree: sec1 (inside) reviews
branch2, which is not their unit; sec2 (outside) is no reviewer, so even their own branch2's scoring page and
evidence are 404 to them. The office's pages (reviewers, removal, disputes) are in OFFICE_ONLY."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

TITLE = "评分范围测试周期"
PDF = b"%PDF-1.4\n" + b"0" * 64


def _review_cycle(world, cycle_of):
    from dangjian.accounts.models import User
    from dangjian.assessment import cycles, review
    from dangjian.assessment.models import AssessmentCycle, Evidence
    from dangjian.core import context

    t, p1, p2, sec1, sec2, job1 = world
    cycle = AssessmentCycle.objects.filter(title=TITLE).first()
    if cycle is not None:
        return cycle
    system = cycle_of(world)[0].system  # the cycle pages' cycle first: it stays the first by pk
    office = User.objects.get(username="office_cycles")
    with context.acting(office):
        cycle = cycles.open_cycle(
            office,
            system_id=system.pk,
            year=2027,
            half=None,
            title=TITLE,
            unit_ids=[t.branch1.pk, t.branch2.pk],
            self_deadline=date(2028, 1, 15),
            review_deadline=date(2028, 1, 31),
        )
        cycle.status = "review"
        cycle.save(update_fields=["status"])
        review.assign(office, cycle.pk, review.OFFICE_DEPARTMENT, sec1.pk)
        leaf = system.indicators.get(name="理论学习")
        Evidence.objects.create(
            cycle=cycle,
            unit=t.branch2,
            indicator=leaf,
            title="学习记录",
            file=SimpleUploadedFile("record.pdf", PDF),
            uploaded_by=sec2,
        )
    return cycle


def object_for(world, name: str, param: str, cycle_of):
    from dangjian.assessment.models import Evidence, Reviewer

    t, p1, p2, sec1, sec2, job1 = world
    cycle = _review_cycle(world, cycle_of)
    if param == "unit":
        return t.branch2.pk
    if name == "review_reviewer_remove":
        return Reviewer.objects.get(cycle=cycle, user=sec1).pk
    if name == "review_evidence_file":
        return Evidence.objects.get(cycle=cycle).pk
    return cycle.pk
