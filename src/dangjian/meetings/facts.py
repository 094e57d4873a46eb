"""Facts of organisational life for the assessment: meetings held and attendance (talks and study hours are
the talks app's).

Every figure covers the organisation's subtree (see ``dangjian.facts.rollup``) and is computed for any number of
organisations in one grouped query per figure group. The meetings held are counted per organisation, kind and month
of the period in that one query: the period's count of each kind is the sum of its months, and the same counts give
``meetings.<kind>.held_by_month`` (the dashboard's months, without one computation per month).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from datetime import date

from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import FactDefinition, FactValue, Period
from dangjian.facts.rollup import (
    counted_by_org,
    fact,
    link,
    local_bounds,
    percent,
    pks,
    rollup,
    set_wise,
    within,
)

from .models import Attendance, AttendanceStatus, Meeting, MeetingKind
from .models.meeting import HELD_STATUSES

# The kinds whose count the assessment reads, with the article that sets how often they are owed.
HELD_KINDS: dict[str, tuple[str, str]] = {
    MeetingKind.MEMBERS_MEETING: (
        _("《中国共产党支部工作条例（试行）》第十一条：支部党员大会一般每季度召开1次"),
        "members_meeting",
    ),
    MeetingKind.COMMITTEE_MEETING: (
        _("《中国共产党支部工作条例（试行）》第十二条：支部委员会会议一般每月召开1次"),
        "committee_meeting",
    ),
    MeetingKind.GROUP_MEETING: (
        _("《中国共产党支部工作条例（试行）》第十三条：党小组会一般每月召开1次"),
        "group_meeting",
    ),
    MeetingKind.LECTURE: (
        _("本单位设置：支部党课的次数（《中国共产党支部工作条例（试行）》规定党委（党组）书记每年至少讲1次党课）"),
        "lecture",
    ),
    MeetingKind.THEME_DAY: (
        _("《中国共产党党员教育管理工作条例》第十六条：每月相对固定1天开展主题党日"),
        "theme_day",
    ),
    MeetingKind.LIFE_MEETING: (
        _(
            "《中国共产党党员教育管理工作条例》第十七条、《中国共产党支部工作条例（试行）》第十七条：组织生活会一般每年召开1次"
        ),
        "life_meeting",
    ),
}
PRESENT = (AttendanceStatus.PRESENT, AttendanceStatus.ELSEWHERE)
MONTH_LABELS = {str(m): format_lazy(_("{month}月"), month=m) for m in range(1, 13)}


def month_parts(period: Period) -> list[Period]:
    """The period cut at month ends: each part lies in one calendar month (the first and last may be partial)."""
    parts = []
    day = period.start
    while day <= period.end:
        last = date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
        parts.append(Period(day, min(last, period.end)))
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return parts


def _part_of(parts: list[Period]) -> Case:
    """The index of the month part a meeting starts in (local time), as one CASE of ascending bounds."""
    whens = [When(starts_at__lt=local_bounds(p)[1], then=Value(n)) for n, p in enumerate(parts[:-1])]
    return Case(*whens, default=Value(len(parts) - 1), output_field=IntegerField())


class MeetingFacts:
    definitions = (
        *(
            FactDefinition(
                key=f"meetings.{code}.held",
                label=format_lazy(_("{kind}召开次数"), kind=MeetingKind(kind).label),
                unit=_("次"),
                meaning=_(
                    "期间内本组织及其下级组织已召开（含已记录、已归档）且未删除的该类会议次数，按会议开始时间的北京时间日期计入期间。"
                ),
                rule=rule,
            )
            for kind, (rule, code) in HELD_KINDS.items()
        ),
        FactDefinition(
            key="meetings.attendance_rate",
            label=_("组织生活出席率"),
            unit="%",
            meaning=_(
                "期间内本组织及其下级组织已召开会议的应到人员中，出席或异地参加的人次占应到人次的比例；请假、缺席、未登记均不计为出席。"
            ),
            rule=_("《中国共产党支部工作条例（试行）》第十一条（表决必须有半数以上有表决权的党员到会方可进行）"),
        ),
        *(
            FactDefinition(
                key=f"meetings.{code}.held_by_month",
                label=format_lazy(_("{kind}逐月召开次数"), kind=MeetingKind(kind).label),
                unit=_("次"),
                meaning=_(
                    "同该类会议的召开次数，按会议开始时间的北京时间日期所在月份分列"
                    "（1月至12月，期间内无会议的月份为 0）；值为期间内的合计。"
                ),
                rule=rule,
                dimension="month",
                breakdown_labels=MONTH_LABELS,
            )
            for kind, (rule, code) in HELD_KINDS.items()
        ),
    )

    @set_wise
    def compute(self, organizations: Sequence, period: Period) -> Iterable[FactValue]:
        start, end = local_bounds(period)
        parts = month_parts(period)
        held = (
            Meeting.objects.held()
            .filter(within(organizations), starts_at__gte=start, starts_at__lt=end)
            .order_by()
            .values(org=F("organization"), part=_part_of(parts))
            .annotate(**{kind: Count("id", filter=Q(kind=kind)) for kind in HELD_KINDS})
        )
        # one row per organisation and month part → counts keyed "kind:month" (a period over a year adds the same
        # calendar months together) and the kinds' totals
        month_of = [str(p.start.month) for p in parts]
        held_rows = []
        for path, row in counted_by_org(held, organizations):
            month = month_of[row["part"]]
            cells = {kind: row[kind] for kind in HELD_KINDS}
            cells.update({f"{kind}:{month}": row[kind] for kind in HELD_KINDS})
            held_rows.append((path, cells))
        attendance = (
            Attendance.objects.filter(
                within(organizations, "meeting__organization"),
                expected=True,
                meeting__status__in=HELD_STATUSES,
                meeting__deleted_at__isnull=True,
                meeting__starts_at__gte=start,
                meeting__starts_at__lt=end,
            )
            .order_by()
            .values(org=F("meeting__organization"))
            .annotate(expected=Count("id"), present=Count("id", filter=Q(status__in=PRESENT)))
        )
        counts = rollup(organizations, held_rows)
        rates = rollup(organizations, counted_by_org(attendance, organizations))
        dates = {"date_from": period.start.isoformat(), "date_to": period.end.isoformat()}
        meeting_list = link("meetings:list", **dates)
        by_kind = {kind: link("meetings:list", kind=kind, **dates) for kind in HELD_KINDS}
        months = list(dict.fromkeys(month_of))
        for pk in pks(organizations):
            c, a = counts[pk], rates[pk]
            for kind, (_rule, code) in HELD_KINDS.items():
                n = c.get(kind, 0)
                url = f"{by_kind[kind]}{pk}"
                yield fact(
                    key=f"meetings.{code}.held", organization_id=pk, value=n, inputs={"held": n}, evidence_url=url
                )
                yield fact(
                    key=f"meetings.{code}.held_by_month",
                    organization_id=pk,
                    value=n,
                    breakdown={m: c.get(f"{kind}:{m}", 0) for m in months},
                    inputs={"held": n},
                    evidence_url=url,
                )
            yield fact(
                key="meetings.attendance_rate",
                organization_id=pk,
                value=percent(a.get("present", 0), a.get("expected", 0)),
                inputs={"expected": a.get("expected", 0), "present": a.get("present", 0)},
                evidence_url=f"{meeting_list}{pk}",
            )
