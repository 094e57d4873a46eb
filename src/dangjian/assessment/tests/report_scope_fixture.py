"""The generic scope test's objects for the 述职评议 pages: a meeting of the root committee in its voting stage, at
which branch1's 甲一 (sec1's person) reports and is a rater, so sec1 opens the ballot and their own result and sec2
does not; the office pages are in OFFICE_ONLY (the office of the root opens them, the office of branch2 does not)."""

from __future__ import annotations


def object_for(world, name: str, param: str):
    from datetime import date

    from dangjian.assessment.models import Rater, ReportMeeting
    from dangjian.testing import make_member

    t, p1, p2, sec1, sec2, job1 = world
    meeting = ReportMeeting.objects.filter(organization=t.root).first()
    if meeting is None:
        meeting = ReportMeeting.objects.create(
            organization=t.root,
            year=2026,
            held_on=date(2027, 1, 10),
            title="2026年度述职评议",
            weights={"committee": 30, "secretaries": 20, "members": 30, "staff": 20},
            status="voting",
            created_by=sec1,
        )
        meeting.reports.create(person=p1, organization=t.branch1, order=1)
        meeting.reports.create(person=make_member(t.branch1, "丙三"), organization=t.branch1, order=2)
        Rater.objects.create(meeting=meeting, person=p1, group="secretaries")
    if param == "pk":
        return meeting.pk
    if param == "report_pk":
        return meeting.reports.get(person=p1).pk
    raise AssertionError(f"the scope test cannot fill {param} of assessment:{name}; teach it")
