"""Objects the generic scope test (tests/test_scope_generic.py) needs for the meetings URLs it cannot fill itself."""

from __future__ import annotations

from datetime import date


def object_for(world, name: str, param: str) -> int:
    """An exemption from 应到会 of branch1's member p1, approved by the general branch above it."""
    from dangjian.meetings.models import AttendanceExemption

    t, p1, p2, sec1, sec2, job1 = world
    if param != "exemption_pk":
        raise AssertionError(f"the scope test cannot fill {param} of meetings:{name}; teach it")
    found = AttendanceExemption.objects.filter(organization=t.branch1).first()
    found = found or AttendanceExemption.objects.create(
        person=p1,
        organization=t.branch1,
        reason="long_illness",
        starts_on=date(2026, 1, 1),
        approved_by=t.general,
        approved_on=date(2026, 1, 1),
        document_number="一总支〔2026〕1号",
        recorded_by=sec1,
    )
    return found.pk
