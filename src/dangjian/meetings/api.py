"""Meetings for other systems: the list, one meeting with its attendance and resolutions, planning a meeting and
recording attendance, the exemptions from 应到会 (不计入应到会人数), through the same services (and so the same
rules and audit) as the pages.
"""

# No "from __future__ import annotations": django-ninja resolves these annotations when it builds the schema.
from datetime import date, datetime, timedelta

from django.db.models import Prefetch, Q
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangjian.api.common import BoundedLimitOffsetPagination, ErrorOut, ScopedFilter, need
from dangjian.core.scoping import get_visible

from . import exemptions, services
from .forms import text_to_html
from .models import Attendance, AttendanceExemption, ExemptionReason, Meeting, MeetingKind, MeetingStatus

VIEW, CHANGE = "meetings.view", services.PERM

router = Router(tags=["meetings"])


class MeetingOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    kind: str
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str
    status: str

    @staticmethod
    def resolve_organization_name(m: Meeting) -> str:
        return m.organization.name


class AttendanceOut(Schema):
    person_id: int
    name: str
    expected: bool
    voting: bool
    status: str
    reason: str
    checked_in_at: datetime | None
    exempted: bool = Field(False, description="经上级党组织批准不计入应到会人数（expected 为 false）")

    @staticmethod
    def resolve_name(a: Attendance) -> str:
        return a.person.name

    @staticmethod
    def resolve_exempted(a: Attendance) -> bool:
        return a.exemption_id is not None


class ResolutionOut(Schema):
    id: int
    title: str
    due_voting: int
    yes: int
    no: int
    abstain: int
    passed: bool


class MeetingDetailOut(MeetingOut):
    agenda: str
    minutes: str
    locked_at: datetime | None
    attendance: list[AttendanceOut]
    resolutions: list[ResolutionOut]

    @staticmethod
    def resolve_attendance(m: Meeting) -> list:
        return list(m.attendances.all())

    @staticmethod
    def resolve_resolutions(m: Meeting) -> list:
        return list(m.resolutions.all())


class MeetingFilter(ScopedFilter):
    organization: int | None = Field(None, description="党组织 id（含下级组织）")
    kind: MeetingKind | None = None
    status: MeetingStatus | None = None
    date_from: date | None = Field(None, description="开始日期不早于")
    date_to: date | None = Field(None, description="开始日期不晚于")

    def filter_organization(self, value: int | None) -> Q:
        return self.in_scope_subtree("organization", value)

    def filter_date_from(self, value: date | None) -> Q:
        return Q(starts_at__gte=_day_start(value)) if value else Q()

    def filter_date_to(self, value: date | None) -> Q:
        return Q(starts_at__lt=_day_start(value) + timedelta(days=1)) if value else Q()


class MeetingIn(Schema):
    organization_id: int
    kind: str
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str = ""
    agenda: str = ""


class AttendanceEntry(Schema):
    person_id: int
    status: str
    reason: str = ""


class AttendanceIn(Schema):
    entries: list[AttendanceEntry]


class ResolutionIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    yes: int = Field(..., ge=0, le=99999)
    no: int = Field(0, ge=0, le=99999)
    abstain: int = Field(0, ge=0, le=99999)


class MinutesIn(Schema):
    minutes: str = Field(..., description="会议记录（纯文本，空行分段）")
    resolutions: list[ResolutionIn] = []


def _aware(value: datetime) -> datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def _detail(request, meeting_id: int) -> Meeting:
    attendance = Attendance.objects.select_related("person").order_by("person__sort_key", "person__name", "person_id")
    qs = Meeting.objects.select_related("organization").prefetch_related(
        Prefetch("attendances", queryset=attendance), "resolutions"
    )
    return get_visible(qs, request.user, VIEW, pk=meeting_id)


@router.get("meetings", response={200: list[MeetingOut], 422: ErrorOut})
@paginate(BoundedLimitOffsetPagination)
def list_meetings(request, filters: Query[MeetingFilter]):
    need(request, VIEW)
    qs = Meeting.objects.visible_to(request.user, VIEW).select_related("organization").order_by("-starts_at", "-id")
    return filters.apply(qs, request, VIEW)


@router.get("meetings/{int:meeting_id}", response=MeetingDetailOut)
def get_meeting(request, meeting_id: int):
    need(request, VIEW)
    return _detail(request, meeting_id)


@router.post("meetings", response={201: MeetingDetailOut, 422: ErrorOut})
def plan_meeting(request, body: MeetingIn):
    """Plans a meeting; its expected attendees are taken from the roster as on the page."""
    need(request, CHANGE)
    data = body.dict(exclude={"organization_id"})
    data["starts_at"], data["ends_at"] = _aware(body.starts_at), _aware(body.ends_at)
    meeting = services.plan_meeting(request.user, body.organization_id, data)
    return Status(201, _detail(request, meeting.pk))


