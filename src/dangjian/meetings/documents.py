"""The meetings part of an organisation's yearly record (组织生活记录), for the ledger.

Every meeting of the organisation and its party groups held in the year — 三会一课, theme days, 组织生活会 —
with its date, kind, subject, who was expected and who attended; cancelled and merely planned meetings are
left out, as they are from the compliance count. Two queries whatever the number of meetings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core import paper
from dangjian.core.contributions import DocumentPart, Period
from dangjian.orgs.models import Organization

from .models import AttendanceStatus, Meeting, MeetingStatus

HEADERS = (_("日期"), _("党组织"), _("类型"), _("主题"), _("应到"), _("实到"), _("状态"))
WIDTHS = (21, 36, 22, 39, 10, 10, 18)  # mm
ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.ELSEWHERE)


@dataclass(frozen=True)
class MeetingsRecord(DocumentPart):
    section: str = "members_meeting"
    key: str = "meetings.year"
    title: Any = _("组织生活记录")
    order: int = 10

    def meetings(self, organization: Organization, period: Period):
        tz = timezone.get_current_timezone()
        start = datetime.combine(period.start, time.min, tz)
        end = datetime.combine(period.end + timedelta(days=1), time.min, tz)
        return (
            Meeting.objects.filter(
                organization__in=Organization.objects.subtree(organization.path),
                starts_at__gte=start,
                starts_at__lt=end,
            )
            .exclude(status__in=(MeetingStatus.PLANNED, MeetingStatus.CANCELLED))
            .select_related("organization")
            .annotate(
                n_expected=Count("attendances", filter=Q(attendances__expected=True)),
                n_attended=Count("attendances", filter=Q(attendances__status__in=ATTENDED)),
            )
            .order_by("starts_at", "pk")
        )

    def render(self, organization: Organization, period: Period, document: Any) -> None:
        """Adds a heading and one row per meeting to ``document`` (a python-docx Document)."""
        paper.heading(document, f"{self.title}（{paper.cn_date(period.start)}—{paper.cn_date(period.end)}）")
        meetings = list(self.meetings(organization, period))
        if not meetings:
            paper.paragraph(document, str(_("本期间无已召开的会议。")))
            return
        rows = (
            (
                f"{timezone.localtime(m.starts_at):%Y-%m-%d}",
                m.organization.name,
                m.get_kind_display(),
                m.title,
                m.n_expected,
                m.n_attended,
                m.get_status_display(),
            )
            for m in meetings
        )
        paper.table(document, HEADERS, rows, widths=WIDTHS, numeric=(0, 4, 5))
        paper.paragraph(document, str(_("共%(n)d次。")) % {"n": len(meetings)})


RECORD = MeetingsRecord()
