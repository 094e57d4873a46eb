"""The write side of organisational life: plan, attend, record, lock, amend.

Each function is one user intention in one transaction that re-checks scope
and writes its audit event.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.audit.services import record, save_changes, snapshot
from dangjian.core.conflicts import ensure_unchanged
from dangjian.core.scoping import recheck
from dangjian.orgs.models import Organization

from . import rules
from .models import Amendment, Attendance, AttendanceStatus, Meeting, MeetingStatus, Resolution
from .roster import expected_attendees

PERM = "meetings.change"
# Tags a secretary needs for minutes; everything else (scripts, styles, links to elsewhere) is dropped.
MINUTES_TAGS = {"p", "br", "strong", "em", "u", "ol", "ul", "li", "h3", "h4", "blockquote", "table", "tr", "td", "th"}


def sanitize_minutes(html: str) -> str:
    return nh3.clean(html or "", tags=MINUTES_TAGS, attributes={}, link_rel=None).strip()


def _editable(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.LOCKED:
        raise ValidationError(_("会议记录已归档，只能以更正方式修改"))
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("会议已取消"))


def plan_meeting(user, org_id: int, data: dict) -> Meeting:
    with transaction.atomic():
        org = recheck(Organization.objects.all(), user, PERM, org_id)
        if org.dissolved_on and org.dissolved_on <= timezone.localdate(data["starts_at"]):
            raise ValidationError(_("该组织已撤销，不能安排会议"))
        meeting = Meeting(organization=org, **data)
        meeting.full_clean()
        meeting.save()
        roster = expected_attendees(org, meeting.kind, timezone.localdate(meeting.starts_at))
        Attendance.objects.bulk_create(
            [
                Attendance(
                    meeting=meeting, person_id=r.person_id, voting=r.voting, expected=r.expected,
                    exemption_id=r.exemption_id,
                )
                for r in roster
            ]
        )  # fmt: skip
        after = {k: v for k, v in snapshot(meeting).items() if k != "checkin_token"}  # a secret: not for the log
        record("create", meeting, after={**after, "expected": sum(1 for r in roster if r.expected)})
    return meeting


def update_meeting(user, meeting_id: int, data: dict) -> Meeting:
    with transaction.atomic():
        meeting = recheck(Meeting.objects.all(), user, PERM, meeting_id)
        _editable(meeting)
        save_changes(meeting, data)
    return meeting


def set_attendance(user, meeting_id: int, entries: dict[int, tuple[str, str]]) -> int:
    """entries: person id -> (status, reason). Excused absences need a reason."""
    with transaction.atomic():
        meeting = recheck(Meeting.objects.all(), user, PERM, meeting_id)
        _editable(meeting)
        if meeting.status == MeetingStatus.MINUTES_RECORDED:
            raise ValidationError(_("会议记录已形成，出席情况不能再修改（法定人数已据此核定）"))
        rows = {a.person_id: a for a in meeting.attendances.select_for_update()}
        changed = []
        for person_id, (status, reason) in entries.items():
            if status not in AttendanceStatus.values:
                raise ValidationError({"status": _("无效的出席情况：%(status)s") % {"status": status}})
            if status == AttendanceStatus.EXCUSED and not reason.strip():
                raise ValidationError({"reason": _("请假须填写事由")})
            row = rows.get(person_id)
            if row is None:
                raise ValidationError(_("该人员不在应到名单中"))
            if (row.status, row.reason) != (status, reason):
                changed.append({"person": person_id, "before": row.status, "after": status})
                row.status, row.reason = status, reason
                row.save(update_fields=["status", "reason"])
        if changed:
            record("update", meeting, detail={"attendance": changed})
    return len(changed)


def checkin_window(meeting: Meeting) -> tuple[datetime, datetime]:
    """When a meeting takes check-ins: from ``CHECKIN_WINDOW_MINUTES`` before its start to as long after its end."""
    margin = timedelta(minutes=settings.CHECKIN_WINDOW_MINUTES)
    return meeting.starts_at - margin, meeting.ends_at + margin


def check_in(user, token: str, now=None) -> Attendance:
    """A member scans the meeting's QR code. Checking in twice changes nothing.

    The conditional UPDATE makes the second of two simultaneous scans a no-op
    rather than a second write, so concurrent check-ins neither lose nor double.
    """
    now = now or timezone.now()
    meeting = Meeting.objects.filter(checkin_token=token).first()
    if meeting is None:
        raise ValidationError(_("签到码无效"))
    opens, closes = checkin_window(meeting)
    if not (opens <= now <= closes):
        raise ValidationError(_("不在签到时间内（会议开始前后规定时间内可签到）"))
    if meeting.status in (MeetingStatus.LOCKED, MeetingStatus.CANCELLED):
        raise ValidationError(_("会议已归档或已取消，不能签到"))
    if not user.person_id:
        raise ValidationError(_("您的账号未关联职工信息，无法签到"))
    with transaction.atomic():
        updated = Attendance.objects.filter(
            meeting=meeting, person_id=user.person_id, checked_in_at__isnull=True
        ).update(status=AttendanceStatus.PRESENT, checked_in_at=now, via_qr=True)
        attendance = Attendance.objects.filter(meeting=meeting, person_id=user.person_id).first()
        if attendance is None:
            raise ValidationError(_("您不在本次会议的应到名单中"))
        if updated:
            record("update", attendance, detail={"check_in": True, "meeting": meeting.pk})
    return attendance


def mark_held(user, meeting_id: int) -> Meeting:
    with transaction.atomic():
        meeting = recheck(Meeting.objects.all(), user, PERM, meeting_id)
        if meeting.status != MeetingStatus.PLANNED:
            raise ValidationError(_("只有已计划的会议可以标记为已召开"))
        if meeting.starts_at > timezone.now():
            raise ValidationError(_("会议尚未开始"))
        save_changes(meeting, {"status": MeetingStatus.HELD})
    return meeting


def quorum(meeting: Meeting) -> tuple[int, int, bool]:
    """(due voting, present voting, quorum met) from the attendance list: 半数以上, at least half (art. 11, 12)."""
    voting = meeting.attendances.filter(expected=True, voting=True)
    due = voting.count()
    present = voting.filter(status__in=[AttendanceStatus.PRESENT, AttendanceStatus.ELSEWHERE]).count()
    on = timezone.localdate(meeting.starts_at)
    met = rules.committee_quorum_met if meeting.needs_quorum else rules.quorum_met
    return due, present, met(due, present, on)


def _minutes_unchanged(meeting: Meeting, loaded_version: str | None, clean: str) -> None:
    """Two people recording the same minutes: the later save is refused with the difference (core.conflicts)."""
    from .forms import html_to_text

    ensure_unchanged(meeting, ["minutes"], loaded_version, {"minutes": clean}, lambda _n, v: html_to_text(v) or "—")


def record_minutes(
    user, meeting_id: int, minutes: str, resolutions: list[dict], *, loaded_version: str | None = None
) -> Meeting:
    """Minutes of any meeting are recorded whatever the attendance, except a committee meeting below its quorum
    (支部工作条例 art. 12); a resolution needs the quorum of a vote (art. 11: 半数以上有表决权的党员到会)."""
    with transaction.atomic():
        meeting = recheck(Meeting.objects.all(), user, PERM, meeting_id)
        _editable(meeting)
        if meeting.status == MeetingStatus.PLANNED:
            raise ValidationError(_("请先确认会议已召开"))
        clean = sanitize_minutes(minutes)
        _minutes_unchanged(meeting, loaded_version, clean)
        if not clean:
            raise ValidationError({"minutes": _("会议记录不能为空")})
        if resolutions and meeting.resolutions.exists():
            raise ValidationError({"resolutions": _("表决事项已记录，不能重复录入")})
        due, present, met = quorum(meeting)
        if meeting.needs_quorum and not met:
            raise ValidationError(
                _(
                    "未达到法定人数：应到委员 %(due)s 人，实到 %(present)s 人，"
                    "支部委员会会议须有半数以上委员到会方可进行"
                )
                % {"due": due, "present": present}
            )
        if resolutions and not met:
            raise ValidationError(
                {
                    "resolutions": _(
                        "到会不足半数，不能表决：应到有表决权 %(due)s 人，实到 %(present)s 人"
                        "（表决必须有半数以上有表决权的党员到会方可进行）"
                    )
                    % {"due": due, "present": present}
                }
            )
        on = timezone.localdate(meeting.starts_at)
        for item in resolutions:
            yes, no, abstain = item["yes"], item["no"], item["abstain"]
            if yes + no + abstain > present:
                raise ValidationError(
                    {
                        "resolutions": _("「%(title)s」的票数之和超过实到有表决权人数 %(present)s")
                        % {"title": item["title"], "present": present}
                    }
                )
            resolution = Resolution.objects.create(
                meeting=meeting,
                title=item["title"],
                due_voting=due,
                yes=yes,
                no=no,
                abstain=abstain,
                passed=rules.resolution_passes(due, yes, on),
            )
            record("create", resolution, after=snapshot(resolution))
        save_changes(meeting, {"minutes": clean, "status": MeetingStatus.MINUTES_RECORDED})
    return meeting


def lock(user, meeting_id: int) -> Meeting:
    with transaction.atomic():
        meeting = recheck(Meeting.objects.all(), user, PERM, meeting_id)
        if meeting.status != MeetingStatus.MINUTES_RECORDED:
            raise ValidationError(_("只有已记录的会议可以归档"))
        save_changes(meeting, {"status": MeetingStatus.LOCKED, "locked_at": timezone.now(), "locked_by": user})
    return meeting


def amend(user, meeting_id: int, minutes: str, reason: str, *, loaded_version: str | None = None) -> Amendment:
    """After locking, the record changes only by an amendment that keeps the old text and the reason."""
    if not reason.strip():
        raise ValidationError({"reason": _("请填写更正原因")})
    with transaction.atomic():
        meeting = recheck(Meeting.objects.all(), user, PERM, meeting_id)
        if meeting.status != MeetingStatus.LOCKED:
            raise ValidationError(_("未归档的会议记录可直接修改"))
        clean = sanitize_minutes(minutes)
        _minutes_unchanged(meeting, loaded_version, clean)
        if clean == meeting.minutes:
            raise ValidationError({"minutes": _("更正内容与原记录相同")})
        amendment = Amendment.objects.create(
            meeting=meeting, reason=reason, before=meeting.minutes, after=clean, by=user
        )
        Meeting.objects.filter(pk=meeting.pk).update(minutes=clean, updated_at=timezone.now())
        record(
            "update",
            meeting,
            before={"minutes": amendment.before},
            after={"minutes": clean},
            detail={"amendment": reason},
        )
    return amendment


def cancel(user, meeting_id: int, reason: str) -> Meeting:
    if not reason.strip():
        raise ValidationError({"reason": _("请填写取消原因")})
    with transaction.atomic():
        meeting = recheck(Meeting.objects.all(), user, PERM, meeting_id)
        if meeting.status != MeetingStatus.PLANNED:
            raise ValidationError(_("只有尚未召开的会议可以取消"))
        before = snapshot(meeting)
        meeting.status = MeetingStatus.CANCELLED
        meeting.save(update_fields=["status", "updated_at"])
        record("update", meeting, before=before, after=snapshot(meeting), detail={"reason": reason})
    return meeting
