"""The generic scope test's objects for the 示范岗 and 责任区 pages: a post applied for and a post with a plate, and
a zone with a report, all of branch1 (inside sec1's scope, outside sec2's). The approval, rejection and withdrawal
pages are the committee office's (OFFICE_ONLY)."""

from __future__ import annotations

from datetime import date

APPLIED_PAGES = {"post_approve", "post_reject"}


def _post(world, status: str):
    from dangjian.integration.models import ModelPost

    t, p1, p2, sec1, sec2, job1 = world
    post = ModelPost.objects.filter(organization=t.branch1, status=status).first()
    if post is None:
        post = ModelPost.objects.create(
            organization=t.branch1,
            name="计量检定示范岗",
            holder=p1,
            duties="检定",
            commitment="零差错",
            starts_on=date(2026, 1, 1),
            status=status,
            applied_by=sec1,
            plate_no="SFG2026-901" if status == "approved" else "",
            decided_on=date(2026, 1, 10) if status == "approved" else None,
        )
    return post


def _zone(world):
    from dangjian.integration.models import ResponsibilityZone, ZoneReport

    t, p1, p2, sec1, sec2, job1 = world
    zone = ResponsibilityZone.objects.filter(organization=t.branch1).first()
    if zone is None:
        zone = ResponsibilityZone.objects.create(
            organization=t.branch1,
            name="一室实验区",
            member=p1,
            area="一室实验区",
            commitments="安全",
            report_every="quarter",
            starts_on=date(2026, 1, 1),
        )
        ZoneReport.objects.create(
            zone=zone, period="2026Q1", reported_on=date(2026, 4, 2), content="履责", reported_by=sec1
        )
    return zone


def object_for(world, name: str, param: str):
    if name.startswith("zone_"):
        return _zone(world).pk
    return _post(world, "applied" if name in APPLIED_PAGES else "approved").pk
