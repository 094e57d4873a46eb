"""Objects of branch1 (in sec1's scope, out of sec2's) for the generic scope test's care URLs."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from dangjian.care.models import CareEvent, CareRule, Evidence, HardshipEntry, Milestone, PracticalMatter


def _event(p1, sec1):
    event = CareEvent.objects.filter(person=p1).first()
    if event is None:
        from dangjian.care.services import record_event

        event = record_event(sec1, p1.pk, "illness", timezone.localdate())
    return event


def _matter(t, p1, sec1):
    matter = PracticalMatter.objects.filter(organization=t.branch1).first()
    return matter or PracticalMatter.objects.create(
        title="实事", year=2026, organization=t.branch1, owner=p1, recorded_by=sec1
    )


def object_for(world, name: str, param: str):
    t, p1, p2, sec1, sec2, job1 = world
    if name in ("event", "event_withdraw"):
        return _event(p1, sec1).pk
    if name == "obligation":
        return _event(p1, sec1).obligations.first().pk
    if name == "rule_edit":
        return CareRule.objects.order_by("pk").first().pk  # the office's: 404 to an office without the whole tree
    if name in ("hardship_entry", "hardship_withdraw"):
        entry = HardshipEntry.objects.filter(person=p1).first()
        return (
            entry
            or HardshipEntry.objects.create(person=p1, registered_on=date(2026, 1, 5), reason="病", recorded_by=sec1)
        ).pk
    if name in ("matter", "matter_edit", "matter_withdraw", "milestone_add", "evidence_add"):
        return _matter(t, p1, sec1).pk
    if name == "milestone_done":
        matter = _matter(t, p1, sec1)
        ms = matter.milestones.first() or Milestone.objects.create(
            matter=matter, title="节点", planned_on=date(2026, 3, 1)
        )
        return ms.pk
    if name == "evidence":
        matter = _matter(t, p1, sec1)
        ev = matter.evidence.first()
        if ev is None:  # a real file, so that the in-scope download is a 200
            from django.core.files.base import ContentFile

            ev = Evidence(matter=matter, name="a.pdf", size=8, uploaded_by=sec1)
            ev.file.save("a.pdf", ContentFile(b"%PDF-1.4"), save=False)
            ev.save()
        return ev.pk
    raise AssertionError(f"the scope test cannot fill {param} of care:{name}; teach it")
