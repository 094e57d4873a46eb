"""What 述职评议 puts on a user's home page: a ballot waiting for them, and their own result once the meeting
has closed (for 90 days). These links are how a rater and a reporting secretary find their pages; two queries."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core.contributions import HomeItem

from .models import MeetingStatus, SecretaryReport
from .models.secretary_report_votes import Rater

KIND = gettext_lazy("述职评议")
SHOWN_DAYS = 90


def home_items(user, today: date) -> list[HomeItem]:
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return []
    items = []
    waiting = Rater.objects.filter(
        person_id=person_id, withdrawn_at__isnull=True, voted_at__isnull=True, meeting__status=MeetingStatus.VOTING
    ).select_related("meeting")
    for rater in waiting[:5]:
        text = _("请参加“%(title)s”测评") % {"title": rater.meeting.title}
        link = reverse("assessment:report_vote", args=[rater.meeting_id])
        items.append(HomeItem("due", KIND, text, link, "assessment"))
    since = today - timedelta(days=SHOWN_DAYS)
    mine = SecretaryReport.objects.filter(
        person_id=person_id,
        withdrawn_at__isnull=True,
        meeting__status=MeetingStatus.CLOSED,
        meeting__closed_at__date__gte=since,
    ).select_related("meeting")
    for report in mine[:5]:
        text = _("“%(title)s”结果已出") % {"title": report.meeting.title}
        items.append(HomeItem("info", KIND, text, reverse("assessment:report_own", args=[report.pk]), "assessment"))
    return items
