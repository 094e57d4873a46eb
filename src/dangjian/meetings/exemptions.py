"""Recording and withdrawing an exemption from 应到会 (不计入应到会人数), see ``models.exemption``.

Each function is one user intention in one transaction that re-checks scope and writes its audit event. The
attendance lists of the branch's meetings that are still open (planned or held, minutes not yet recorded) follow
at once: the member stays on the list, outside the count; a list whose minutes are recorded keeps the count its
quorum was judged by.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.audit.services import record, snapshot
from dangjian.core.scoping import recheck
from dangjian.orgs.models import Organization
from dangjian.people.models import Membership

from .models import Attendance, AttendanceExemption, ExemptionReason, Meeting, MeetingKind, MeetingStatus

PERM = "meetings.change"
# The lists that still change: the quorum of a meeting whose minutes are recorded was judged by its list as it was.
OPEN = (MeetingStatus.PLANNED, MeetingStatus.HELD)
# A committee meeting's list is the committee in office (委员), not the members: an exemption does not touch it.
COMMITTEE_KINDS = (MeetingKind.COMMITTEE_MEETING, MeetingKind.CENTRAL_GROUP_STUDY)


def _member_on_period(org: Organization, person_id: int, first: date, last: date | None) -> None:
    rows = Membership.objects.filter(organization=org, person_id=person_id, started_on__lte=first)
    rows = rows.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=last)) if last else rows.filter(ended_on__isnull=True)
    if not rows.exists():
        raise ValidationError({"person": _("该党员在所填期间不是本支部党员")})


def _approver(org: Organization, approved_by_id: int | None) -> Organization:
    """上级党组织批准: an organisation above the branch (an ancestor), never the branch itself."""
    approver = Organization.objects.filter(pk=approved_by_id).first() if approved_by_id else None
    if approver is None or approver.pk == org.pk or not org.path.startswith(approver.path):
        raise ValidationError({"approved_by": _("须由本支部的上级党组织批准")})
    return approver


def branch_meetings(org: Organization):
    """Meetings of the branch and of its party groups whose list an exemption changes."""
    return (
        Meeting.objects.filter(organization__path__startswith=org.path, status__in=OPEN)
        .exclude(kind__in=COMMITTEE_KINDS)
        .order_by()
    )


def _check(org: Organization, data: dict) -> tuple[Meeting | None, date | None, date | None]:
    if data.get("reason") not in ExemptionReason.values:
        raise ValidationError({"reason": _("请选择原因")})
    if data.get("reason") == ExemptionReason.OTHER and not (data.get("detail") or "").strip():
        raise ValidationError({"detail": _("原因为“其他”时请填写情况说明")})
    approved_on = data.get("approved_on")
    if not isinstance(approved_on, date) or approved_on > timezone.localdate():
        raise ValidationError({"approved_on": _("请填写批准日期（不能晚于今天）")})
    if not (data.get("document_number") or "").strip():
        raise ValidationError({"document_number": _("请填写批准文号或批准依据")})
    meeting_id, first, last = data.get("meeting_id"), data.get("starts_on"), data.get("ends_on")
    if meeting_id and (first or last):
        raise ValidationError(_("请选择一次会议，或填写起止日期，不能同时填写"))
    if meeting_id:
        meeting = branch_meetings(org).filter(pk=meeting_id).first()
        if meeting is None:
            raise ValidationError({"meeting": _("请选择本支部尚未形成会议记录的会议")})
        day = timezone.localdate(meeting.starts_at)
        _member_on_period(org, data["person_id"], day, day)
        return meeting, None, None
    if not isinstance(first, date):
        raise ValidationError({"starts_on": _("请选择一次会议，或填写起始日期")})
    if last is not None and last < first:
        raise ValidationError({"ends_on": _("截止日期不能早于起始日期")})
    _member_on_period(org, data["person_id"], first, last)
    return None, first, last


def record_exemption(user, org_id: int, data: dict) -> AttendanceExemption:
    """``data``: person_id, reason, detail, meeting_id or starts_on/ends_on, approved_by_id, approved_on,
    document_number."""
    with transaction.atomic():
        org = recheck(Organization.objects.all(), user, PERM, org_id)
        if org.kind != "branch":
            raise ValidationError(_("不计入应到会人数以党支部为单位登记"))
        approver = _approver(org, data.get("approved_by_id"))
        meeting, first, last = _check(org, data)
        exemption = AttendanceExemption(
            person_id=data["person_id"],
            organization=org,
            reason=data["reason"],
            detail=(data.get("detail") or "").strip()[:200],
            meeting=meeting,
            starts_on=first,
            ends_on=last,
            approved_by=approver,
            approved_on=data["approved_on"],
            document_number=data["document_number"].strip()[:100],
            recorded_by=user,
        )
        exemption.save()
        if meeting is not None:
            meetings = branch_meetings(org).filter(pk=meeting.pk)
        else:
            meetings = branch_meetings(org).filter(starts_at__date__gte=first)
            meetings = meetings.filter(starts_at__date__lte=last) if last else meetings
        rows = Attendance.objects.filter(meeting__in=meetings, person_id=exemption.person_id, exemption__isnull=True)
        changed = rows.update(expected=False, exemption=exemption)
        record("create", exemption, after=snapshot(exemption), detail={"attendance_rows": changed})
    return exemption


def withdraw_exemption(user, exemption_id: int, reason: str) -> AttendanceExemption:
    """Withdrawn (撤销), never erased: the member counts as due again on the open lists it covered, unless another
    exemption in force still covers that meeting."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写撤销原因")})
    with transaction.atomic():
        exemption = recheck(AttendanceExemption.objects.all(), user, PERM, exemption_id)
        before = snapshot(exemption)
        exemption.mark_deleted(user)
        exemption.withdrawn_reason = reason[:200]
        exemption.save(update_fields=["deleted_at", "deleted_by", "withdrawn_reason", "updated_at"])
        rows = list(
            Attendance.objects.select_for_update()
            .filter(exemption=exemption, meeting__status__in=OPEN)
            .select_related("meeting")
        )
        others = list(
            AttendanceExemption.objects.filter(person_id=exemption.person_id, organization_id=exemption.organization_id)
        )
        for row in rows:
            row.exemption = _covering(others, row.meeting)
            row.expected = row.exemption is None
            row.save(update_fields=["exemption", "expected"])
        record("delete", exemption, before=before, detail={"reason": reason, "attendance_rows": len(rows)})
    return exemption


def _covering(exemptions: list[AttendanceExemption], meeting: Meeting) -> AttendanceExemption | None:
    day = timezone.localdate(meeting.starts_at)
    for e in exemptions:
        if e.meeting_id == meeting.pk:
            return e
        if e.meeting_id is None and e.starts_on and e.starts_on <= day and (e.ends_on is None or day <= e.ends_on):
            return e
    return None
