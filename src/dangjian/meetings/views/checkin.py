"""QR check-in: the big-screen code for the meeting room and the page a phone opens after scanning.

The check-in URL is deliberately not scoped by role: holding the meeting's secret token
and being on its list of those due to attend is what entitles a logged-in user to sign in.
A token that matches no meeting is a 404, like any object outside one's scope.
"""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.scoping import get_visible, require_perm

from .. import services
from ..models import Attendance, AttendanceStatus, Meeting, MeetingStatus
from ..qr import checkin_url, qr_svg


class Window:
    """The check-in window ``services.check_in`` enforces (``services.checkin_window``), told in Beijing time, by the
    day when not today."""

    def __init__(self, meeting: Meeting, now: datetime | None = None):
        opens, closes = services.checkin_window(meeting)
        self.opens = timezone.localtime(opens)
        self.closes = timezone.localtime(closes)
        self.now = timezone.localtime(now or timezone.now())

    def state(self) -> str:
        if self.now < self.opens:
            return "before"
        return "after" if self.now > self.closes else "open"

    def is_open(self) -> bool:
        return self.state() == "open"

    def opens_text(self) -> str:
        return _moment(self.opens, self.now.date())

    def closes_text(self) -> str:
        return _moment(self.closes, self.opens.date())

    def refusal(self) -> str:
        if self.state() == "before":
            return _("签到尚未开始，将于 %(time)s 开放") % {"time": self.opens_text()}
        return _("签到已结束")


def _moment(moment: datetime, day: date) -> str:
    return f"{moment:%H:%M}" if moment.date() == day else f"{moment:%Y-%m-%d %H:%M}"


@require_perm("meetings.change")
def qr_screen(request: HttpRequest, pk: int) -> HttpResponse:
    """For projecting in the meeting room; the count refreshes itself (htmx) while people scan."""
    meeting = get_visible(Meeting.objects.select_related("organization"), request.user, "meetings.change", pk=pk)
    rows = meeting.attendances.filter(expected=True)
    url = checkin_url(request, meeting)
    open_for_checkin = meeting.status in (MeetingStatus.PLANNED, MeetingStatus.HELD)
    return render(
        request,
        "meetings/qr.html",
        {
            "meeting": meeting,
            "checkin_url": url,
            "qr": qr_svg(url, title=_("扫码签到")) if open_for_checkin else None,
            "due_count": rows.count(),
            "checked_in": rows.filter(checked_in_at__isnull=False).count(),
        },
    )


@login_required
def checkin(request: HttpRequest, token: str) -> HttpResponse:
    meeting = Meeting.objects.select_related("organization").filter(checkin_token=token).first()
    if meeting is None:
        raise Http404(_("签到码无效"))
    mine = None
    if request.user.person_id:
        mine = Attendance.objects.filter(meeting=meeting, person_id=request.user.person_id).first()
    result, error, waiting = "", "", False
    window = Window(meeting)
    if mine is None:
        # Someone not on the list learns nothing about the meeting beyond this refusal.
        error = _("您不在本次会议的应到名单中") if request.user.person_id else _("您的账号未关联职工信息，无法签到")
    elif mine.checked_in_at:
        result = "already"
    elif request.method != "POST" and not window.is_open():
        # Say so before the tap, not after it (issue 13 §3); a post that comes anyway is still refused by the service.
        error, waiting = window.refusal(), window.state() == "before"
    elif request.method == "POST":
        now = timezone.now()
        try:
            mine = services.check_in(request.user, token, now=now)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            # The service changes nothing for a second scan; its time tells which scan this was.
            result = "done" if mine.checked_in_at == now else "already"
    return render(
        request,
        "meetings/checkin.html",
        {
            "meeting": meeting if mine is not None else None,
            "attendance": mine,
            "result": result,
            "error": error,
            "present_label": AttendanceStatus.PRESENT.label,
            "window": window if mine is not None else None,
            "waiting": waiting,
        },
        status=200,
    )
