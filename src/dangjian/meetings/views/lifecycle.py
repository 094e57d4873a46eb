"""From plan to locked record: attendance, held, minutes, lock, amendments and cancellation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.core.conflicts import EditConflict, fingerprint, show_conflict
from dangjian.core.forms import apply_errors
from dangjian.core.scoping import get_visible, require_perm

from .. import services
from ..forms import AmendForm, CancelForm, MinutesForm, ResolutionFormSet, html_to_text, resolutions_of, text_to_html
from ..models import Meeting, MeetingStatus
from .pages import OPEN_STATUSES, attendance_forms, detail_context

PERM = "meetings.change"
DETAIL_QS = Meeting.objects.select_related("organization", "host", "recorder", "lecturer", "locked_by")


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    return get_visible(DETAIL_QS, request.user, PERM, pk=pk)


def _loaded(meeting: Meeting) -> dict:
    """The minutes as text, and the fingerprint that lets the save notice someone else's save in between."""
    return {"minutes": html_to_text(meeting.minutes), "loaded_version": fingerprint(meeting, ["minutes"])}


def _detail(meeting: Meeting) -> str:
    return reverse("meetings:detail", args=[meeting.pk])


@require_perm(PERM)
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """The attendance table as a form; errors are shown on the row they concern."""
    meeting = _meeting(request, pk)
    if meeting.status not in OPEN_STATUSES:
        messages.error(request, _("会议已归档或已取消，出席情况不能再修改"))
        return redirect(_detail(meeting))
    rows = list(
        meeting.attendances.select_related("person").order_by(
            "-expected", "-voting", "person__sort_key", "person__name", "pk"
        )
    )
    forms = attendance_forms(rows, request.POST if request.method == "POST" else None)
    error = ""
    if request.method == "POST":
        if all(f.is_valid() for _a, f in forms):
            entries = {a.person_id: (f.cleaned_data["status"], f.cleaned_data["reason"].strip()) for a, f in forms}
            try:
                changed = services.set_attendance(request.user, meeting.pk, entries)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                if not request.htmx:
                    messages.success(request, _("已保存出席情况（%(n)d 处变更）") % {"n": changed})
                return redirect(_detail(meeting) + "#attendance")
        else:
            error = _("出席情况有误，请按提示修改")
    ctx = detail_context(request, meeting, row_forms=forms)
    ctx["attendance_error"] = error
    return render(request, "meetings/attendance.html", ctx)


@require_POST
@require_perm(PERM)
def mark_held(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    try:
        services.mark_held(request.user, meeting.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已标记为已召开，请登记出席情况并记录会议"))
    return redirect(_detail(meeting))


@require_perm(PERM)
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    if meeting.status == MeetingStatus.LOCKED:
        return redirect("meetings:amend", pk=meeting.pk)
    if meeting.status not in (MeetingStatus.HELD, MeetingStatus.MINUTES_RECORDED):
        messages.error(request, _("请先确认会议已召开，再记录会议"))
        return redirect(_detail(meeting))
    data = request.POST if request.method == "POST" else None
    form = MinutesForm(data, initial=_loaded(meeting))
    formset = ResolutionFormSet(data, prefix="res")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.record_minutes(
                request.user,
                meeting.pk,
                text_to_html(form.cleaned_data["minutes"]),
                resolutions_of(formset),
                loaded_version=form.cleaned_data["loaded_version"],
            )
        except EditConflict as conflict:
            show_conflict(form, conflict)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已记录会议"))
            return redirect(_detail(meeting))
    due, present, met = services.quorum(meeting)
    return render(
        request,
        "meetings/minutes.html",
        {
            "meeting": meeting,
            "form": form,
            "formset": formset,
            "resolutions": list(meeting.resolutions.all()),
            "due": due,
            "present": present,
            "quorum_met": met,
            "cancel_url": _detail(meeting),
        },
    )


@require_POST
@require_perm(PERM)
def lock(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    try:
        services.lock(request.user, meeting.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("会议记录已归档，今后只能以更正方式修改"))
    return redirect(_detail(meeting))


@require_perm(PERM)
def amend(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    if meeting.status != MeetingStatus.LOCKED:
        messages.info(request, _("未归档的会议记录可直接修改"))
        return redirect(_detail(meeting))
    form = AmendForm(request.POST or None, initial=_loaded(meeting))
    if request.method == "POST" and form.is_valid():
        try:
            services.amend(
                request.user,
                meeting.pk,
                text_to_html(form.cleaned_data["minutes"]),
                form.cleaned_data["reason"],
                loaded_version=form.cleaned_data["loaded_version"],
            )
        except EditConflict as conflict:
            show_conflict(form, conflict)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已更正会议记录，原记录已保留"))
            return redirect(_detail(meeting))
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("更正会议记录：%(title)s") % {"title": meeting.title},
            "intro": _("已归档的记录不会被改写：原文与更正原因一并保留，在会议页面可查。"),
            "cancel_url": _detail(meeting),
        },
    )


@require_perm(PERM)
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    if meeting.status != MeetingStatus.PLANNED:
        messages.error(request, _("只有尚未召开的会议可以取消"))
        return redirect(_detail(meeting))
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel(request.user, meeting.pk, form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("会议已取消"))
            return redirect(_detail(meeting))
    return render(
        request,
        "core/confirm.html",
        {
            "form": form,
            "title": _("取消会议：%(title)s") % {"title": meeting.title},
            "question": _("取消后会议保留在列表中并标记为已取消，不能再签到或记录。确定取消吗？"),
            "confirm_label": _("确认取消会议"),
            "cancel_url": _detail(meeting),
        },
    )
