"""The member's next meetings on their home page, with the check-in link while the meeting takes check-ins."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import mine
from dangjian.core.contributions import HomeItem

from .models import Attendance, MeetingStatus
from .services import checkin_window

# the next few: the meetings page lists them all
SHOWN = 5


def home_items(user, today: date) -> list[HomeItem]:
    """The meetings the member is on the roster of that have not ended (or still take check-ins), soonest first.

    A line links to the check-in when its window is open (``services.checkin_window``, the same function the
    check-in refuses by) and the member has not checked in yet; otherwise to the meeting. One query.
    """
    person_id = mine.own_person_id(user)
    if person_id is None:
        return []
    now = timezone.now()
    margin = timedelta(minutes=settings.CHECKIN_WINDOW_MINUTES)
    rows = (
        Attendance.objects.filter(
            person_id=person_id,
            meeting__deleted_at__isnull=True,
            meeting__status__in=[MeetingStatus.PLANNED, MeetingStatus.HELD],
            meeting__ends_at__gte=now - margin,
        )
        .select_related("meeting__organization")
        .order_by("meeting__starts_at", "meeting_id")[:SHOWN]
    )
    more = reverse("meetings:list")
    out = []
    for a in rows:
        meeting = a.meeting
        opens, closes = checkin_window(meeting)
        when = timezone.localtime(meeting.starts_at)
        values = {
            "when": f"{_day(when.date(), today)} {when:%H:%M}",
            "kind": meeting.get_kind_display(),
            "title": meeting.title,
            "place": meeting.place or _("地点待定"),
        }
        if opens <= now <= closes and a.checked_in_at is None:
            text = _("现在可签到：%(when)s %(kind)s「%(title)s」，%(place)s") % values
            link, level = reverse("meetings:checkin", args=[meeting.checkin_token]), "due"
        else:
            text = _("%(when)s %(kind)s「%(title)s」，%(place)s") % values
            if a.checked_in_at is not None:
                text += _("（已签到）")
            link, level = reverse("meetings:detail", args=[meeting.pk]), "info"
        out.append(
            HomeItem(
                level,
                mine.MY_MEETINGS,
                text,
                link,
                mine.SOURCE,
                timezone.localdate(meeting.starts_at),
                more=more,
                order=mine.ORDER_MEETINGS,
            )
        )
    return out


def _day(day: date, today: date) -> str:
    if day == today:
        return _("今天")
    return f"{day:%m-%d}" if day.year == today.year else f"{day:%Y-%m-%d}"
