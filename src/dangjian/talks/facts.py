"""Facts of talks and study hours for the assessment: members under the yearly hours, the share meeting them, and
talk coverage.

Every figure covers the organisation's subtree (see ``dangjian.facts.rollup``) and is computed for any number of
organisations in a constant number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from django.db.models import Case, DecimalField, Sum, Value, When
from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import FactDefinition, FactValue, Period
from dangjian.core.ruletable import NoRuleInForce
from dangjian.facts.rollup import fact, fixed_link, link, percent, pks, rollup, set_wise, under
from dangjian.meetings.models import Attendance, AttendanceStatus
from dangjian.meetings.models.meeting import HELD_STATUSES
from dangjian.orgs.models import Organization
from dangjian.people.facts import party_members
from dangjian.people.models import Membership

from .figures import ZERO, talk_coverage, year_bounds
from .models import HourRate, StudyRecord
from .rule_data import TALKS_RULES

PRESENT = (AttendanceStatus.PRESENT, AttendanceStatus.ELSEWHERE)


def _year_of(period: Period) -> int:
    return period.end.year


def person_hours(year: int) -> dict[int, Decimal]:
    """Each person's class hours of the year, as ``figures.with_hours`` counts them, for everyone at once.

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


class TalksFacts:
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
            key="hours.met_rate",
            label=_("学习培训学时达标率"),
            unit="%",
            meaning=_(
                "本组织及其下级组织的党员（含预备党员）中，当年出席会议折算学时与登记的学习学时之和达到年度最低学时的人数"
                "所占比例；最低学时取当年年末有效的规则，与“学习学时”页面一致。"
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

    @set_wise
    def compute(self, organizations: Sequence, period: Period) -> Iterable[FactValue]:
        year = _year_of(period)
        on = date(year, 12, 31)
        try:
            minimum = TALKS_RULES.value("training.min_hours_per_year", on)
            times = TALKS_RULES.value("talks.min_per_member_per_year", on)
        except NoRuleInForce:  # a year before the rules these figures measure against: no figure for it
            return
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
            members, short_of = h.get("members", 0), h.get("under", 0)
            yield fact(
                key="hours.met_rate",
                organization_id=pk,
                value=percent(members - short_of, members),
                inputs={"members": members, "reached": members - short_of, "minimum_hours": minimum},
                evidence_url=f"{hours_list}{pk}",
            )
            yield fact(
                key="talks.coverage",
                organization_id=pk,
                value=percent(t.get("covered", 0), t.get("members", 0)),
                inputs={"members": t.get("members", 0), "covered": t.get("covered", 0), "minimum_talks": times},
                evidence_url=talks_list,
            )
