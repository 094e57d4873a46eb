"""Writes of the talent work; each in one transaction, audited, with the scope re-read inside it.

The committee office (``integration.manage``) keeps the secretary reserve and the 青马班; a branch
(``integration.change``) pairs its mentors and apprentices.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dangjian.audit.services import record, snapshot
from dangjian.core.scoping import recheck
from dangjian.orgs.models import Organization
from dangjian.people.models import Membership, Person

from .models import (
    ClassSession,
    ClassStudent,
    Mentorship,
    MentorshipReview,
    MentorshipStatus,
    ReserveRecord,
    ReserveRecordKind,
    ReserveStatus,
    SecretaryReserve,
    StudentResult,
    YoungMarxistClass,
)

VIEW = "integration.view"
CHANGE = "integration.change"
MANAGE = "integration.manage"


def _person_in(user: Any, perm: str, person: Person, field: str) -> Person:
    if not Person.objects.visible_to(user, perm).filter(pk=person.pk).exists():
        raise ValidationError({field: _("该人员不在您的管理范围内")})
    return person


def _is_member(person: Person) -> bool:
    return Membership.objects.current().filter(person=person).exists()


# --- 储备优秀党支部书记 -------------------------------------------------------------------------------------------


def nominate(user: Any, data: dict) -> SecretaryReserve:
    """A current party member enters the reserve once at a time (a candidate or ready, not twice)."""
    with transaction.atomic():
        org = recheck(Organization.objects.all(), user, MANAGE, data["organization"].pk)
        person = _person_in(user, MANAGE, data["person"], "person")
        if not _is_member(person):
            raise ValidationError({"person": _("储备人选应为正式或预备党员")})
        target = data.get("target")
        if target is not None:
            target = recheck(Organization.objects.all(), user, MANAGE, target.pk)
        if SecretaryReserve.objects.filter(
            person=person, status__in=[ReserveStatus.CANDIDATE, ReserveStatus.READY]
        ).exists():
            raise ValidationError({"person": _("%(name)s 已在储备库中") % {"name": person.name}})
        row = SecretaryReserve(
            organization=org,
            person=person,
            nominated_on=data["nominated_on"],
            criteria=data["criteria"],
            target=target,
            created_by=user,
        )
        row.full_clean()
        row.save()
        record("create", row, after=snapshot(row), object_repr=str(row))
    return row


def add_reserve_record(user: Any, pk: int, data: dict) -> ReserveRecord:
    with transaction.atomic():
        reserve = recheck(SecretaryReserve.objects.all(), user, MANAGE, pk)
        if reserve.status not in (ReserveStatus.CANDIDATE, ReserveStatus.READY):
            raise ValidationError(_("已任用或已退出的人选不再记录培养考察"))
        if data["kind"] == ReserveRecordKind.ASSESSMENT and not data.get("rating"):
            raise ValidationError({"rating": _("考察记录请选择考察结果")})
        if data["kind"] != ReserveRecordKind.ASSESSMENT and data.get("rating"):
            raise ValidationError({"rating": _("只有考察记录有考察结果")})
        row = ReserveRecord(reserve=reserve, recorded_by=user, **data)
        row.full_clean()
        row.save()
        record("create", row, after=snapshot(row), object_repr=f"{reserve} · {row.title}")
    return row


def latest_rating(reserve: SecretaryReserve) -> str:
    last = reserve.records.filter(kind=ReserveRecordKind.ASSESSMENT).order_by("-held_on", "-pk").first()
    return last.rating if last else ""


# the moves a reserve candidate makes, and what each needs
RESERVE_MOVES: dict[str, tuple[str, ...]] = {
    ReserveStatus.READY: (ReserveStatus.CANDIDATE,),
    ReserveStatus.APPOINTED: (ReserveStatus.CANDIDATE, ReserveStatus.READY),
    ReserveStatus.REMOVED: (ReserveStatus.CANDIDATE, ReserveStatus.READY),
}


def move_reserve(user: Any, pk: int, status: str, on: date, note: str = "") -> SecretaryReserve:
    """培养中 → 可任用 (the latest assessment 优秀 or 合格), → 已任用, → 已退出 (with a reason)."""
    with transaction.atomic():
        reserve = recheck(SecretaryReserve.objects.all(), user, MANAGE, pk)
        if status not in RESERVE_MOVES or reserve.status not in RESERVE_MOVES[status]:
            raise ValidationError(
                _("“%(now)s”的人选不能改为“%(to)s”")
                % {
                    "now": reserve.get_status_display(),
                    "to": ReserveStatus(status).label if status in ReserveStatus.values else status,
                }
            )
        if status == ReserveStatus.READY and latest_rating(reserve) not in ("excellent", "competent"):
            raise ValidationError(_("最近一次考察结果为优秀或合格后，才能列为可任用"))
        if status == ReserveStatus.REMOVED and not note.strip():
            raise ValidationError({"note": _("请填写退出储备库的原因")})
        if on < reserve.nominated_on:
            raise ValidationError({"on": _("日期不能早于推荐日期")})
        before = snapshot(reserve)
        reserve.status, reserve.status_on, reserve.status_note = status, on, note.strip()
        reserve.save(update_fields=["status", "status_on", "status_note", "updated_at"])
        record("update", reserve, before=before, after=snapshot(reserve), object_repr=str(reserve))
    return reserve


# --- 导师带徒 ------------------------------------------------------------------------------------------------------


def pair(user: Any, data: dict) -> Mentorship:
    with transaction.atomic():
        org = recheck(Organization.objects.all(), user, CHANGE, data["organization"].pk)
        mentor = _person_in(user, CHANGE, data["mentor"], "mentor")
        apprentice = _person_in(user, CHANGE, data["apprentice"], "apprentice")
        if mentor.pk == apprentice.pk:
            raise ValidationError({"apprentice": _("导师与徒弟不能是同一人")})
        if data["ends_on"] <= data["starts_on"]:
            raise ValidationError({"ends_on": _("计划出师日期应晚于结对日期")})
        if Mentorship.objects.filter(mentor=mentor, apprentice=apprentice, status=MentorshipStatus.ACTIVE).exists():
            raise ValidationError({"apprentice": _("这对师徒已在带教中")})
        row = Mentorship(
            organization=org,
            mentor=mentor,
            apprentice=apprentice,
            created_by=user,
            **{k: data[k] for k in ("starts_on", "ends_on", "goals")},
        )
        row.full_clean()
        row.save()
        record("create", row, after=snapshot(row), object_repr=str(row))
    return row


def review_mentorship(user: Any, pk: int, data: dict) -> MentorshipReview:
    with transaction.atomic():
        m = recheck(Mentorship.objects.all(), user, CHANGE, pk)
        if m.status != MentorshipStatus.ACTIVE:
            raise ValidationError(_("带教已结束，不能再评价"))
        if data["reviewed_on"] < m.starts_on:
            raise ValidationError({"reviewed_on": _("评价日期不能早于结对日期")})
        row = MentorshipReview(mentorship=m, reviewed_by=user, **data)
        row.full_clean()
        row.save()
        record("create", row, after=snapshot(row), object_repr=f"{m} · {row.reviewed_on}")
    return row


def close_mentorship(user: Any, pk: int, status: str, on: date, outcome: str) -> Mentorship:
    """出师 (completed) or 终止 (ended), each with the outcome written down."""
    with transaction.atomic():
        m = recheck(Mentorship.objects.all(), user, CHANGE, pk)
        if m.status != MentorshipStatus.ACTIVE:
            raise ValidationError(_("带教已结束"))
        if status not in (MentorshipStatus.COMPLETED, MentorshipStatus.ENDED):
            raise ValidationError({"status": _("请选择出师或终止")})
        if not outcome.strip():
            raise ValidationError({"outcome": _("请填写带教成效或终止原因")})
        if on < m.starts_on:
            raise ValidationError({"on": _("结束日期不能早于结对日期")})
        before = snapshot(m)
        m.status, m.closed_on, m.outcome = status, on, outcome.strip()
        m.save(update_fields=["status", "closed_on", "outcome", "updated_at"])
        record("update", m, before=before, after=snapshot(m), object_repr=str(m))
    return m


# --- 青马班 --------------------------------------------------------------------------------------------------------


def open_class(user: Any, data: dict) -> YoungMarxistClass:
    with transaction.atomic():
        org = recheck(Organization.objects.all(), user, MANAGE, data["organization"].pk)
        if data["ends_on"] < data["starts_on"]:
            raise ValidationError({"ends_on": _("结业日期不能早于开班日期")})
        if not 1 <= data["required_rate"] <= 100:
            raise ValidationError({"required_rate": _("出勤率要求应在1%至100%之间")})
        row = YoungMarxistClass(
            organization=org, created_by=user, **{k: data[k] for k in ("name", "starts_on", "ends_on", "required_rate")}
        )
        row.full_clean()
        row.save()
        record("create", row, after=snapshot(row), object_repr=str(row))
    return row


def enroll(user: Any, pk: int, person: Person, on: date) -> ClassStudent:
    with transaction.atomic():
        klass = recheck(YoungMarxistClass.objects.all(), user, MANAGE, pk)
        _person_in(user, MANAGE, person, "person")
        if on > klass.ends_on:
            raise ValidationError({"on": _("青马班已于%(end)s结业，不能再入班") % {"end": klass.ends_on}})
        if klass.students.filter(person=person).exists():
            raise ValidationError({"person": _("%(name)s 已是本班学员") % {"name": person.name}})
        row = ClassStudent(klass=klass, person=person, enrolled_on=on)
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            raise ValidationError({"person": _("%(name)s 已是本班学员") % {"name": person.name}}) from None
        record("create", row, after=snapshot(row), object_repr=f"{klass} · {person.name}")
    return row


def add_session(user: Any, pk: int, data: dict, absent_ids: list[int]) -> ClassSession:
    """A course held, with the students absent from it (everyone else attended)."""
    with transaction.atomic():
        klass = recheck(YoungMarxistClass.objects.all(), user, MANAGE, pk)
        if not klass.starts_on <= data["held_on"] <= klass.ends_on:
            raise ValidationError({"held_on": _("上课日期应在开班日期与结业日期之间")})
        absent = list(klass.students.filter(pk__in=absent_ids))
        if len(absent) != len(set(absent_ids)):
            raise ValidationError({"absent": _("缺课学员应为本班学员")})
        row = ClassSession(klass=klass, **data)
        row.full_clean()
        row.save()
        row.absent.set(absent)
        record(
            "create",
            row,
            after=snapshot(row),
            detail={"absent": [s.person_id for s in absent]},
            object_repr=f"{klass} · {row.topic}",
        )
    return row


def attendance(klass: YoungMarxistClass) -> dict[int, tuple[int, int]]:
    """Each student's (sessions attended, sessions held while enrolled), in two queries."""
    sessions = list(klass.sessions.values_list("pk", "held_on"))
    absences: dict[int, int] = {}
    for student_id, _session_id in ClassSession.absent.through.objects.filter(classsession__klass=klass).values_list(
        "classstudent_id", "classsession_id"
    ):
        absences[student_id] = absences.get(student_id, 0) + 1
    out = {}
    for s in klass.students.all():
        held = sum(1 for _pk, on in sessions if on >= s.enrolled_on)
        out[s.pk] = (max(held - absences.get(s.pk, 0), 0), held)
    return out


