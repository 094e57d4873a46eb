"""The 关心关怀 section of the ledger, in three parts, each with the figures of its page for the organisation's
secretary (the same scope: the members of its branches and the staff of the departments they cover):

- 五必问、五必谈、五必访: the coverage per branch and every obligation due or fulfilled in the year — who, the event
  and its day, asked, talked or visited, by whom and when, in time or not (events count by the day they happened,
  obligations by their deadline);
- 困难职工（党员）帮扶: the people on the hardship register during the year with the support given in it, and the
  year's line of the register's yearly totals;
- 我为群众办实事: the year's practical matters with their milestones (planned and done) and state.

Health and private details stay out: the event's description, the hardship reason, what was said or done at a
visit and a support's note are sensitive personal information (PIPL art. 28) that the pages show one record at a
time; the record names the kind of event only, as the lists do. Gaps: obligations past their deadline and not
done, milestones of the year's matters past their planned day and not done. A constant number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import Scope, scope_filter
from dangjian.core import paper
from dangjian.core.contributions import DocumentPart, LedgerAttachment, LedgerGap, Period
from dangjian.core.ledger_parts import gaps_of, missed_by, overdue_gaps
from dangjian.orgs.models import Organization

from .filters import coverage_of
from .hardship import yearly_totals
from .models import (
    CareEvent,
    Evidence,
    HardshipEntry,
    MatterStatus,
    Milestone,
    Obligation,
    ObligationStatus,
    PracticalMatter,
    Support,
)

COVERAGE_HEADERS = (
    _("党支部"),
    _("事件"),
    _("应办事项"),
    _("按期办结"),
    _("逾期办结"),
    _("超期未办"),
    _("未到期"),
    _("按期办结率"),
)
COVERAGE_WIDTHS = (42, 12, 17, 17, 17, 17, 13, 21)  # mm
OBLIGATION_HEADERS = (
    _("职工"),
    _("关怀事件"),
    _("方式"),
    _("责任人"),
    _("办理人"),
    _("期限"),
    _("办理日期"),
    _("办理结果"),
)
OBLIGATION_WIDTHS = (15, 36, 10, 22, 15, 20, 20, 18)
HARDSHIP_HEADERS = (
    _("姓名"),
    _("政治面貌"),
    _("部门"),
    _("登记日期"),
    _("脱困日期"),
    _("本年帮扶次数"),
    _("本年帮扶金额（元）"),
)
HARDSHIP_WIDTHS = (16, 24, 34, 21, 21, 17, 23)
MATTER_HEADERS = (
    _("序号"),
    _("项目名称"),
    _("责任党组织"),
    _("负责人"),
    _("受益人数"),
    _("节点（计划日期／完成日期）"),
    _("状态"),
)
MATTER_WIDTHS = (10, 29, 21, 14, 12, 56, 14)


def _in_scope(model, organization: Organization) -> Q:
    """The rows of ``model`` that the organisation's secretary sees (its declared scope over the subtree)."""
    q = scope_filter(model, Scope(subtree_paths=(organization.path,)), model.scoped_by)
    return Q() if q is None else q


def _result(ob: Obligation, today: date) -> str:
    """The obligation's state as the lists show it."""
    if ob.status == ObligationStatus.CLOSED:
        return str(_("按期办结")) if ob.in_time else str(_("逾期办结"))
    return str(_("已超期")) if ob.due_on < today else str(_("待办"))


SECTION = "care"


