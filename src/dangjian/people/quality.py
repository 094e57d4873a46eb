"""资料完整性: who lacks what the in-party statistics (党内统计年报) and the 党员花名册 need.

Members are the current memberships in the user's scope; a person fact (民族, 学历, 职业, 籍贯, 参加工作时间) or the
admission date is missing on their row. The coded causes are checked on memberships of the last two years (the
statistics compare the last full year with this one): one that ended without an ``end_cause`` or started without a
``start_cause`` is listed too, current or not. Every figure is one aggregate query; the list a page of rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Membership
from .models.membership import current_q


@dataclass(frozen=True)
class Check:
    key: str
    label: str
    missing: Q
    current_only: bool = True

    def applies(self, m: Membership, since: date) -> bool:
        """The same test as ``missing`` on a loaded row (membership with its person)."""
        p = m.person
        if self.current_only and m.ended_on is not None:
            return False
        return {
            "ethnicity": not p.ethnicity,
            "education": not p.education,
            "occupation": not p.occupation,
            "native_place": not p.native_place,
            "work_started_on": p.work_started_on is None,
            "admitted_on": m.admitted_on is None,
            "start_cause": not m.start_cause and m.started_on >= since,
            "end_cause": m.ended_on is not None and not m.end_cause and m.ended_on >= since,
        }[self.key]


def since(today: date) -> date:
    """The first day of the last full year: the statistics compare it with this one."""
    return date(today.year - 1, 1, 1)


def checks(today: date) -> tuple[Check, ...]:
    first = since(today)
    return (
        Check("ethnicity", str(_("民族")), Q(person__ethnicity="")),
        Check("education", str(_("学历")), Q(person__education="")),
        Check("occupation", str(_("职业")), Q(person__occupation="")),
        Check("native_place", str(_("籍贯")), Q(person__native_place="")),
        Check("work_started_on", str(_("参加工作时间")), Q(person__work_started_on__isnull=True)),
        Check("admitted_on", str(_("入党日期")), Q(admitted_on__isnull=True)),
        Check("start_cause", str(_("增加原因")), Q(start_cause="", started_on__gte=first), current_only=False),
        Check(
            "end_cause",
            str(_("减少原因")),
            Q(end_cause="", ended_on__isnull=False, ended_on__gte=first),
            current_only=False,
        ),
    )


def _condition(check: Check) -> Q:
    return (current_q() & check.missing) if check.current_only else check.missing


def counts(base: QuerySet[Membership], today: date) -> dict[str, int]:
    """Rows lacking each field, and the members in scope: one query."""
    figures = {c.key: Count("id", filter=_condition(c)) for c in checks(today)}
    return base.aggregate(members=Count("id", filter=current_q()), **figures)


def lacking(base: QuerySet[Membership], today: date, field: str = "") -> QuerySet[Membership]:
    """The rows lacking ``field`` (any checked field when blank), with person and branch, in branch order."""
    wanted = [c for c in checks(today) if c.key == field] or list(checks(today))
    condition = Q()
    for c in wanted:
        condition |= _condition(c)
    rows = base.filter(condition).select_related("person", "organization")
    return rows.order_by("organization__path", "person__sort_key", "person__name", "id")


def missing_labels(m: Membership, today: date) -> list[str]:
    first = since(today)
    return [c.label for c in checks(today) if c.applies(m, first)]
