"""The meeting list, planning and editing a meeting, and the meeting page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.accounts.scope import has_perm, scope_for
from dangjian.audit.models import AuditEvent
from dangjian.core.forms import apply_errors
from dangjian.core.paging import paginate
from dangjian.core.scoping import get_visible, require_perm
from dangjian.orgs.models import Organization

from .. import services
from ..forms import AttachmentForm, AttendanceRowForm, MeetingEditForm, MeetingFilterForm, MeetingForm
from ..models import Attachment, Attendance, AttendanceStatus, Meeting, MeetingStatus
from ..qr import checkin_url, qr_svg

PAGE_SIZE = 30
PRESENT_STATUSES = (AttendanceStatus.PRESENT, AttendanceStatus.ELSEWHERE)
# Statuses in which the record can still change (services._editable says the same for writes).
OPEN_STATUSES = (MeetingStatus.PLANNED, MeetingStatus.HELD, MeetingStatus.MINUTES_RECORDED)


def _count(**filters) -> Subquery:
    rows = Attendance.objects.filter(meeting=OuterRef("pk"), **filters).order_by()
    return Subquery(rows.values("meeting").annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField())


@require_perm("meetings.view")
def meeting_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    orgs = Organization.objects.visible_to(user, "meetings.view").order_by("path")
    form = MeetingFilterForm(request.GET or None, orgs=orgs)
    qs = form.apply(Meeting.objects.visible_to(user).select_related("organization"))
    qs = qs.annotate(due_count=_count(expected=True), present_count=_count(status__in=PRESENT_STATUSES))
    scope = scope_for(user, "meetings.view")
    show_mine = bool(user.person_id and scope.person_ids)
    if show_mine:
        mine = Attendance.objects.filter(meeting=OuterRef("pk"), person_id=user.person_id)
        qs = qs.annotate(my_status=Subquery(mine.values("status")[:1]))
    qs = qs.order_by("-starts_at", "-id")
    page = paginate(request, qs, PAGE_SIZE)
    page.object_list = list(page.object_list)
    if show_mine:
        labels = dict(AttendanceStatus.choices)
        for m in page.object_list:
            m.my_status_label = labels.get(m.my_status, "")
    return render(
        request,
        "meetings/list.html",
        {
            "page": page,
            "form": form,
            "show_org_filter": scope.has_orgs or scope.everything,
            "show_mine": show_mine,
            "can_change": has_perm(user, "meetings.change"),
            "filtered": bool(page.filters),
        },
    )


def _change_orgs(user):
    return Organization.objects.visible_to(user, "meetings.change").active().order_by("path")


@require_perm("meetings.change")
def meeting_create(request: HttpRequest) -> HttpResponse:
    orgs = _change_orgs(request.user)
    org_id = request.GET.get("org") or request.GET.get("organization") or ""
    org = orgs.filter(pk=int(org_id)).first() if org_id.isdigit() else None
    initial = {"organization": org} if org else {}
    form = MeetingForm(request.POST or None, orgs=orgs, org=org, initial=initial, people_url=reverse("meetings:create"))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.plan_meeting(request.user, form.cleaned_data["organization"].pk, form.service_data())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("已安排会议，应到 %(n)d 人") % {"n": meeting.attendances.filter(expected=True).count()},
            )
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request,
        "meetings/form.html",
        {"form": form, "title": _("安排会议"), "cancel_url": reverse("meetings:list")},
    )


@require_perm("meetings.change")
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_visible(Meeting.objects.select_related("organization"), request.user, "meetings.change", pk=pk)
    url = reverse("meetings:detail", args=[meeting.pk])
    if meeting.status not in OPEN_STATUSES:
        messages.error(request, _("已归档或已取消的会议不能编辑"))
        return redirect(url)
    form = MeetingEditForm(request.POST or None, instance=meeting, org=meeting.organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_meeting(request.user, meeting.pk, form.service_data())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect(url)
    title = _("编辑会议：%(title)s") % {"title": meeting.title}
    return render(request, "meetings/form.html", {"form": form, "title": title, "cancel_url": url, "meeting": meeting})


def attendance_forms(attendances: list[Attendance], data=None) -> list[tuple[Attendance, AttendanceRowForm]]:
    return [
        (
            a,
            AttendanceRowForm(
                data,
                prefix=f"p{a.person_id}",
                initial={"status": a.status, "reason": a.reason},
                person_name=a.person.name,
            ),
        )
        for a in attendances
    ]


def meeting_history(meeting: Meeting, attendances: list[Attendance], resolutions: list) -> list[AuditEvent]:
    """The meeting's own events plus those of its attendance rows (check-ins), attachments and resolutions.

    Every part is looked up by object id, so the audit table's (object_type, object_id) index serves it.
    """
    attachment_ids = [str(pk) for pk in Attachment.objects.filter(meeting=meeting).values_list("pk", flat=True)]
    q = Q(object_type="meetings.meeting", object_id=str(meeting.pk))
    for object_type, ids in (
        ("meetings.attendance", [str(a.pk) for a in attendances]),
        ("meetings.attachment", attachment_ids),
        ("meetings.resolution", [str(r.pk) for r in resolutions]),
    ):
        if ids:
            q |= Q(object_type=object_type, object_id__in=ids)
    return list(AuditEvent.objects.filter(q).select_related("actor").order_by("-id")[:50])


def detail_context(request: HttpRequest, meeting: Meeting, row_forms=None) -> dict:
    """Everything the meeting page shows; the attendance view reuses it to show its errors in place."""
    user = request.user
    scope = scope_for(user, "meetings.view")
    # A member sees the meetings they are due at, but only their own line of the attendance list.
    full_view = scope.covers_path(meeting.organization.path)
    rows = meeting.attendances.select_related("person").order_by(
        "-expected", "-voting", "person__sort_key", "person__name", "pk"
    )
    if not full_view:
        rows = rows.filter(person_id=user.person_id)
    attendances = list(rows)
    mine = next((a for a in attendances if user.person_id and a.person_id == user.person_id), None)
    can_change = has_perm(user, "meetings.change") and (
        Meeting.objects.visible_to(user, "meetings.change").filter(pk=meeting.pk).exists()
    )
    is_open = meeting.status in OPEN_STATUSES
    due, present, met = services.quorum(meeting)
    resolutions = list(meeting.resolutions.all())
    ctx = {
        "meeting": meeting,
        "full_view": full_view,
        "attendances": attendances,
        "mine": mine,
        "row_forms": row_forms or (attendance_forms(attendances) if can_change and is_open else None),
        "due": due,
        "present": present,
        "quorum_met": met,
        "resolutions": resolutions,
        "amendments": list(meeting.amendments.select_related("by")),
        "attachments": list(meeting.attachments.filter(removed_at__isnull=True).select_related("uploaded_by")),
        "can_change": can_change,
        "is_open": is_open,
        "checked_in": sum(1 for a in attendances if a.checked_in_at),
        # The history is for those who manage the meeting's organisation, not for someone seeing it as an attendee.
        "history": meeting_history(meeting, attendances, resolutions)
        if full_view and has_perm(user, "audit.object_history")
        else None,
    }
    if can_change:
        ctx["attachment_form"] = AttachmentForm() if is_open else None
        if meeting.status in (MeetingStatus.PLANNED, MeetingStatus.HELD):
            url = checkin_url(request, meeting)
            ctx["checkin_url"] = url
            ctx["qr"] = qr_svg(url, title=_("扫码签到"))
    return ctx


@require_perm("meetings.view")
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_visible(
        Meeting.objects.select_related("organization", "host", "recorder", "lecturer", "locked_by"),
        request.user,
        "meetings.view",
        pk=pk,
    )
    return render(request, "meetings/detail.html", detail_context(request, meeting))