@router.put("meetings/{int:meeting_id}/attendance", response={200: MeetingDetailOut, 422: ErrorOut})
def record_attendance(request, meeting_id: int, body: AttendanceIn):
    """Sets the status (and the reason of an excused absence) of attendees on the meeting's list."""
    need(request, CHANGE)
    get_visible(Meeting.objects.all(), request.user, CHANGE, pk=meeting_id)
    entries = {e.person_id: (e.status, e.reason.strip()) for e in body.entries}
    services.set_attendance(request.user, meeting_id, entries)
    return Status(200, _detail(request, meeting_id))


@router.post("meetings/{int:meeting_id}/held", response={200: MeetingDetailOut, 422: ErrorOut})
def mark_held(request, meeting_id: int):
    """Confirms that a planned meeting took place (once it has started)."""
    need(request, CHANGE)
    get_visible(Meeting.objects.all(), request.user, CHANGE, pk=meeting_id)
    services.mark_held(request.user, meeting_id)
    return Status(200, _detail(request, meeting_id))


@router.post("meetings/{int:meeting_id}/minutes", response={200: MeetingDetailOut, 422: ErrorOut})
def record_minutes(request, meeting_id: int, body: MinutesIn):
    """The minutes and the votes taken; refused without a quorum where the meeting decides (支部工作条例 art. 11)."""
    need(request, CHANGE)
    get_visible(Meeting.objects.all(), request.user, CHANGE, pk=meeting_id)
    resolutions = [r.dict() for r in body.resolutions]
    services.record_minutes(request.user, meeting_id, text_to_html(body.minutes), resolutions)
    return Status(200, _detail(request, meeting_id))


@router.post("meetings/{int:meeting_id}/lock", response={200: MeetingDetailOut, 422: ErrorOut})
def lock(request, meeting_id: int):
    """Archives the record; later changes are corrections with a reason, on the page."""
    need(request, CHANGE)
    get_visible(Meeting.objects.all(), request.user, CHANGE, pk=meeting_id)
    services.lock(request.user, meeting_id)
    return Status(200, _detail(request, meeting_id))


class ExemptionOut(Schema):
    id: int
    person_id: int
    name: str
    organization_id: int
    reason: ExemptionReason
    detail: str
    meeting_id: int | None
    starts_on: date | None
    ends_on: date | None
    approved_by_id: int
    approved_on: date
    document_number: str

    @staticmethod
    def resolve_name(e: AttendanceExemption) -> str:
        return e.person.name


class ExemptionFilter(ScopedFilter):
    organization: int | None = Field(None, description="党组织 id（含下级组织）")
    state: str | None = Field(None, pattern="^(current|ended)$", description="current 有效 / ended 已结束")

    def filter_organization(self, value: int | None) -> Q:
        return self.in_scope_subtree("organization", value)

    def filter_state(self, value: str | None) -> Q:
        today = timezone.localdate()
        ended = Q(meeting__isnull=True, ends_on__lt=today) | Q(meeting__starts_at__date__lt=today)
        return {None: Q(), "ended": ended}.get(value, ~ended)


class ExemptionIn(Schema):
    organization_id: int = Field(..., description="党支部 id")
    person_id: int
    reason: ExemptionReason
    detail: str = Field("", max_length=200)
    meeting_id: int | None = Field(None, description="只针对一次会议时填写；否则填写起止日期")
    starts_on: date | None = None
    ends_on: date | None = Field(None, description="不填表示长期")
    approved_by_id: int = Field(..., description="批准的上级党组织 id")
    approved_on: date
    document_number: str = Field(..., min_length=1, max_length=100)


@router.get("attendance-exemptions", response={200: list[ExemptionOut], 422: ErrorOut})
@paginate(BoundedLimitOffsetPagination)
def list_exemptions(request, filters: Query[ExemptionFilter]):
    """Members left out of 应到会 with the upper organisation's approval (参考做法), in force or ended."""
    need(request, VIEW)
    qs = AttendanceExemption.objects.visible_to(request.user, VIEW).select_related("person")
    return filters.apply(qs.order_by("-approved_on", "-id"), request, VIEW)


@router.post("attendance-exemptions", response={201: ExemptionOut, 422: ErrorOut})
def record_exemption(request, body: ExemptionIn):
    """Records an exemption; the branch's open attendance lists follow (the member stays listed, outside the count)."""
    need(request, CHANGE)
    data = {**body.dict(exclude={"organization_id"}), "reason": body.reason.value}
    exemption = exemptions.record_exemption(request.user, body.organization_id, data)
    return Status(201, AttendanceExemption.objects.select_related("person").get(pk=exemption.pk))
