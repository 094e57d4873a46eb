"""One-to-one follow-up of screened people: assigning a health officer, recording contacts, closing and reopening.

The seed article §3(5) asks for prioritised one-to-one follow-up of the people most at risk. Each write here runs in
one transaction, re-reads the person inside the acting health officer's scope ("health.values") and is audited.
The audit rows carry ids, dates and status only: the advice, referral, exam and result texts are health
information (PIPL art. 28) and exist only encrypted in ``FollowUpRecord.ciphertext`` (HEALTH_MODELS.md §5).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.models import RoleAssignment, User
from dangjian.accounts.roles import Role
from dangjian.accounts.scope import scope_for
from dangjian.audit.services import record, record_many, snapshot
from dangjian.core.collation import name_key
from dangjian.core.scoping import recheck
from dangjian.orgs.models import Organization
from dangjian.people.models import Membership, Person

from .models import Checkup, Consent, FollowUp, FollowUpRecord, FollowUpStatus
from .services import VALUES, check_year

# No regulation sets a deadline for the first contact after a health officer is assigned: 14 days is the
# platform's default (the to-do list and the queue's "overdue" filter use it).
FIRST_CONTACT_DAYS = 14
TEXT_MAX = 2000
TEXT_KEYS = ("advice", "referral_to", "exam", "result")


def _repr(person: Person, year: int) -> str:
    return f"{person.name} {year}年度健康随访"


def _covering_paths(person: Person) -> set[str]:
    """The organisations whose scope reaches the person: their current branch and the department's branches."""
    paths = set(Membership.objects.current().filter(person=person).values_list("organization__path", flat=True))
    if person.department_id:
        paths |= set(Organization.objects.filter(departments=person.department_id).values_list("path", flat=True))
    return paths


def candidates(person: Person) -> list[User]:
    """Active users holding the health officer role over an organisation that covers the person.

    Three queries whatever the number of officers; ``assign`` re-checks the chosen one with ``visible_to``.
    """
    paths = _covering_paths(person)
    return _officers(lambda a, org: any(p.startswith(org) if a.subtree else p == org for p in paths))


def officers_near(user) -> list[User]:
    """Health officers whose assignment overlaps the user's scope: the choices of the queue's bulk assignment
    (the service then keeps, for each ticked person, only an officer whose scope covers them)."""
    scope = scope_for(user, VALUES)
    own = scope.subtree_paths + scope.exact_paths
    return _officers(lambda a, org: scope.covers_path(org) or any(p.startswith(org) for p in own))


def _officers(keep) -> list[User]:
    assignments = (
        RoleAssignment.objects.active()
        .filter(role=Role.HEALTH_OFFICER, user__is_active=True, organization__isnull=False)
        .select_related("user__person", "organization")
    )
    users = {a.user_id: a.user for a in assignments if keep(a, a.organization.path)}
    return sorted(users.values(), key=lambda u: (name_key(officer_name(u)), u.pk))


def officer_name(user: User) -> str:
    return user.person.name if user.person_id else user.get_username()


def _check_officer(officer_id, person_ids: list[int]) -> tuple[User, set[int]]:
    """The officer, and which of the people his health-officer scope covers."""
    officer = User.objects.filter(pk=officer_id, is_active=True).first() if str(officer_id).isdigit() else None
    is_officer = officer is not None and officer.assignments.active().filter(role=Role.HEALTH_OFFICER).exists()
    if not is_officer:
        raise ValidationError({"officer": _("请选择在职的健康管理员")})
    covered = set(Person.objects.visible_to(officer, VALUES).filter(pk__in=person_ids).values_list("pk", flat=True))
    return officer, covered


def _require_consent(person: Person, year: int) -> None:
    """Follow-up is processing of health information: only under the year's active consent (PIPL art. 15, 29)."""
    if not Consent.objects.active().filter(person=person, year=year).exists():
        raise ValidationError(
            _("%(name)s未同意或已撤回%(year)s年度健康筛查，不能安排随访或添加记录")
            % {"name": person.name, "year": year}
        )


