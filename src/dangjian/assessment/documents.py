"""The 考核结果 section of the ledger: the year's assessment results of the organisation and its rectification
(三张清单).

- 党建工作责任制考核结果: for every cycle of the year that assessed the organisation or a unit below it, once the
  cycle is published, each such unit's total, band, rank among all the cycle's units and among those of its kind,
  and the change on the year before — the figures of the result page and of the unit's report (``unit_report``),
  read from the same ``results.results``; a cycle not yet published says so;
- 问题整改清单: the rectification items of those units (problem, measure, owner, deadline, state, the day it was
  done and accepted) recorded for a cycle of the year, or without a cycle in the year, or still open.

Gaps: a cycle of the year whose results are not yet published, and items still open past their deadline. One
query for the units and cycles, then the results of each cycle (a constant number of queries per cycle, and a year
has one or two); one query for the items.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core import paper
from dangjian.core.contributions import DocumentPart, LedgerAttachment, LedgerGap, Period
from dangjian.core.ledger_parts import gaps_of, overdue_gaps
from dangjian.orgs.models import Organization

from . import results
from .models import AssessmentCycle, CycleStatus, CycleUnit, Rectification, RectificationStatus

SECTION = "assessment"
RESULT_HEADERS = (_("考核周期"), _("考核对象"), _("总分"), _("等次"), _("总排名"), _("同类排名"), _("较上年"))
RESULT_WIDTHS = (38, 30, 16, 18, 18, 18, 18)  # mm
ITEM_HEADERS = (
    _("序号"),
    _("整改单位"),
    _("问题来源"),
    _("存在问题"),
    _("整改措施"),
    _("责任人"),
    _("整改时限"),
    _("状态"),
    _("完成日期"),
    _("验收日期"),
)
ITEM_WIDTHS = (10, 24, 24, 50, 50, 15, 20, 15, 20, 20)  # mm of the landscape type area


def _pts(value: Decimal | None) -> str:
    return "—" if value is None else f"{Decimal(value):.2f}"


def _change(value: Decimal | None) -> str:
    return "—" if value is None else f"{Decimal(value):+.2f}"


def _units(organization: Organization, period: Period) -> list[CycleUnit]:
    """The organisation and the units below it assessed in a cycle of the year, with their cycles (one query)."""
    return list(
        CycleUnit.objects.filter(
            cycle__year=period.end.year, organization__in=Organization.objects.subtree(organization.path)
        )
        .select_related("cycle__system", "organization")
        .order_by("cycle__half", "cycle_id", "organization__path")
    )


def _size(field) -> int:
    try:
        return field.size
    except OSError:  # the file is gone from the storage: listed, its size unknown
        return 0


def _short(text: str) -> str:
    return text if len(text) <= 30 else text[:30] + "…"


def _local(moment) -> str:
    return paper.iso(timezone.localdate(moment)) if moment else "—"


@dataclass(frozen=True)
class AssessmentResult(DocumentPart):
    section: str = SECTION
    key: str = "assessment.result"
    title: Any = _("党建工作责任制考核结果")
    order: int = 10

    def render(self, organization: Organization, period: Period, document: Any) -> None:
        if self.title:
            paper.subheading(document, str(self.title))
        units = _units(organization, period)
        if not units:
            paper.paragraph(document, str(_("本年度无考核结果记录。")))
            return
        cycles: dict[int, tuple[AssessmentCycle, list[CycleUnit]]] = {}
        for cu in units:
            cycles.setdefault(cu.cycle_id, (cu.cycle, []))[1].append(cu)
        rows = []
        for cycle, assessed in cycles.values():
            if cycle.status != CycleStatus.PUBLISHED:
                paper.paragraph(
                    document,
                    str(_("%(cycle)s结果尚未公布（当前状态：%(status)s）。"))
                    % {"cycle": cycle.title, "status": cycle.get_status_display()},
                )
                continue
            out = results.results(cycle)
            kinds: dict[str, int] = {}
            for row in out.rows:
                kinds[row.result.kind] = kinds.get(row.result.kind, 0) + 1
            for cu in assessed:
                row = out.row_of(cu.organization_id)
                if row is None:
                    rows.append([cycle.title, cu.organization.name, "—", str(_("未计算")), "—", "—", "—"])
                    continue
                r = row.result
                rows.append(
                    [
                        cycle.title,
                        cu.organization.name,
                        _pts(r.total),
                        r.band + (str(_("（一票否决）")) if r.veto else ""),
                        f"{r.rank}/{len(out.rows)}",
                        f"{r.rank_in_kind}/{kinds.get(r.kind, 0)}",
                        _change(row.change),
                    ]
                )
            paper.paragraph(
                document,
                str(_("%(cycle)s按%(system)s考核，%(n)d个考核对象，考核结果于%(day)s公布。"))
                % {
                    "cycle": cycle.title,
                    "system": cycle.system,
                    "n": len(out.rows),
                    "day": paper.cn_date(timezone.localdate(cycle.published_at)) if cycle.published_at else "—",
                },
            )
        if rows:
            paper.table(document, RESULT_HEADERS, rows, widths=RESULT_WIDTHS, numeric=(2, 3, 4, 5, 6))
            paper.paragraph(
                document, str(_("总排名为在本周期全部考核对象中的名次／考核对象数；同类排名为在同类型党组织中的名次。"))
            )

    def gaps(self, organization: Organization, period: Period) -> list[LedgerGap]:
        """The cycles of the year that assess the organisation or a unit below it and are not yet published."""
        cycles = {
            cu.cycle_id: cu.cycle for cu in _units(organization, period) if cu.cycle.status != CycleStatus.PUBLISHED
        }
        return gaps_of(
            SECTION,
            cycles.values(),
            _("%(cycle)s结果尚未公布（当前状态：%(status)s）"),
            lambda cycle: {"cycle": cycle.title, "status": cycle.get_status_display()},
            lambda cycle: reverse("assessment:cycle", args=[cycle.pk]),
            lambda cycle: cycle.review_deadline,
        )


def _items(organization: Organization, period: Period):
    """The year's items: for a cycle of the year, or recorded in the year without a cycle, or still open by its
    end (withdrawn ones left out)."""
    year = period.end.year
    return (
        Rectification.objects.filter(organization__in=Organization.objects.subtree(organization.path))
        .exclude(status=RectificationStatus.WITHDRAWN)
        .filter(
            Q(cycle__year=year)
            | Q(cycle__isnull=True, deadline__year=year)
            | Q(status__in=(RectificationStatus.OPEN, RectificationStatus.DONE), deadline__lte=period.end)
        )
        .select_related("organization", "owner", "cycle")
        .order_by("organization__path", "deadline", "id")
    )


@dataclass(frozen=True)
class RectificationList(DocumentPart):
    section: str = SECTION
    key: str = "assessment.rectifications"
    title: Any = _("问题整改清单（问题清单、责任清单、整改清单）")
    order: int = 20
    landscape: bool = True

    def render(self, organization: Organization, period: Period, document: Any) -> None:
        if self.title:
            paper.subheading(document, str(self.title))
        items = list(_items(organization, period))
        if not items:
            paper.paragraph(document, str(_("本年度无整改事项记录。")))
            return
        counts = {s: sum(1 for i in items if i.status == s) for s in RectificationStatus.values}
        paper.paragraph(
            document,
            str(_("本年度整改事项%(n)d项：已验收%(accepted)d项，待验收%(done)d项，整改中%(open)d项。"))
            % {"n": len(items), **counts},
        )
        rows = [
            [
                n,
                i.organization.name,
                i.source or (i.cycle.title if i.cycle else "—"),
                i.problem,
                i.measure or "—",
                i.owner_name or "—",
                paper.iso(i.deadline),
                i.get_status_display(),
                _local(i.done_at),
                _local(i.accepted_at),
            ]
            for n, i in enumerate(items, start=1)
        ]
        paper.wide_table(document, ITEM_HEADERS, rows, widths=ITEM_WIDTHS, numeric=(0, 5, 6, 7, 8, 9), split=True)

    def attachments(self, organization: Organization, period: Period) -> list[LedgerAttachment]:
        """The evidence of the year's items that have one (one query), for the year's .zip."""
        return [
            LedgerAttachment(
                SECTION,
                f"整改清单/{i.pk}-{(i.evidence_name or i.evidence.name).replace('/', '／').split('／')[-1]}",
                str(_("整改事项「%(problem)s」佐证材料")) % {"problem": _short(i.problem)},
                lambda f=i.evidence: f.open("rb"),
                _size(i.evidence),
            )
            for i in _items(organization, period).exclude(evidence="")
        ]

    def gaps(self, organization: Organization, period: Period) -> list[LedgerGap]:
        """Items still being rectified past their deadline (by the end of the year, before today)."""
        open_items = Rectification.objects.filter(
            organization__in=Organization.objects.subtree(organization.path), status=RectificationStatus.OPEN
        ).select_related("organization")
        return overdue_gaps(
            SECTION,
            open_items,
            "deadline",
            period,
            _("%(unit)s整改事项「%(problem)s」已超过整改时限%(deadline)s，尚未完成"),
            lambda i: {"unit": i.organization.name, "problem": _short(i.problem), "deadline": paper.iso(i.deadline)},
            lambda i: reverse("assessment:rectification", args=[i.pk]),
        )


RESULT = AssessmentResult()
RECTIFICATIONS = RectificationList()
