"""The generic scope test's objects for the matrix part: the evidence pages take the id of a file proving a
responsibility zone of branch1 (its member 甲一): branch1's secretary sees and maintains it, branch2's does not.
The matrix pages take no object (the year, row and column are query parameters)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def evidence_of_branch1(world):
    from dangjian.core import context
    from dangjian.integration import evidence
    from dangjian.integration.models import CarrierEvidence, ResponsibilityZone

    from .carriers import zone

    t, p1, p2, sec1, sec2, job1 = world
    found = CarrierEvidence.objects.filter(withdrawn_at__isnull=True, title="责任区照片").first()
    if found is not None:
        return found
    target = ResponsibilityZone.objects.filter(organization=t.branch1).first() or zone(t.branch1, p1)
    with context.acting(sec1, channel="web"):
        return evidence.attach(sec1, target, "责任区照片", SimpleUploadedFile("a.png", PNG))


def object_for(world, name: str, param: str):
    return evidence_of_branch1(world).pk
