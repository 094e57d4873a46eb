"""The care part of an organisation's yearly record (关心关怀情况), for the ledger.

Three sections, each with the figures of its page for the organisation's secretary (the same scope: the members of
its branches and the staff of the departments they cover):

- 五必问、五必谈、五必访: the coverage table per branch ("关怀落实情况") and every obligation due in the year with its
  deadline and whether it was done in time (events count by the day they happened, obligations by their deadline);
- 困难职工（党员）帮扶: the people on the hardship register during the year with the support given in it, and the
  year's line of the register's yearly totals;
- 我为群众办实事: the year's practical matters as the yearly list shows them.

Health and private details stay out: the event's description, the hardship reason, what was said or done at a
visit and a support's note are sensitive personal information (PIPL art. 28) that the pages show one record at a
time; the record names the kind of event only, as the lists do. A constant number of queries (seven).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import Scope, scope_filter
from dangjian.core import paper
from dangjian.core.contributions import DocumentPart, Period
from dangjian.orgs.models import Organization

from .filters import coverage_of
from .hardship import yearly_totals
from .models import CareEvent, HardshipEntry, MatterStatus, Obligation, ObligationStatus, PracticalMatter, Support

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
OBLIGATION_HEADERS = (_("职工"), _("关怀事件"), _("方式"), _("责任人"), _("期限"), _("办理日期"), _("办理结果"))
OBLIGATION_WIDTHS = (16, 45, 11, 24, 21, 21, 18)
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
MATTER_HEADERS = (_("项目名称"), _("责任党组织"), _("负责人"), _("受益人数"), _("受益群体"), _("节点"), _("状态"))
MATTER_WIDTHS = (46, 28, 14, 17, 25, 12, 14)


def _in_scope(model, organization: Organization) -> Q:
    """The rows of ``model`` that the organisation's secretary sees (its declared scope over the subtree)."""
    q = scope_filter(model, Scope(subtree_paths=(organization.path,)), model.scoped_by)
    return Q() if q is None else q


def _result(ob: Obligation, today: date) -> str:
    """The obligation's state as the lists show it."""
    if ob.status == ObligationStatus.CLOSED:
        return str(_("按期办结")) if ob.in_time else str(_("逾期办结"))
    return str(_("已超期")) if ob.due_on < today else str(_("待办"))


@dataclass(frozen=True)
class CareRecord(DocumentPart):
    section: str = "care"
    key: str = "care.year"
    title: Any = _("关心关怀情况")
    order: int = 80

    def render(self, organization: Organization, period: Period, document: Any) -> None:
        """Adds a heading and the three sections of the year to ``document`` (a python-docx Document)."""
        today = timezone.localdate()
        paper.heading(document, _("%(title)s（%(year)d年）") % {"title": self.title, "year": period.end.year})
        self._obligations(document, organization, period, today)
        self._hardship(document, organization, period)
        self._matters(document, organization, period)

    def _obligations(self, document: Any, organization: Organization, period: Period, today: date) -> None:
        paper.subheading(document, str(_("一、五必问、五必谈、五必访落实情况")))
        events = CareEvent.objects.filter(_in_scope(CareEvent, organization))
        obligations = Obligation.objects.filter(_in_scope(Obligation, organization))
        rows = coverage_of(events, obligations, period.start, period.end, today, "branch")
        if not rows:
            paper.paragraph(document, str(_("本年度没有关怀事件，也没有办理期限在本年度内的关怀事项。")))
            return
        total = {k: sum(r[k] for r in rows) for k in ("events", "due", "in_time", "late_done", "late_open", "open")}
        rate = f"{round(100 * total['in_time'] / total['due'])}%" if total["due"] else "—"
        paper.paragraph(
            document,
            str(
                _(
                    "本年度登记关怀事件%(events)d件；办理期限在本年度内的关怀事项%(due)d项，其中按期办结%(in_time)d项，"
                    "逾期办结%(late_done)d项，超期未办%(late_open)d项，未到期%(open)d项，按期办结率%(rate)s。"
                )
            )
            % {**total, "rate": rate},
        )
        lines = [
            [r["name"], r["events"], r["due"], r["in_time"], r["late_done"], r["late_open"], r["open"]]
            + [f"{r['rate']}%" if r["rate"] is not None else "—"]
            for r in rows
        ]
        if len(rows) > 1:
            keys = ("events", "due", "in_time", "late_done", "late_open", "open")
            lines.append([str(_("合计")), *(total[k] for k in keys), rate])
        paper.table(document, COVERAGE_HEADERS, lines, widths=COVERAGE_WIDTHS, numeric=range(1, 8))
        due = (
            obligations.filter(due_on__range=(period.start, period.end))
            .exclude(status=ObligationStatus.CANCELLED)
            .select_related("event__person")
            .order_by("due_on", "id")
        )
        items = [
            [
                ob.event.person.name,
                f"{ob.event.get_kind_display()}（{paper.iso(ob.event.occurred_on)}）",
                ob.get_kind_display(),
                ob.get_responsible_role_display(),
                paper.iso(ob.due_on),
                paper.iso(ob.done_on),
                _result(ob, today),
            ]
            for ob in due
        ]
        if items:
            paper.paragraph(document, str(_("本年度应办关怀事项明细如下（按办理期限排列）：")))
            paper.table(document, OBLIGATION_HEADERS, items, widths=OBLIGATION_WIDTHS, numeric=(4, 5, 6))

    def _hardship(self, document: Any, organization: Organization, period: Period) -> None:
        paper.subheading(document, str(_("二、困难职工（党员）帮扶情况")))
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
            paper.paragraph(document, str(_("本年度困难帮扶台账中没有人员。")))
            return
        supports = Support.objects.filter(_in_scope(Support, organization), given_on__year=period.end.year)
        (year,) = yearly_totals(supports) or [{"n": 0, "people": 0, "amount": "0.00"}]
        paper.paragraph(
            document,
            str(_("本年度困难帮扶台账在册%(entries)d人；全年帮扶%(n)d次，帮扶%(people)d人，金额%(amount)s元。"))
            % {"entries": len(rows), "n": year["n"], "people": year["people"], "amount": paper.money(year["amount"])},
        )
        paper.table(document, HARDSHIP_HEADERS, rows, widths=HARDSHIP_WIDTHS, numeric=(3, 4, 5, 6))

    def _matters(self, document: Any, organization: Organization, period: Period) -> None:
        paper.subheading(document, str(_("三、我为群众办实事")))
        matters = (
            PracticalMatter.objects.filter(
                organization__in=Organization.objects.subtree(organization.path), year=period.end.year
            )
            .select_related("organization", "owner")
            .annotate(
                n_ms=Count("milestones", distinct=True),
                n_done=Count("milestones", filter=Q(milestones__done_on__isnull=False), distinct=True),
            )
            .order_by("organization__path", "id")
        )
        rows = [
            [
                m.title,
                m.organization.name,
                m.owner.name,
                m.beneficiary_count,
                m.beneficiary_groups or "—",
                f"{m.n_done}/{m.n_ms}",
                m.get_status_display(),
            ]
            for m in matters
        ]
        if not rows:
            paper.paragraph(document, str(_("本年度没有办实事项目。")))
            return
        done = sum(1 for m in matters if m.status == MatterStatus.DONE)
        paper.paragraph(
            document,
            str(_("本年度办实事项目%(n)d项，已完成%(done)d项；“节点”为已完成节点数/计划节点数。"))
            % {"n": len(rows), "done": done},
        )
        paper.table(document, MATTER_HEADERS, rows, widths=MATTER_WIDTHS, numeric=(3, 5))


RECORD = CareRecord()
