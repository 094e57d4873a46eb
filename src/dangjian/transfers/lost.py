"""Lost-contact members (党员教育管理工作条例（2019）第24条): contacts, flags and decisions.

Flags (computed for a day; the same rule in SQL and in Python, see ``rules.latest_start_reaching``):
* ``suspend_due`` — still being looked for and not reached for 6 months or more → 停止党籍 decision due;
* ``removal_due`` — suspended 2 years or more ago and still unreachable → 自行脱党除名 decision due;
* ``restore_pending`` — reached again after the suspension → a decision to restore (恢复党籍) is due.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts import departures
from dangjian.audit.services import record, snapshot
from dangjian.core.scoping import recheck
from dangjian.people import services as people_services
from dangjian.people.models import EndCause, Membership, PoliticalStatus, StartCause
from dangjian.people.models.membership import RIGHTS_STOPPED_REASON

from .models import ContactAttempt, ContactMethod, Decision, DecisionKind, LostContact, TrackingStatus
from .rules import (
    REMOVE_YEARS,
    SUSPEND_MONTHS,
    removal_cutoff,
    removal_due_on,
    remove_years,
    rule_in_force,
    suspend_months,
    suspension_cutoff,
    suspension_due_on,
)
from .services import CHANGE


def flag_label(flag: str | None, today: date) -> str | None:
    """What a flag asks for, with the months and years of the rules in force ``today`` (the day flags are read)."""
    if flag == "suspend_due":
        return _("失联满%(n)d个月，待作出停止党籍决定") % {"n": suspend_months(today)}
    if flag == "removal_due":
        return _("停止党籍满%(n)d年，待作出除名决定") % {"n": remove_years(today)}
    if flag == "restore_pending":
        return _("已恢复联系，待作出恢复党籍决定")
    return None


def flag_q(today: date, flag: str | None = None) -> Q:
    parts = {
        "suspend_due": Q(status=TrackingStatus.TRACKING, last_contact_on__lte=suspension_cutoff(today)),
        "removal_due": Q(
            status=TrackingStatus.SUSPENDED,
            suspended_on__lte=removal_cutoff(today),
            last_contact_on__lte=F("suspended_on"),
        ),
        "restore_pending": Q(status=TrackingStatus.SUSPENDED, last_contact_on__gt=F("suspended_on")),
    }
    if flag:
        return parts[flag]
    return parts["suspend_due"] | parts["removal_due"] | parts["restore_pending"]


def flag_of(case: LostContact, today: date) -> str:
    if case.status == TrackingStatus.TRACKING and suspension_due_on(case.last_contact_on) <= today:
        return "suspend_due"
    if case.status == TrackingStatus.SUSPENDED:
        if case.last_contact_on > case.suspended_on:
            return "restore_pending"
        if removal_due_on(case.suspended_on) <= today:
            return "removal_due"
    return ""


def _day(value, field: str, label: str) -> date:
    if not isinstance(value, date):
        raise ValidationError({field: _("请填写%(label)s") % {"label": label}})
    if value > timezone.localdate():
        raise ValidationError({field: _("%(label)s不能晚于今天") % {"label": label}})
    return value


def open_case(user, person_id: int, *, last_contact_on: date, note: str = "") -> LostContact:
    """Put a member on the lost-contact list, with the last day anyone reached them."""
    _day(last_contact_on, "last_contact_on", _("最后联系上的日期"))
    with transaction.atomic():
        membership = Membership.objects.current().visible_to(user, CHANGE).filter(person_id=person_id)
        membership = membership.select_related("person", "organization").first()
        if membership is None:
            raise Http404(_("对象不存在"))
        case = LostContact.objects.select_for_update().filter(person_id=person_id).first()
        if case is not None and case.status != TrackingStatus.CLOSED:
            raise ValidationError(
                _("%(name)s已在失联党员名单中（%(status)s）")
                % {"name": membership.person.name, "status": case.get_status_display()}
            )
        before = snapshot(case) if case else None
        if case is None:
            case = LostContact(person=membership.person, created_by=user)
        case.branch = membership.organization
        case.status = TrackingStatus.TRACKING
        case.opened_on = timezone.localdate()
        case.last_contact_on = last_contact_on
        case.suspended_on = case.removed_on = None
        case.save()
        record("update" if before else "create", case, before=before, after=snapshot(case))
        attempt = ContactAttempt.objects.create(
            case=case, on=last_contact_on, method=ContactMethod.REPORTED, reached=True, note=note, recorded_by=user
        )
        record("create", attempt, after=snapshot(attempt))
    return case


def _lock(user, case_id: int) -> LostContact:
    return recheck(LostContact.objects.select_related("person", "branch"), user, CHANGE, case_id)


def record_contact(user, case_id: int, *, on: date, method: str, reached: bool, note: str = "") -> ContactAttempt:
    _day(on, "on", _("联系日期"))
    if method not in ContactMethod.values or method == ContactMethod.REPORTED:
        raise ValidationError({"method": _("请选择联系方式")})
    with transaction.atomic():
        case = _lock(user, case_id)
        if case.status == TrackingStatus.REMOVED:
            raise ValidationError(_("该党员已按自行脱党除名，不能再登记联系"))
        attempt = ContactAttempt.objects.create(
            case=case, on=on, method=method, reached=bool(reached), note=(note or "").strip(), recorded_by=user
        )
        record("create", attempt, after=snapshot(attempt))
        if reached and on > case.last_contact_on:
            before = snapshot(case)
            case.last_contact_on = on
            case.save(update_fields=["last_contact_on", "updated_at"])
            record("update", case, before=before, after=snapshot(case))
    return attempt


def _months_label(key: str, on: date) -> str:
    rule = rule_in_force(key, on)
    return f"{rule.citation}"


def decide(user, case_id: int, kind: str, data: dict) -> Decision:
    decided_on = _day(data.get("decided_on"), "decided_on", _("决定日期"))
    decided_by = (data.get("decided_by") or "").strip()
    document_ref = (data.get("document_ref") or "").strip()
    if not decided_by:
        raise ValidationError({"decided_by": _("请填写作出决定的党组织")})
    if not document_ref:
        raise ValidationError({"document_ref": _("请填写决定文件或会议记录的编号")})
    with transaction.atomic():
        case = _lock(user, case_id)
        before = snapshot(case)
        if kind == DecisionKind.SUSPEND:
            _can_suspend(case, decided_on)
            case.status, case.suspended_on = TrackingStatus.SUSPENDED, decided_on
            _stop_membership(case, decided_on)
        elif kind == DecisionKind.REMOVE:
            _can_remove(case, decided_on)
            case.status, case.removed_on = TrackingStatus.REMOVED, decided_on
            _end_membership(case, decided_on)
        elif kind == DecisionKind.RESTORE:
            _can_restore(case, decided_on)
            case.status = TrackingStatus.CLOSED
            _restore_membership(case, decided_on)
        else:
            raise ValidationError(_("未知的决定类型"))
        case.save()
        decision = Decision.objects.create(
            case=case,
            kind=kind,
            decided_on=decided_on,
            decided_by=decided_by[:100],
            document_ref=document_ref[:100],
            note=(data.get("note") or "").strip(),
            recorded_by=user,
        )
        record("create", decision, after=snapshot(decision))
        record("update", case, before=before, after=snapshot(case), detail={"decision": kind})
    return decision


def _can_suspend(case: LostContact, on: date) -> None:
    if case.status != TrackingStatus.TRACKING:
        raise ValidationError(
            _("当前状态为「%(status)s」，不能作出停止党籍决定") % {"status": case.get_status_display()}
        )
    due = suspension_due_on(case.last_contact_on)
    if on < due:
        message = _("自最后联系（%(last)s）起未满%(n)d个月，%(due)s起方可停止党籍（%(citation)s）") % {
            "last": f"{case.last_contact_on:%Y-%m-%d}",
            "n": suspend_months(case.last_contact_on),
            "due": f"{due:%Y-%m-%d}",
            "citation": _months_label(SUSPEND_MONTHS, on),
        }
        raise ValidationError({"decided_on": message})


def _can_remove(case: LostContact, on: date) -> None:
    if case.status != TrackingStatus.SUSPENDED:
        raise ValidationError(
            _("当前状态为「%(status)s」，只有停止党籍的党员才能按自行脱党除名") % {"status": case.get_status_display()}
        )
    if case.last_contact_on > case.suspended_on:
        raise ValidationError(_("停止党籍后已恢复联系，应先了解其现实表现并作出恢复党籍等决定，不能按自行脱党除名"))
    due = removal_due_on(case.suspended_on)
    if on < due:
        message = _("停止党籍（%(suspended)s）未满%(n)d年，%(due)s起方可按自行脱党除名（%(citation)s）") % {
            "suspended": f"{case.suspended_on:%Y-%m-%d}",
            "n": remove_years(case.suspended_on),
            "due": f"{due:%Y-%m-%d}",
            "citation": _months_label(REMOVE_YEARS, on),
        }
        raise ValidationError({"decided_on": message})


def _can_restore(case: LostContact, on: date) -> None:
    if case.status != TrackingStatus.SUSPENDED:
        raise ValidationError(_("当前状态为「%(status)s」，无需恢复党籍") % {"status": case.get_status_display()})
    if case.last_contact_on <= case.suspended_on:
        raise ValidationError(_("停止党籍后尚未登记联系上该党员，请先登记联系记录"))
    if on < case.last_contact_on:
        raise ValidationError(
            {"decided_on": _("决定日期不能早于恢复联系的日期 %(date)s") % {"date": f"{case.last_contact_on:%Y-%m-%d}"}}
        )


def _stop_membership(case: LostContact, on: date) -> None:
    """停止党籍 (党员教育管理工作条例（2019）第24条) takes the member off the branch's rolls from the decision day:
    the current membership ends that day (the row stays, with its reason), so every app that reads current
    memberships — rosters, dues, counts, hosts — leaves the member out without knowing about lost contact."""
    if Membership.objects.current().filter(person=case.person).exists():
        people_services.end_membership(case.person, on=on, reason=RIGHTS_STOPPED_REASON, cause=EndCause.SUSPENDED)


def _restore_membership(case: LostContact, on: date) -> None:
    """恢复党籍 puts the member back on the rolls from the decision day: a new membership in the branch the stop
    ended, with the same status and dates of admission and conversion (the stop does not undo them)."""
    if Membership.objects.current().filter(person=case.person).exists():
        return  # already back on a branch's rolls (e.g. the stop predates memberships ending at it)
    stopped = (
        Membership.objects.filter(person=case.person, end_reason=RIGHTS_STOPPED_REASON, ended_on__lte=on)
        .select_related("organization")
        .order_by("-ended_on", "-id")
        .first()
    )
    if stopped is None:
        raise ValidationError(_("找不到停止党籍时结束的组织关系，无法恢复党籍"))
    restored = Membership.objects.create(
        person=case.person,
        organization=stopped.organization,
        group=stopped.group,
        status=stopped.status,
        applied_on=stopped.applied_on,
        admitted_on=stopped.admitted_on,
        converted_on=stopped.converted_on,
        party_post="",
        discipline_probation_from=stopped.discipline_probation_from,
        discipline_probation_until=stopped.discipline_probation_until,
        started_on=on,
        start_cause=StartCause.RESTORED,
    )
    record("create", restored, after=snapshot(restored), detail={"lost_contact": case.pk, "decision": "restore"})
    # the account the stop closed (accounts.departures) opens again; one an administrator disabled stays shut
    departures.person_returned(case.person_id, stopped.pk, _("恢复党籍"))


def _end_membership(case: LostContact, on: date) -> None:
    """Removal (除名) ends the membership (if the stop has not already ended it) and the person is no longer a
    party member."""
    if Membership.objects.current().filter(person=case.person).exists():
        people_services.end_membership(case.person, on=on, reason="按自行脱党除名（失联）", cause=EndCause.REMOVED)
    person = case.person
    if person.political_status != PoliticalStatus.MASSES:
        before = snapshot(person)
        person.political_status = PoliticalStatus.MASSES
        person.save(update_fields=["political_status", "updated_at"])
        record("update", person, before=before, after=snapshot(person), detail={"lost_contact": case.pk})


def close(user, case_id: int, *, reason: str) -> LostContact:
    """Contact regained before any suspension: stop tracking (the contact log stays)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请说明恢复联系的情况")})
    with transaction.atomic():
        case = _lock(user, case_id)
        if case.status != TrackingStatus.TRACKING:
            raise ValidationError(
                _("当前状态为「%(status)s」，不能直接结束跟踪") % {"status": case.get_status_display()}
            )
        before = snapshot(case)
        case.status = TrackingStatus.CLOSED
        case.save(update_fields=["status", "updated_at"])
        record("update", case, before=before, after=snapshot(case), detail={"reason": reason})
    return case
