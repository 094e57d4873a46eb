"""Facts of organisational life for the assessment: meetings held, attendance, study hours and talk coverage.

Every figure covers the organisation's subtree (see ``dangjian.facts.rollup``) and is computed for any number of
organisations in one grouped query per figure group.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from django.db.models import Case, Count, DecimalField, F, Q, Sum, Value, When
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import FactDefinition, FactValue, Period
from dangjian.facts.rollup import (
    counted_by_org,
    fact,
    fixed_link,
    link,
    local_bounds,
    percent,
    pks,
    rollup,
    set_wise,
    under,
    within,
)
from dangjian.orgs.models import Organization
from dangjian.people.facts import party_members
from dangjian.people.models import Membership

from .life import ZERO, talk_coverage, year_bounds
from .models import Attendance, AttendanceStatus, HourRate, Meeting, MeetingKind, StudyRecord
from .models.meeting import HELD_STATUSES
from .rule_data import LIFE_RULES

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
        _("本单位设置：支部党课的次数（《中国共产党支部工作条例（试行）》要求党支部书记每年至少讲1次党课）"),
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
            rule=_("《中国共产党支部工作条例（试行）》第十一条（党员大会须有半数以上有表决权的党员到会）"),
        ),
    )

    @set_wise
    def compute(self, organizations: Sequence, period: Period) -> Iterable[FactValue]:
        start, end = local_bounds(period)
        held = (
            Meeting.objects.held()
            .filter(within(organizations), starts_at__gte=start, starts_at__lt=end)
            .order_by()
            .values(org=F("organization"))
            .annotate(**{kind: Count("id", filter=Q(kind=kind)) for kind in HELD_KINDS})
        )
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
        counts = rollup(organizations, counted_by_org(held, organizations))
        rates = rollup(organizations, counted_by_org(attendance, organizations))
        dates = {"date_from": period.start.isoformat(), "date_to": period.end.isoformat()}
        meeting_list = link("meetings:list", **dates)
        by_kind = {kind: link("meetings:list", kind=kind, **dates) for kind in HELD_KINDS}
        for pk in pks(organizations):
            c, a = counts[pk], rates[pk]
            for kind, (_rule, code) in HELD_KINDS.items():
                yield fact(
                    key=f"meetings.{code}.held",
                    organization_id=pk,
                    value=c.get(kind, 0),
                    inputs={"held": c.get(kind, 0)},
                    evidence_url=f"{by_kind[kind]}{pk}",
                )
            yield fact(
                key="meetings.attendance_rate",
                organization_id=pk,
                value=percent(a.get("present", 0), a.get("expected", 0)),
                inputs={"expected": a.get("expected", 0), "present": a.get("present", 0)},
                evidence_url=f"{meeting_list}{pk}",
            )


def _year_of(period: Period) -> int:
    return period.end.year


def person_hours(year: int) -> dict[int, Decimal]:
    """Each person's class hours of the year, as ``life.with_hours`` counts them, for everyone at once.

    ``with_hours`` annotates a person queryset with two correlated subqueries, right for a page of people; for a
    whole group the two grouped queries here read each table once (two queries, whatever the number of people).
    """
    start, end = year_bounds(year)
    rates = [When(meeting__kind=r.kind, then=Value(r.hours)) for r in HourRate.objects.all()]
    credited = Case(*rates, default=ZERO, output_field=DecimalField(max_digits=7, decimal_places=1))
    attended = (
        Attendance.objects.filter(
            status__in=PRESENT,
            meeting__status__in=HELD_STATUSES,
            meeting__deleted_at__isnull=True,
            meeting__starts_at__gte=start,
            meeting__starts_at__lt=end,
        )
        .order_by()
        .values_list("person_id")
        .annotate(total=Sum(credited))
    )
    studied = (
        StudyRecord.objects.filter(studied_on__year=year)
        .order_by()
        .values_list("person_id")
        .annotate(total=Sum("hours"))
    )
    hours: dict[int, Decimal] = defaultdict(Decimal)
    for person_id, total in (*attended, *studied):
        hours[person_id] += total or 0
    return hours


class LifeFacts:
    definitions = (
        FactDefinition(
            key="hours.members_under_32",
            label=_("学习培训学时不足的党员"),
            unit=_("人"),
            meaning=_(
                "本组织及其下级组织的党员（含预备党员）中，当年出席会议折算学时与登记的学习学时之和低于年度最低学时的人数，与“学习学时”页面一致。"
            ),
            rule=_("《中国共产党党员教育管理工作条例》第二十条：党员每年集中学习培训一般不少于32学时"),
        ),
        FactDefinition(
            key="talks.coverage",
            label=_("谈心谈话覆盖率"),
            unit="%",
            meaning=_(
                "本组织及其下级组织的现有党员中，当年被谈心谈话达到规定次数的人数占党员人数的比例，与“谈心谈话”页面的覆盖情况一致。"
            ),
            rule=_("本单位设置：每名党员每年至少谈心谈话1次"),
        ),
    )

    def compute(self, organizations: Sequence, period: Period) -> Iterable[FactValue]:
        year = _year_of(period)
        on = date(year, 12, 31)
        minimum = LIFE_RULES.value("training.min_hours_per_year", on)
        times = LIFE_RULES.value("talks.min_per_member_per_year", on)
        members = party_members(organizations).order_by().values_list("pk", "org_path")
        hours = person_hours(year)
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for person_id, path in members:
            row = counts[path]
            row[0] += 1
            if hours.get(person_id, 0) < minimum:
                row[1] += 1
        memberships = Membership.objects.current().filter(under(organizations, "organization__path"))
        coverage = talk_coverage(memberships, year, times)
        # the subtrees' paths by id (a path filter, not thousands of ids in an IN list)
        branch_paths = dict(Organization.objects.filter(under(organizations, "path")).values_list("pk", "path"))
        short = rollup(organizations, ((path, {"members": m, "under": u}) for path, (m, u) in counts.items()))
        talked = rollup(
            organizations,
            ((branch_paths.get(r["organization_id"]), {k: r[k] for k in ("members", "covered")}) for r in coverage),
        )
        hours_list, talks_list = link("life:hours", year=year, short=1), fixed_link("life:talks", year=year)
        for pk in pks(organizations):
            h, t = short[pk], talked[pk]
            yield fact(
                key="hours.members_under_32",
                organization_id=pk,
                value=h.get("under", 0),
                inputs={"members": h.get("members", 0), "under": h.get("under", 0), "minimum_hours": minimum},
                evidence_url=f"{hours_list}{pk}",
            )
            yield fact(
                key="talks.coverage",
                organization_id=pk,
                value=percent(t.get("covered", 0), t.get("members", 0)),
                inputs={"members": t.get("members", 0), "covered": t.get("covered", 0), "minimum_talks": times},
                evidence_url=talks_list,
            )