@dataclass(frozen=True)
class CareRecord(DocumentPart):
    section: str = SECTION
    key: str = "care.obligations"
    title: Any = _("五必问、五必谈、五必访落实情况")
    order: int = 10

    def render(self, organization: Organization, period: Period, document: Any) -> None:
        """The coverage per branch, then every obligation due or fulfilled in the year."""
        if self.title:
            paper.subheading(document, str(self.title))
        today = timezone.localdate()
        events = CareEvent.objects.filter(_in_scope(CareEvent, organization))
        obligations = Obligation.objects.filter(_in_scope(Obligation, organization))
        rows = coverage_of(events, obligations, period.start, period.end, today, "branch")
        year = (period.start, period.end)
        items = list(
            obligations.filter(Q(due_on__range=year) | Q(done_on__range=year))
            .exclude(status=ObligationStatus.CANCELLED)
            .select_related("event__person", "done_by")
            .order_by("due_on", "id")
        )
        if not rows and not items:
            paper.paragraph(document, str(_("本年度无关心关怀记录。")))
            return
        if rows:
            keys = ("events", "due", "in_time", "late_done", "late_open", "open")
            total = {k: sum(r[k] for r in rows) for k in keys}
            rate = f"{round(100 * total['in_time'] / total['due'])}%" if total["due"] else "—"
            paper.paragraph(
                document,
                str(
                    _(
                        "本年度登记关怀事件%(events)d件；办理期限在本年度内的关怀事项%(due)d项，其中按期办结"
                        "%(in_time)d项，逾期办结%(late_done)d项，超期未办%(late_open)d项，未到期%(open)d项，"
                        "按期办结率%(rate)s。"
                    )
                )
                % {**total, "rate": rate},
            )
            lines = [
                [r["name"], *(r[k] for k in keys), f"{r['rate']}%" if r["rate"] is not None else "—"] for r in rows
            ]
            if len(rows) > 1:
                lines.append([str(_("合计")), *(total[k] for k in keys), rate])
            paper.table(document, COVERAGE_HEADERS, lines, widths=COVERAGE_WIDTHS, numeric=range(1, 8))
        if items:
            paper.paragraph(document, str(_("本年度应办和已办的关怀事项如下（按办理期限排列）：")))
            paper.table(
                document,
                OBLIGATION_HEADERS,
                [
                    [
                        ob.event.person.name,
                        f"{ob.event.get_kind_display()}（{paper.iso(ob.event.occurred_on)}）",
                        ob.get_kind_display(),
                        ob.get_responsible_role_display(),
                        ob.done_by.name if ob.done_by else "—",
                        paper.iso(ob.due_on),
                        paper.iso(ob.done_on),
                        _result(ob, today),
                    ]
                    for ob in items
                ],
                widths=OBLIGATION_WIDTHS,
                numeric=(2, 5, 6, 7),
            )

    def gaps(self, organization: Organization, period: Period) -> list[LedgerGap]:
        """Obligations not done whose deadline has passed (by the end of the year)."""
        open_obligations = (
            Obligation.objects.filter(_in_scope(Obligation, organization))
            .filter(status=ObligationStatus.OPEN)
            .select_related("event__person")
        )
        return overdue_gaps(
            SECTION,
            open_obligations,
            "due_on",
            period,
            _("%(name)s（%(event)s，%(day)s）的%(kind)s已超期未办，期限%(due)s"),
            lambda ob: {
                "name": ob.event.person.name,
                "event": ob.event.get_kind_display(),
                "day": paper.iso(ob.event.occurred_on),
                "kind": ob.get_kind_display(),
                "due": paper.iso(ob.due_on),
            },
            lambda ob: reverse("care:obligation", args=[ob.pk]),
        )


@dataclass(frozen=True)
class HardshipRecord(DocumentPart):
    section: str = SECTION
    key: str = "care.hardship"
    title: Any = _("困难职工（党员）帮扶情况")
    order: int = 20

    def render(self, organization: Organization, period: Period, document: Any) -> None:
        if self.title:
            paper.subheading(document, str(self.title))
        in_year = Q(supports__given_on__range=(period.start, period.end))
        entries = (
            HardshipEntry.objects.filter(_in_scope(HardshipEntry, organization), registered_on__lte=period.end)
            .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=period.start))
            .select_related("person", "person__department")
            .annotate(n=Count("supports", filter=in_year), amount=Sum("supports__amount", filter=in_year))
            .order_by("registered_on", "id")
        )
        rows = [
            [
                e.person.name,
                e.person.get_political_status_display(),
                e.person.department.name if e.person.department else "—",
                paper.iso(e.registered_on),
                paper.iso(e.closed_on),
                e.n,
                paper.money(e.amount),
            ]
            for e in entries
        ]
        if not rows:
            paper.paragraph(document, str(_("本年度无困难帮扶记录。")))
            return
        supports = Support.objects.filter(_in_scope(Support, organization), given_on__year=period.end.year)
        (year,) = yearly_totals(supports) or [{"n": 0, "people": 0, "amount": "0.00"}]
        paper.paragraph(
            document,
            str(_("本年度困难帮扶台账在册%(entries)d人；全年帮扶%(n)d次，帮扶%(people)d人，金额%(amount)s元。"))
            % {"entries": len(rows), "n": year["n"], "people": year["people"], "amount": paper.money(year["amount"])},
        )
        paper.table(document, HARDSHIP_HEADERS, rows, widths=HARDSHIP_WIDTHS, numeric=(3, 4, 5, 6))


