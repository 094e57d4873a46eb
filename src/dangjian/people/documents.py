"""The 党员花名册 of the ledger (台账): every member on the organisation's rolls at the end of the year (today while
the year runs), on a landscape page — name, sex, ethnicity, birth date, native place, work start, admission and
conversion dates, education, party post and administrative post. Its gaps name how many members lack a field the
roster prints ("3名党员缺少籍贯"), with the list of the organisation's members to complete them. Two queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from dangjian.core import paper
from dangjian.core.contributions import DocumentPart, LedgerGap, Period
from dangjian.orgs.models import Organization

from .models import Membership, MembershipStatus

HEADERS = (
    _("序号"),
    _("姓名"),
    _("性别"),
    _("民族"),
    _("出生日期"),
    _("籍贯"),
    _("参加工作时间"),
    _("入党时间"),
    _("转正时间"),
    _("学历"),
    _("党内职务"),
    _("行政职务"),
)
WIDTHS = (9, 17, 9, 13, 21, 22, 21, 21, 21, 23, 27, 39)  # mm of the 243 mm of a landscape type area
# What the roster prints and a member's record may lack: (label, the missing condition on the membership)
REQUIRED = (
    (_("籍贯"), Q(person__native_place="")),
    (_("参加工作时间"), Q(person__work_started_on__isnull=True)),
    (_("学历"), Q(person__education="")),
    (_("入党时间"), Q(admitted_on__isnull=True)),
    (_("转正时间"), Q(status=MembershipStatus.FULL, converted_on__isnull=True)),
)


def members_on(organization: Organization, on: date):
    """The memberships of the organisation's subtree in force on ``on``."""
    return Membership.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=on),
        organization__in=Organization.objects.subtree(organization),
        started_on__lte=on,
        deleted_at__isnull=True,
        person__deleted_at__isnull=True,
    )


def _as_of(period: Period) -> date:
    return min(period.end, timezone.localdate())


def _post(person) -> str:
    parts = [v for v in (person.post, person.title) if v]
    return "、".join(dict.fromkeys(parts)) or "—"  # a post that is also the title (工程师) once


def _conversion(m, on: date) -> str:
    """The conversion date as it stood on ``on``: a member converted after that day was still probationary then."""
    if m.converted_on is not None and m.converted_on <= on:
        return paper.iso(m.converted_on)
    if m.status == MembershipStatus.FULL and m.converted_on is None:
        return "—"  # full member whose conversion date was never recorded (the gaps list them)
    return str(_t("预备期"))


@dataclass(frozen=True)
class RosterPart(DocumentPart):
    key: str = "people.roster"
    section: str = "roster"
    title: Any = ""
    order: int = 10
    landscape: bool = True

    def render(self, organization: Organization, period: Period, document: Any) -> None:
        on = _as_of(period)
        rows = list(members_on(organization, on).select_related("person").order_by("person__sort_key", "pk"))
        if not rows:
            return
        paper.paragraph(document, _t("截至%(d)s，共有党员%(n)d名。") % {"d": paper.cn_date(on), "n": len(rows)})
        paper.table(
            document,
            HEADERS,
            (
                (
                    n,
                    m.person.name,
                    m.person.get_sex_display(),
                    m.person.ethnicity or "—",
                    paper.iso(m.person.birth_date),
                    m.person.native_place or "—",
                    paper.iso(m.person.work_started_on),
                    paper.iso(m.admitted_on),
                    _conversion(m, on),
                    m.person.get_education_display() or "—",
                    m.party_post or "—",
                    _post(m.person),
                )
                for n, m in enumerate(rows, 1)
            ),
            widths=WIDTHS,
            numeric=(0, 2, 4, 6, 7, 8),
            width_mm=paper.TYPE_WIDTH_LANDSCAPE_MM,
        )

    def gaps(self, organization: Organization, period: Period):
        counts = members_on(organization, _as_of(period)).aggregate(
            **{f"f{i}": Count("pk", filter=cond) for i, (_label, cond) in enumerate(REQUIRED)}
        )
        link = reverse("people:list") + f"?org={organization.pk}&status=party"
        for i, (label, _cond) in enumerate(REQUIRED):
            if counts[f"f{i}"]:
                yield LedgerGap("roster", _t("%(n)d名党员缺少%(field)s") % {"n": counts[f"f{i}"], "field": label}, link)


ROSTER = RosterPart()
