"""Demo talent work for the demo institute: the secretary reserve, mentor–apprentice pairs and two 青马班 cohorts
(each graduated once past its last day: by attendance against
the class's required rate). Deterministic for a seed; dated from the demo's reference day.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from dangjian.accounts.models import User
from dangjian.demo.spec import reference_date
from dangjian.orgs.models import Organization
from dangjian.people.models import Membership, Person

from .models import (
    ClassSession,
    ClassStudent,
    Mentorship,
    MentorshipReview,
    MentorshipStatus,
    ReserveRecord,
    ReserveStatus,
    SecretaryReserve,
    StudentResult,
    YoungMarxistClass,
)

COURSES = (
    "习近平新时代中国特色社会主义思想概论",
    "党章党规党纪专题",
    "中国共产党历史专题",
    "科学家精神与计量人的使命",
    "国有企业党建与科研融合",
    "保密与廉洁从业教育",
    "红色教育基地现场教学",
    "青年干部的调查研究方法",
)
GOALS = (
    "一年内独立承担一项校准方法研究，掌握不确定度评定",
    "熟悉测试仪器研制全流程，能独立完成样机调试",
    "掌握计量标准装置的建标考核要求，参与一次复查",
    "带领完成一项检测认证项目，熟悉体系文件",
)


def _member_pool(root: Organization) -> list[Membership]:
    return list(
        Membership.objects.current()
        .filter(organization__path__startswith=root.path, status="full", organization__kind="branch")
        .select_related("person", "organization")
        .order_by("person_id")
    )


def generate_demo(seed: int) -> dict[str, int]:
    root = Organization.objects.filter(depth=1).order_by("path").first()
    office = User.objects.filter(username="office").first()
    if root is None or office is None:
        return {}
    rng = random.Random(seed * 31 + 7)
    ref = reference_date()
    pool = _member_pool(root)
    young = [m for m in pool if (ref - m.person.birth_date).days < 45 * 365]
    senior = [m for m in pool if (ref - m.person.birth_date).days >= 45 * 365]
    counts = {"talent_reserve": 0, "talent_mentorships": 0, "talent_students": 0}

    # the reserve: eight young full members, from several branches
    statuses = (
        [ReserveStatus.CANDIDATE] * 4 + [ReserveStatus.READY] * 2 + [ReserveStatus.APPOINTED, ReserveStatus.REMOVED]
    )
    for status, m in zip(statuses, rng.sample(young, min(len(young), len(statuses))), strict=False):
        nominated = ref - timedelta(days=rng.randint(200, 500))
        row = SecretaryReserve.objects.create(
            organization=m.organization,
            person=m.person,
            nominated_on=nominated,
            criteria="政治坚定、业务精通，担任课题组长，群众基础好",
            target=m.organization,
            status=status,
            status_on=None if status == ReserveStatus.CANDIDATE else ref - timedelta(days=rng.randint(10, 90)),
            status_note={"appointed": "换届选举当选党支部书记", "removed": "调离本单位"}.get(status, ""),
            created_by=office,
        )
        ReserveRecord.objects.create(
            reserve=row,
            kind="training",
            held_on=nominated + timedelta(days=30),
            title="党支部书记示范培训班",
            recorded_by=office,
        )
        ReserveRecord.objects.create(
            reserve=row,
            kind="practice",
            held_on=nominated + timedelta(days=60),
            title="挂任党支部组织委员",
            recorded_by=office,
        )
        if status != ReserveStatus.CANDIDATE:
            ReserveRecord.objects.create(
                reserve=row,
                kind="assessment",
                held_on=nominated + timedelta(days=150),
                title="年度考察",
                rating=rng.choice(["excellent", "competent"]),
                recorded_by=office,
            )
        counts["talent_reserve"] += 1

    # mentor–apprentice pairs inside a department: a senior member and a younger colleague
    by_dept: dict[int, list[Person]] = {}
    for p in Person.objects.filter(department__isnull=False, birth_date__gt=ref - timedelta(days=32 * 365)).order_by(
        "pk"
    ):
        by_dept.setdefault(p.department_id, []).append(p)
    pairs = 0
    for m in rng.sample(senior, min(len(senior), 30)):
        apprentices = by_dept.get(m.person.department_id or 0, [])
        if not apprentices or pairs >= 10:
            continue
        apprentice = rng.choice(apprentices)
        starts = ref - timedelta(days=rng.randint(120, 700))
        done = (ref - starts).days > 400
        pair = Mentorship.objects.create(
            organization=m.organization,
            mentor=m.person,
            apprentice=apprentice,
            starts_on=starts,
            ends_on=starts + timedelta(days=365),
            goals=rng.choice(GOALS),
            status=MentorshipStatus.COMPLETED if done else MentorshipStatus.ACTIVE,
            closed_on=starts + timedelta(days=380) if done else None,
            outcome="独立承担项目一项，考核合格出师" if done else "",
            created_by=office,
        )
        for k in range(1, 4):
            on = starts + timedelta(days=120 * k)
            if on <= ref:
                MentorshipReview.objects.create(
                    mentorship=pair,
                    reviewed_on=on,
                    progress="按计划完成阶段目标",
                    rating=rng.choice(["good", "good", "fair"]),
                    reviewed_by=office,
                )
        apprentices.remove(apprentice)
        pairs += 1
    counts["talent_mentorships"] = pairs

    # two cohorts of 青马班, each graduated by attendance once its last day has passed
    for year, name in ((ref.year - 1, f"{ref.year - 1}年青马班"), (ref.year, f"{ref.year}年青马班")):
        klass = YoungMarxistClass.objects.create(
            organization=root,
            name=name,
            starts_on=date(year, 3, 1),
            ends_on=date(year, 11, 30),
            required_rate=80,
            created_by=office,
        )
        students = [
            ClassStudent.objects.create(klass=klass, person=m.person, enrolled_on=date(year, 3, 1))
            for m in rng.sample(young, min(len(young), 15))
        ]
        counts["talent_students"] += len(students)
        for i, topic in enumerate(COURSES):
            held = date(year, 3 + i, 15)
            if held > ref:
                break
            session = ClassSession.objects.create(klass=klass, held_on=held, topic=topic, lecturer="党校教师")
            session.absent.set([s for s in students if rng.random() < 0.12])
        if klass.ends_on < ref:
            absent: dict[int, int] = {}
            for sid in ClassSession.absent.through.objects.filter(classsession__klass=klass).values_list(
                "classstudent_id", flat=True
            ):
                absent[sid] = absent.get(sid, 0) + 1
            held_count = klass.sessions.count()
            for s in students:
                ok = 100 * (held_count - absent.get(s.pk, 0)) / held_count >= klass.required_rate
                s.result = StudentResult.GRADUATED if ok else StudentResult.NOT_GRADUATED
                s.result_on = klass.ends_on + timedelta(days=1)
                s.save(update_fields=["result", "result_on"])
    return counts