def _matters(organization: Organization, period: Period):
    milestones = Milestone.objects.order_by("planned_on", "id")
    return (
        PracticalMatter.objects.filter(
            organization__in=Organization.objects.subtree(organization.path), year=period.end.year
        )
        .select_related("organization", "owner")
        .prefetch_related(Prefetch("milestones", queryset=milestones, to_attr="steps"))
        .order_by("organization__path", "id")
    )


def _safe(name: str) -> str:
    """A title as one part of a path in the .zip: no separators."""
    return name.replace("/", "／").replace("\\", "＼").strip() or "-"


def _milestone(m: Milestone) -> str:
    done = paper.iso(m.done_on) if m.done_on else str(_("未完成"))
    return f"{m.title}（{paper.iso(m.planned_on)}／{done}）"


@dataclass(frozen=True)
class MattersRecord(DocumentPart):
    section: str = SECTION
    key: str = "care.matters"
    title: Any = _("我为群众办实事")
    order: int = 30

    def render(self, organization: Organization, period: Period, document: Any) -> None:
        if self.title:
            paper.subheading(document, str(self.title))
        matters = list(_matters(organization, period))
        if not matters:
            paper.paragraph(document, str(_("本年度无办实事记录。")))
            return
        done = sum(1 for m in matters if m.status == MatterStatus.DONE)
        steps = sum(len(m.steps) for m in matters)
        steps_done = sum(1 for m in matters for s in m.steps if s.done_on)
        paper.paragraph(
            document,
            str(_("本年度办实事项目%(n)d项，已完成%(done)d项；计划节点%(steps)d个，已完成%(steps_done)d个。"))
            % {"n": len(matters), "done": done, "steps": steps, "steps_done": steps_done},
        )
        rows = [
            [
                n,
                m.title,
                m.organization.name,
                m.owner.name,
                m.beneficiary_count,
                "\n".join(_milestone(s) for s in m.steps) or "—",
                m.get_status_display(),
            ]
            for n, m in enumerate(matters, start=1)
        ]
        paper.table(document, MATTER_HEADERS, rows, widths=MATTER_WIDTHS, numeric=(0, 4, 6), split=True)

    def attachments(self, organization: Organization, period: Period) -> list[LedgerAttachment]:
        """The evidence files of the year's matters (one query), for the year's .zip."""
        files = (
            Evidence.objects.filter(matter__in=_matters(organization, period).values("pk"))
            .select_related("matter")
            .order_by("matter_id", "id")
        )
        return [
            LedgerAttachment(
                SECTION,
                f"办实事/{ev.matter_id}-{_safe(ev.matter.title)}/{ev.pk}-{_safe(ev.name)}",
                str(_("办实事项目「%(matter)s」佐证材料：%(name)s")) % {"matter": ev.matter.title, "name": ev.name},
                lambda f=ev.file: f.open("rb"),
                ev.size,
            )
            for ev in files
        ]

    def gaps(self, organization: Organization, period: Period) -> list[LedgerGap]:
        """Milestones of the year's matters still under way that are past their planned day and not done."""
        last = missed_by(period)
        late = [
            (m, s)
            for m in _matters(organization, period)
            if m.status not in (MatterStatus.DONE, MatterStatus.SUSPENDED)
            for s in m.steps
            if s.done_on is None and s.planned_on <= last
        ]
        return gaps_of(
            SECTION,
            late,
            _("办实事项目「%(matter)s」的节点「%(step)s」计划%(day)s完成，已逾期"),
            lambda ms: {"matter": ms[0].title, "step": ms[1].title, "day": paper.iso(ms[1].planned_on)},
            lambda ms: reverse("care:matter", args=[ms[0].pk]),
            lambda ms: ms[1].planned_on,
        )


OBLIGATIONS = CareRecord()
HARDSHIP = HardshipRecord()
MATTERS = MattersRecord()