def rate(attended: int, held: int) -> int:
    return round(100 * attended / held) if held else 0


def graduate(user: Any, pk: int, on: date) -> dict[str, int]:
    """结业: a student who attended at least the class's required share graduates, the others do not (withdrawn
    students are left as they are). Refused before the class's last day or with no course held."""
    with transaction.atomic():
        klass = recheck(YoungMarxistClass.objects.all(), user, MANAGE, pk)
        if on < klass.ends_on:
            raise ValidationError(_("结业日期（%(end)s）前不能办理结业") % {"end": klass.ends_on})
        counts = attendance(klass)
        if not any(held for _a, held in counts.values()):
            raise ValidationError(_("本班还没有上课记录"))
        done = {"graduated": 0, "not_graduated": 0}
        for student in klass.students.exclude(result=StudentResult.WITHDRAWN).select_for_update():
            attended, held = counts[student.pk]
            ok = rate(attended, held) >= klass.required_rate
            before = snapshot(student)
            student.result = StudentResult.GRADUATED if ok else StudentResult.NOT_GRADUATED
            student.result_on = on
            student.save(update_fields=["result", "result_on", "updated_at"])
            record("update", student, before=before, after=snapshot(student), object_repr=f"{klass} · {student.person}")
            done["graduated" if ok else "not_graduated"] += 1
    return done


def withdraw_student(user: Any, student_pk: int, on: date) -> ClassStudent:
    with transaction.atomic():
        student = ClassStudent.objects.select_for_update().filter(pk=student_pk).first()
        if student is None:
            raise ValidationError(_("对象不存在"))
        recheck(YoungMarxistClass.objects.all(), user, MANAGE, student.klass_id)
        if student.result:
            raise ValidationError(_("该学员已有结业情况"))
        before = snapshot(student)
        student.result, student.result_on = StudentResult.WITHDRAWN, on
        student.save(update_fields=["result", "result_on", "updated_at"])
        record("update", student, before=before, after=snapshot(student), object_repr=str(student.person))
    return student