def _follow_up(person: Person, year: int) -> FollowUp | None:
    return FollowUp.objects.select_for_update().filter(person=person, year=year).first()


def assign(user, person_id: int, year: int, officer_id) -> FollowUp:
    """Assign (or re-assign) the health officer who follows the person up in ``year``; opens the follow-up."""
    today = timezone.localdate()
    year = check_year(year, today)
    with transaction.atomic():
        person = recheck(Person.objects.all(), user, VALUES, person_id)
        officer, covered = _check_officer(officer_id, [person.pk])
        if person.pk not in covered:
            raise ValidationError(
                {
                    "officer": _("%(officer)s的负责范围不包括%(name)s，不能指派")
                    % {"officer": officer_name(officer), "name": person.name}
                }
            )
        _require_consent(person, year)
        fu = _follow_up(person, year)
        if fu is not None and fu.assigned_to_id == officer.pk:
            raise ValidationError(
                {"officer": _("已指派%(officer)s负责，无需重复指派") % {"officer": officer_name(officer)}}
            )
        before = snapshot(fu) if fu else None
        fu = fu or FollowUp(person=person, year=year)
        fu.assigned_to, fu.assigned_on = officer, today
        fu.save()
        record("update" if before else "create", fu, before=before, after=snapshot(fu), object_repr=_repr(person, year))
    return fu


def assign_bulk(user, person_ids: list[int], year: int, officer_id) -> tuple[int, int]:
    """Assign one officer to many people of the queue; returns (assigned, skipped).

    Skipped: people outside the acting user's scope or the officer's, without the year's active consent, and
    those already assigned to him.
    """
    today = timezone.localdate()
    year = check_year(year, today)
    with transaction.atomic():
        consenting = Consent.objects.active().filter(year=year).values("person_id")
        people = list(
            Person.objects.visible_to(user, VALUES)
            .filter(pk__in=person_ids)
            .filter(pk__in=consenting)
            .select_for_update()
        )
        officer, covered = _check_officer(officer_id, [p.pk for p in people])
        existing = {f.person_id: f for f in FollowUp.objects.select_for_update().filter(person__in=people, year=year)}
        entries = []
        for person in people:
            fu = existing.get(person.pk)
            if person.pk not in covered or (fu is not None and fu.assigned_to_id == officer.pk):
                continue
            before = snapshot(fu) if fu else None
            fu = fu or FollowUp(person=person, year=year)
            fu.assigned_to, fu.assigned_on = officer, today
            fu.save()
            entries.append(
                {
                    "action": "update" if before else "create",
                    "obj": fu,
                    "before": before,
                    "after": snapshot(fu),
                    "object_repr": _repr(person, year),
                }
            )
        record_many(entries)
    return len(entries), len(set(person_ids)) - len(entries)


def _text(data: dict, key: str) -> str:
    value = (data.get(key) or "").strip()
    if len(value) > TEXT_MAX:
        raise ValidationError({key: _("内容过长（最多%(max)s字）") % {"max": TEXT_MAX}})
    return value


def _check_record(person: Person, year: int, data: dict, today: date) -> dict:
    contact_on = data.get("contact_on")
    errors: dict[str, str] = {}
    if not isinstance(contact_on, date):
        raise ValidationError({"contact_on": _("请填写联系日期")})
    checked_on = Checkup.objects.filter(person=person, year=year).values_list("checked_on", flat=True).first()
    earliest = checked_on or date(year, 1, 1)
    if contact_on > today:
        errors["contact_on"] = _("联系日期不能晚于今天")
    elif contact_on < earliest:
        errors["contact_on"] = (
            _("联系日期不能早于该年度体检日期（%(date)s）")
            if checked_on
            else _("联系日期不能早于该年度1月1日（%(date)s）")
        ) % {"date": f"{earliest:%Y-%m-%d}"}
    texts = {key: _text(data, key) for key in TEXT_KEYS}
    if not texts["advice"]:
        errors["advice"] = _("请填写随访建议")
    referral = bool(data.get("referral"))
    if referral and not texts["referral_to"]:
        errors["referral_to"] = _("已勾选转诊，请填写转诊去向")
    exam_on, next_on = data.get("exam_booked_on"), data.get("next_check_on")
    if exam_on and exam_on < contact_on:
        errors["exam_booked_on"] = _("预约检查日期不能早于联系日期")
    if next_on and next_on <= contact_on:
        errors["next_check_on"] = _("下次复查日期应晚于联系日期")
    if errors:
        raise ValidationError(errors)
    texts["referral"] = referral
    return {"contact_on": contact_on, "exam_on": exam_on, "next_on": next_on, "texts": texts}


