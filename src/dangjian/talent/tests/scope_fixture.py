"""The generic scope test's objects for the talent pages: rows of branch1 (sec1's scope, not sec2's)."""

from __future__ import annotations

from datetime import date


def object_for(world, name: str, param: str):
    from dangjian.talent.models import (
        ClassStudent,
        Mentorship,
        SecretaryReserve,
        YoungMarxistClass,
    )
    from dangjian.testing import make_member

    t, p1, p2, sec1, sec2, job1 = world
    if name.startswith("reserve"):
        row = SecretaryReserve.objects.filter(organization=t.branch1).first() or SecretaryReserve.objects.create(
            organization=t.branch1, person=p1, nominated_on=date(2026, 1, 5), criteria="业务骨干", created_by=sec1
        )
        return row.pk
    if name.startswith("mentorship"):
        row = Mentorship.objects.filter(organization=t.branch1).first()
        if row is None:
            apprentice = make_member(t.branch1, "徒弟甲", department=t.dept1)
            row = Mentorship.objects.create(
                organization=t.branch1,
                mentor=p1,
                apprentice=apprentice,
                starts_on=date(2026, 1, 5),
                ends_on=date(2027, 1, 5),
                goals="独立承担校准项目",
                created_by=sec1,
            )
        return row.pk
    klass = YoungMarxistClass.objects.filter(organization=t.branch1).first() or YoungMarxistClass.objects.create(
        organization=t.branch1,
        name="青马班第一期",
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 11, 30),
        created_by=sec1,
    )
    if name == "class_student_withdraw":
        student = klass.students.first() or ClassStudent.objects.create(
            klass=klass, person=p1, enrolled_on=date(2026, 3, 1)
        )
        return student.pk
    return klass.pk
