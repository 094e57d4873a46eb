"""The generic scope test's objects for the 三张清单 pages: an item of branch1 reported done with a file (its
secretary opens it, branch2's does not; the office of the root accepts it, the office of branch2 does not), an open
item of branch1 for the edit page (its secretary edits it, branch2's gets 404), and the cycle over branch1 for the
office's 生成问题清单."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n" + b"0" * 64


def object_for(world, name: str, param: str, cycle_of):
    from dangjian.assessment import rectifications
    from dangjian.assessment.models import Rectification
    from dangjian.core import context

    if name == "rectification_seed":
        return world[0].branch1.pk if param == "unit" else cycle_of(world)[0].pk
    t, p1, p2, sec1, sec2, job1 = world
    if name == "rectification_edit":
        item = Rectification.objects.filter(organization=t.branch1, status="open").order_by("pk").first()
        if item is None:
            data = rectifications.RectificationData(
                problem="党费收缴不及时", measure="按月收缴", deadline=date(2026, 12, 31)
            )
            with context.acting(sec1, channel="web"):
                item = rectifications.create(sec1, t.branch1.pk, data)
        return item.pk
    item = Rectification.objects.filter(organization=t.branch1).exclude(status="open").order_by("pk").first()
    if item is None:
        data = rectifications.RectificationData(problem="组织生活不规范", measure="整改", deadline=date(2026, 12, 31))
        with context.acting(sec1, channel="web"):
            item = rectifications.create(sec1, t.branch1.pk, data)
            rectifications.complete(sec1, item.pk, note="已整改", upload=SimpleUploadedFile("a.pdf", PDF))
    return item.pk
