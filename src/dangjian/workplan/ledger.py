"""The 年度工作计划 part of an organisation's yearly record (台账), for the ledger's section ``plan``.

Two lists: the organisation's own plan for the year (its items, each with the responsible person, deadline, status
and latest progress of its deployments), and the items of other plans — the committee's 工作要点 — deployed to it or
to its party groups (四落实: the unit, the person, the measure, the deadline) with their status and progress. The
pieces are the plan documents' (``documents``: dates, the progress line, the numbering). ``gaps``: no plan for the
year, or a plan still in draft. A constant number of queries whatever the number of items and deployments.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core import paper
from dangjian.core.contributions import DocumentPart, LedgerGap, Period
from dangjian.orgs.models import Organization, OrgKind

from .documents import _clause, _progress, _short
from .models import Deployment, DeploymentStatus, PlanItem, PlanStatus, WorkPlan
from .queries import attach_latest, latest_reports, with_deployments

OWN_HEADERS = (
    gettext_lazy("序号"),
    gettext_lazy("工作事项"),
    gettext_lazy("责任人"),
    gettext_lazy("完成时限"),
    gettext_lazy("状态"),
    gettext_lazy("推进情况"),
)
# mm of the 156 mm type area at 五号: a name of four characters, "12月31日", "推进中" on one line
OWN_WIDTHS = (10, 50, 17, 20, 15, 44)
DEPLOYED_HEADERS = (
    gettext_lazy("序号"),
    gettext_lazy("工作事项及措施"),
    gettext_lazy("责任单位"),
    gettext_lazy("责任人"),
    gettext_lazy("完成时限"),
    gettext_lazy("状态"),
    gettext_lazy("推进情况"),
)
DEPLOYED_WIDTHS = (10, 44, 24, 17, 20, 15, 26)


def _plan_line(plan: WorkPlan) -> str:
    """《…》（所党发〔2026〕1号，2026年1月5日印发） or （草拟中）."""
    if plan.status == PlanStatus.PUBLISHED:
        issued = _("%(day)s印发") % {"day": paper.cn_date(plan.published_on)} if plan.published_on else _("已印发")
        note = f"{plan.doc_no}，{issued}" if plan.doc_no else issued
    else:
        note = str(plan.get_status_display())
    return f"《{plan.title}》（{note}）"


@dataclass(frozen=True)
class PlanPart(DocumentPart):
    section: str = "plan"
    key: str = "workplan.plan"
    title: Any = ""
    order: int = 10

    def own_plan(self, organization: Organization, year: int) -> WorkPlan | None:
        return WorkPlan.objects.filter(organization=organization, year=year).select_related("parent").first()

    def deployed(self, organization: Organization, year: int) -> list[Deployment]:
        """The deployments of other organisations' plans of the year to the organisation or its subtree."""
        rows = list(
            Deployment.objects.filter(
                organization__in=Organization.objects.subtree(organization.path),
                item__plan__year=year,
                item__deleted_at__isnull=True,
                item__plan__deleted_at__isnull=True,
            )
            .exclude(item__plan__organization=organization)
            .exclude(status=DeploymentStatus.CANCELLED)
            .select_related("item__plan__organization", "organization", "responsible")
            .order_by("item__plan__organization__path", "item__order", "item_id", "deadline", "pk")
        )
        latest = latest_reports(d.pk for d in rows)
        for d in rows:
            d.latest = latest.get(d.pk)
        return rows

    def render(self, organization: Organization, period: Period, document: Any) -> None:
        """Adds the own plan's items and the deployed items to ``document``. At most eight queries."""
        if self.title:
            paper.subheading(document, str(self.title))
        year = period.end.year
        plan = self.own_plan(organization, year)
        deployed = self.deployed(organization, year)
        if plan is None and not deployed:
            paper.paragraph(document, _("本年度无工作计划记录。"))
            return
        paper.subheading(document, _("一、本组织年度工作计划"))
        if plan is None:
            paper.paragraph(document, _("本年度未制定工作计划。"))
        else:
            self._own(document, plan, year)
        paper.subheading(document, _("二、上级部署的工作任务"))
        if not deployed:
            paper.paragraph(document, _("本年度无上级部署的工作任务。"))
            return
        plans: dict[int, list[Deployment]] = {}
        for d in deployed:
            plans.setdefault(d.item.plan_id, []).append(d)
        for rows in plans.values():
            paper.paragraph(document, _("据%(plan)s部署：") % {"plan": _plan_line(rows[0].item.plan)})
            lines = [
                (
                    n,
                    f"{d.item.title}：{_clause(d.measure)}" if d.measure.strip() else d.item.title,
                    d.organization.name,
                    d.responsible.name,
                    _short(d.deadline, year),
                    d.get_status_display(),
                    _progress(d),
                )
                for n, d in enumerate(rows, 1)
            ]
            paper.table(document, DEPLOYED_HEADERS, lines, widths=DEPLOYED_WIDTHS, numeric=(0, 3, 4, 5), split=True)

    def _own(self, document: Any, plan: WorkPlan, year: int) -> None:
        items = list(
            with_deployments(
                PlanItem.objects.filter(plan=plan).order_by("order", "pk"),
                Deployment.objects.filter(item__plan=plan),
            )
        )
        attach_latest(items)
        line = _plan_line(plan)
        if plan.parent_id:
            line += _("，根据《%(parent)s》制定") % {"parent": plan.parent.title}
        paper.paragraph(document, _("%(plan)s，共列工作事项%(n)d项。") % {"plan": line, "n": len(items)})
        if not items:
            return
        rows = []
        for n, item in enumerate(items, 1):
            live = [d for d in item.shown if d.status != DeploymentStatus.CANCELLED]
            title = f"{item.category}：{item.title}" if item.category else item.title
            if not live:
                rows.append((n, title, "—", "—", _("未部署"), "—"))
            for d in live:
                unit = "" if d.organization_id == plan.organization_id else f"（{d.organization.name}）"
                rows.append(
                    (
                        n,
                        title,
                        f"{d.responsible.name}{unit}",
                        _short(d.deadline, year),
                        d.get_status_display(),
                        _progress(d),
                    )
                )
        paper.table(document, OWN_HEADERS, rows, widths=OWN_WIDTHS, numeric=(0, 2, 3, 4), split=True)

    def gaps(self, organization: Organization, period: Period) -> Iterable[LedgerGap]:
        """No plan for the year (link: the page that makes one — the committee's 工作要点, or a branch's plan derived
        from it), or a plan still in draft (link: the plan). One query."""
        year = period.end.year
        plan = WorkPlan.objects.filter(organization=organization, year=year).first()
        if plan is None:
            page = "workplan:plan_create" if organization.kind == OrgKind.COMMITTEE else "workplan:plan_derive"
            return [
                LedgerGap(
                    self.section,
                    _("%(org)s未制定%(year)d年度工作计划") % {"org": organization.name, "year": year},
                    reverse(page),
                    period.start,
                )
            ]
        if plan.status != PlanStatus.PUBLISHED:
            return [
                LedgerGap(
                    self.section,
                    _("%(year)d年度工作计划《%(title)s》尚未印发") % {"year": year, "title": plan.title},
                    reverse("workplan:plan_detail", args=[plan.pk]),
                )
            ]
        return []


PLAN = PlanPart()
PARTS = (PLAN,)