def add_record(user, person_id: int, year: int, data: dict) -> FollowUpRecord:
    """Record one contact. Opens the follow-up if needed (assigning the recorder when no one is assigned);
    the newest contact sets the follow-up's last contact and next check dates, which the to-do list reads."""
    today = timezone.localdate()
    year = check_year(year, today)
    with transaction.atomic():
        person = recheck(Person.objects.all(), user, VALUES, person_id)
        ok = _check_record(person, year, data, today)
        _require_consent(person, year)
        fu = _follow_up(person, year)
        if fu is not None and fu.status == FollowUpStatus.CLOSED:
            raise ValidationError(_("该随访已结束，如需继续记录请先重新打开"))
        before = snapshot(fu) if fu else None
        if fu is None:
            fu = FollowUp(person=person, year=year, assigned_to=user, assigned_on=today)
        if fu.last_contact_on is None or ok["contact_on"] >= fu.last_contact_on:
            fu.last_contact_on, fu.next_check_on = ok["contact_on"], ok["next_on"]
        fu.save()
        if before is None:
            record("create", fu, after=snapshot(fu), object_repr=_repr(person, year))
        elif before != snapshot(fu):
            record("update", fu, before=before, after=snapshot(fu), object_repr=_repr(person, year))
        rec = FollowUpRecord(
            follow_up=fu,
            contact_on=ok["contact_on"],
            exam_booked_on=ok["exam_on"],
            next_check_on=ok["next_on"],
            recorded_by=user,
        )
        rec.set_text(ok["texts"])
        rec.save()
        # Dates and ids only: the texts and the referral flag are health information (PIPL art. 28).
        after = {"follow_up_id": fu.pk, "contact_on": rec.contact_on, "recorded_by_id": user.pk}
        record("create", rec, after=after, object_repr=f"{person.name} {year}年度随访记录")
    return rec


def close(user, person_id: int, year: int) -> FollowUp:
    return _set_status(user, person_id, year, FollowUpStatus.CLOSED)


def reopen(user, person_id: int, year: int) -> FollowUp:
    return _set_status(user, person_id, year, FollowUpStatus.OPEN)


def _set_status(user, person_id: int, year: int, status: str) -> FollowUp:
    today = timezone.localdate()
    year = check_year(year, today)
    with transaction.atomic():
        person = recheck(Person.objects.all(), user, VALUES, person_id)
        if status == FollowUpStatus.OPEN:
            _require_consent(person, year)
        fu = _follow_up(person, year)
        if fu is None:
            raise ValidationError(_("该人员本年度尚未开始随访"))
        if fu.status == status:
            raise ValidationError(_("随访已结束") if status == FollowUpStatus.CLOSED else _("随访未结束，无需重新打开"))
        before = snapshot(fu)
        fu.status = status
        fu.closed_on = today if status == FollowUpStatus.CLOSED else None
        fu.save()
        record("update", fu, before=before, after=snapshot(fu), object_repr=_repr(person, year))
    return fu


def first_contact_due(fu: FollowUp) -> date | None:
    if fu.last_contact_on is not None or fu.assigned_on is None:
        return None
    return fu.assigned_on + timedelta(days=FIRST_CONTACT_DAYS)
