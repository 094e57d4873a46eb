"""Writes of the yearly work plan (四同), each in one transaction, audited, with its scope re-checked.

- 同谋划: the committee office (``integration.manage``) writes the committee's 工作要点 — items linked to the business
  lines and key tasks they serve — and issues it (文号, date).
- 同部署: an item is deployed to organisations, each with a responsible person (a member of that organisation), a
  measure and a deadline (四落实). A branch secretary (``integration.change``) derives the branch's own plan from
  the committee's (the items deployed to the branch, copied with ``source`` set, plus the branch's own) and
  deploys its own items inside the branch.
- 同推进: the responsible organisation reports progress each quarter, with evidence; it marks the work done, or
  the plan's keeper cancels it with a reason.

A plan's keeper is the committee office for a committee's plan (no parent) and the organisation's maintainers
(``integration.change``) for a plan derived from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts.scope import can
from dangjian.audit.services import record, snapshot
from dangjian.integration import evidence
from dangjian.integration.models import BusinessLine, Project
from dangjian.orgs.models import Organization, OrgKind
from dangjian.people.models import Membership

from .models import Deployment, DeploymentStatus, PlanItem, PlanStatus, ProgressReport, WorkPlan

VIEW = "integration.view"
CHANGE = "integration.change"
MANAGE = "integration.manage"

OFFICE_ONLY = gettext_lazy("只有党委办公室可以维护党委年度工作要点")
NOT_KEEPER = gettext_lazy("您无权维护该工作计划")
CLOSED = gettext_lazy("该任务已完成或已取消")


def quarter_of(d: date) -> int:
    return (d.month - 1) // 3 + 1


def keeper_perm(plan: WorkPlan) -> str:
    """The permission that keeps ``plan``: the committee's own plan is the office's act, a derived plan its
    organisation's maintainers'."""
    return MANAGE if plan.parent_id is None else CHANGE


def can_keep(user, plan: WorkPlan) -> bool:
    return can(user, keeper_perm(plan), plan.organization)


def can_report(user, deployment: Deployment) -> bool:
    """The responsible organisation's maintainers, or the responsible person, report progress and mark it done."""
    return (user.person_id is not None and user.person_id == deployment.responsible_id) or can(
        user, CHANGE, deployment.organization
    )


def _check_keeper(user, plan: WorkPlan) -> None:
    if not can_keep(user, plan):
        raise ValidationError(OFFICE_ONLY if plan.parent_id is None else NOT_KEEPER)


def _locked_plan(user, pk: int) -> WorkPlan:
    plan = WorkPlan.objects.visible_to(user, VIEW).select_for_update().filter(pk=pk).first()
    if plan is None:
        raise Http404(_("对象不存在"))
    return plan


def _locked_item(user, pk: int) -> PlanItem:
    # the item's plan must be visible (a committee item seen only through its deployment is not the user's to edit)
    item = (
        PlanItem.objects.filter(pk=pk, plan__in=WorkPlan.objects.visible_to(user, VIEW))
        .select_related("plan__organization")
        .select_for_update(of=("self",))
        .first()
    )
    if item is None:
        raise Http404(_("对象不存在"))
    return item


def _locked_deployment(user, pk: int) -> Deployment:
    dep = (
        Deployment.objects.visible_to(user, VIEW)
        .filter(pk=pk)
        .select_related("item__plan__organization", "organization")
        .select_for_update(of=("self",))
        .first()
    )
    if dep is None:
        raise Http404(_("对象不存在"))
    return dep


# ---- 同谋划: plans and items ----


def create_plan(user, organization: Organization, year: int, title: str = "") -> WorkPlan:
    """The committee office starts its committee's 工作要点 for ``year`` (a draft until issued)."""
    if organization.kind != OrgKind.COMMITTEE or not can(user, MANAGE, organization):
        raise ValidationError(OFFICE_ONLY)
    with transaction.atomic():
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        if WorkPlan.objects.filter(organization=organization, year=year).exists():
            raise ValidationError({"year": _("该组织本年度已有工作计划")})
        plan = WorkPlan(
            organization=organization,
            year=year,
            title=(title or "").strip()
            or _("%(org)s%(year)d年党建工作要点") % {"org": organization.name, "year": year},
            created_by=user,
        )
        plan.full_clean()
        plan.save()
        record("create", plan, after=snapshot(plan))
    return plan


def parent_plan(organization: Organization, year: int) -> WorkPlan | None:
    """The issued plan of the nearest organisation above ``organization`` that has one for ``year``."""
    steplen = organization.steplen
    ancestors = [organization.path[:n] for n in range(steplen, len(organization.path), steplen)]
    return (
        WorkPlan.objects.filter(organization__path__in=ancestors, year=year, status=PlanStatus.PUBLISHED)
        .select_related("organization")
        .order_by("-organization__depth")
        .first()
    )


def derive_plan(user, organization: Organization, year: int, title: str = "") -> WorkPlan:
    """A branch's own plan for ``year``, derived from the issued plan above it: each item deployed to the branch
    (not cancelled) is copied as the branch's item with ``source`` set, its business links kept; the branch edits
    them and adds its own."""
    if organization.kind == OrgKind.COMMITTEE:
        raise ValidationError({"organization": _("党委的工作要点由党委办公室制定")})
    if not can(user, CHANGE, organization):
        raise Http404(_("对象不存在"))
    with transaction.atomic():
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        if WorkPlan.objects.filter(organization=organization, year=year).exists():
            raise ValidationError({"year": _("该组织本年度已有工作计划")})
        parent = parent_plan(organization, year)
        if parent is None:
            raise ValidationError({"year": _("上级党组织本年度的工作要点尚未印发，暂不能制定本支部计划")})
        plan = WorkPlan(
            organization=organization,
            year=year,
            parent=parent,
            title=(title or "").strip() or _("%(org)s%(year)d年工作计划") % {"org": organization.name, "year": year},
            created_by=user,
        )
        plan.full_clean()
        plan.save()
        record("create", plan, after=snapshot(plan), detail={"parent": parent.pk})
        sources = (
            PlanItem.objects.filter(
                plan=parent,
                deployments__organization=organization,
                deployments__deleted_at__isnull=True,
            )
            .exclude(deployments__status=DeploymentStatus.CANCELLED, deployments__organization=organization)
            .distinct()
            .prefetch_related("lines", "projects")
            .order_by("order", "pk")
        )
        for n, source in enumerate(sources, 1):
            item = PlanItem.objects.create(
                plan=plan,
                order=n,
                category=source.category,
                title=source.title,
                content=source.content,
                source=source,
            )
            item.lines.set(source.lines.all())
            item.projects.set(source.projects.all())
            record("create", item, after=snapshot(item), detail={"source": source.pk})
    return plan


def update_plan(user, plan_id: int, data: dict[str, Any]) -> WorkPlan:
    """The title and the year-end summary (年度工作总结) of a plan."""
    with transaction.atomic():
        plan = _locked_plan(user, plan_id)
        _check_keeper(user, plan)
        before = snapshot(plan)
        plan.title = (data.get("title") or "").strip() or plan.title
        plan.summary = (data.get("summary") or "").strip()
        plan.full_clean()
        plan.save()
        record("update", plan, before=before, after=snapshot(plan))
    return plan


def publish_plan(user, plan_id: int, doc_no: str, published_on: date) -> WorkPlan:
    """Issues the plan under its 文号 and date; its items are then deployed."""
    with transaction.atomic():
        plan = _locked_plan(user, plan_id)
        _check_keeper(user, plan)
        if plan.status == PlanStatus.PUBLISHED:
            raise ValidationError(_("该计划已印发"))
        if not (doc_no or "").strip():
            raise ValidationError({"doc_no": _("请填写文号")})
        if published_on is None:
            raise ValidationError({"published_on": _("请填写印发日期")})
        if published_on > timezone.localdate():
            raise ValidationError({"published_on": _("印发日期不能晚于今天")})
        if not plan.items.exists():
            raise ValidationError(_("计划还没有工作事项，不能印发"))
        before = snapshot(plan)
        plan.status, plan.doc_no, plan.published_on = PlanStatus.PUBLISHED, doc_no.strip(), published_on
        plan.save(update_fields=["status", "doc_no", "published_on", "updated_at"])
        record("update", plan, before=before, after=snapshot(plan), detail={"change": "publish"})
    return plan


def _check_links(user, data: dict[str, Any]) -> None:
    lines = list(data.get("lines") or [])
    projects = list(data.get("projects") or [])
    if lines and BusinessLine.objects.visible_to(user, VIEW).filter(pk__in=[x.pk for x in lines]).count() != len(lines):
        raise ValidationError({"lines": _("所选主业不在您的查看范围内")})
    if projects and Project.objects.visible_to(user, VIEW).filter(
        pk__in=[x.pk for x in projects]
    ).distinct().count() != len(projects):
        raise ValidationError({"projects": _("所选重点任务不在您的查看范围内")})


def save_item(user, plan_id: int, data: dict[str, Any], item_id: int | None = None) -> PlanItem:
    """Adds an item to the plan (last in order) or edits one: category, title, content and the business lines
    and key tasks it serves (同谋划)."""
    if not (data.get("title") or "").strip():
        raise ValidationError({"title": _("请填写工作事项")})
    with transaction.atomic():
        if item_id is None:
            plan = _locked_plan(user, plan_id)
            item = PlanItem(plan=plan)
            before = None
            top = plan.items.aggregate(top=Max("order"))["top"] or 0
            item.order = top + 1
        else:
            item = _locked_item(user, item_id)
            plan = item.plan
            before = snapshot(item)
        _check_keeper(user, plan)
        _check_links(user, data)
        item.category = (data.get("category") or "").strip()
        item.title = data["title"].strip()
        item.content = (data.get("content") or "").strip()
        item.full_clean(exclude=["plan", "source"])
        item.save()
        item.lines.set(data.get("lines") or [])
        item.projects.set(data.get("projects") or [])
        after = snapshot(item) | {
            "lines": sorted(x.pk for x in data.get("lines") or []),
            "projects": sorted(x.pk for x in data.get("projects") or []),
        }
        record("create" if before is None else "update", item, before=before, after=after)
    return item


def move_item(user, item_id: int, up: bool) -> bool:
    """Swaps the item with its neighbour above (or below); False when it is already first (last)."""
    with transaction.atomic():
        item = _locked_item(user, item_id)
        _check_keeper(user, item.plan)
        siblings = list(PlanItem.objects.filter(plan=item.plan).select_for_update().order_by("order", "pk"))
        i = next(n for n, s in enumerate(siblings) if s.pk == item.pk)
        j = i - 1 if up else i + 1
        if not 0 <= j < len(siblings):
            return False
        siblings[i], siblings[j] = siblings[j], siblings[i]
        for n, s in enumerate(siblings, 1):
            if s.order != n:
                s.order = n
                s.save(update_fields=["order", "updated_at"])
        record("update", item, detail={"change": "move", "up": up})
    return True


# ---- 同部署: deployments ----


def deployable_organizations(user, plan: WorkPlan):
    """Where the plan's items go: the organisations of the plan's subtree that its keeper keeps."""
    return (
        Organization.objects.visible_to(user, keeper_perm(plan))
        .filter(path__startswith=plan.organization.path)
        .active()
        .order_by("path")
    )


def deploy(user, item_id: int, data: dict[str, Any]) -> Deployment:
    """Deploys an item of an issued plan to one organisation (四落实: 责任单位、责任人、工作措施、完成时限)."""
    with transaction.atomic():
        item = _locked_item(user, item_id)
        plan = item.plan
        _check_keeper(user, plan)
        if plan.status != PlanStatus.PUBLISHED:
            raise ValidationError(_("计划印发后才能部署工作事项"))
        org = data.get("organization")
        if org is None:
            raise ValidationError({"organization": _("请选择责任单位")})
        if not org.path.startswith(plan.organization.path) or not can(user, keeper_perm(plan), org):
            raise ValidationError({"organization": _("责任单位应在本计划所属党组织范围内")})
        person = data.get("responsible")
        if person is None:
            raise ValidationError({"responsible": _("请选择责任人")})
        if (
            not Membership.objects.current()
            .filter(person=person)
            .filter(Q(organization__in=Organization.objects.subtree(org)) | Q(group=org))
            .exists()
        ):
            raise ValidationError({"responsible": _("责任人应为责任单位的党员")})
        if not (data.get("measure") or "").strip():
            raise ValidationError({"measure": _("请填写工作措施")})
        deadline = data.get("deadline")
        if deadline is None:
            raise ValidationError({"deadline": _("请填写完成时限")})
        if deadline.year != plan.year:
            raise ValidationError({"deadline": _("完成时限应在计划年度内")})
        if item.deployments.filter(
            organization=org, status__in=[DeploymentStatus.OPEN, DeploymentStatus.DONE]
        ).exists():
            raise ValidationError({"organization": _("该事项已部署到该单位")})
        dep = Deployment(
            item=item,
            organization=org,
            responsible=person,
            measure=data["measure"].strip(),
            deadline=deadline,
            deployed_by=user,
        )
        dep.full_clean()
        dep.save()
        record("create", dep, after=snapshot(dep))
    return dep


# ---- 同推进: progress, done, cancelled ----


def report_progress(
    user, deployment_id: int, data: dict[str, Any], files: Sequence[tuple[str, Any]] = ()
) -> ProgressReport:
    """A quarter's progress on a deployment, with evidence files (``integration.evidence``)."""
    today = timezone.localdate()
    with transaction.atomic():
        dep = _locked_deployment(user, deployment_id)
        if not can_report(user, dep):
            raise ValidationError(_("只有责任单位或责任人可以报告推进情况"))
        if dep.status != DeploymentStatus.OPEN:
            raise ValidationError(CLOSED)
        percent = data.get("percent")
        if percent is None or not 0 <= percent <= 100:
            raise ValidationError({"percent": _("完成进度应在0到100之间")})
        if not (data.get("content") or "").strip():
            raise ValidationError({"content": _("请填写推进情况")})
        year = data.get("year") or today.year
        quarter = data.get("quarter") or quarter_of(today)
        if not 1 <= quarter <= 4:
            raise ValidationError({"quarter": _("季度应在1到4之间")})
        if (year, quarter) > (today.year, quarter_of(today)):
            raise ValidationError({"quarter": _("不能报告尚未开始的季度")})
        report = ProgressReport(
            deployment=dep,
            year=year,
            quarter=quarter,
            percent=percent,
            content=data["content"].strip(),
            reported_on=today,
            reported_by=user,
        )
        report.full_clean()
        report.save()
        record("create", report, after=snapshot(report), object_repr=f"{dep} · {year}Q{quarter}")
        for title, upload in files:
            evidence.attach(user, report, title, upload)
    return report


def mark_done(user, deployment_id: int, completed_on: date) -> Deployment:
    with transaction.atomic():
        dep = _locked_deployment(user, deployment_id)
        if not can_report(user, dep):
            raise ValidationError(_("只有责任单位或责任人可以确认完成"))
        if dep.status != DeploymentStatus.OPEN:
            raise ValidationError(CLOSED)
        if completed_on is None:
            raise ValidationError({"completed_on": _("请填写完成日期")})
        if completed_on > timezone.localdate():
            raise ValidationError({"completed_on": _("完成日期不能晚于今天")})
        if completed_on.year < dep.item.plan.year:
            raise ValidationError({"completed_on": _("完成日期不能早于计划年度")})
        before = snapshot(dep)
        dep.status, dep.completed_on = DeploymentStatus.DONE, completed_on
        dep.save(update_fields=["status", "completed_on", "updated_at"])
        record("update", dep, before=before, after=snapshot(dep), detail={"change": "done"})
    return dep


def cancel(user, deployment_id: int, reason: str) -> Deployment:
    """The plan's keeper (for the committee's plan, the office) cancels a deployment with a reason."""
    with transaction.atomic():
        dep = _locked_deployment(user, deployment_id)
        _check_keeper(user, dep.item.plan)
        if dep.status != DeploymentStatus.OPEN:
            raise ValidationError(_("只有推进中的任务可以取消"))
        if not (reason or "").strip():
            raise ValidationError({"reason": _("请填写取消原因")})
        before = snapshot(dep)
        dep.status, dep.cancel_reason = DeploymentStatus.CANCELLED, reason.strip()
        dep.save(update_fields=["status", "cancel_reason", "updated_at"])
        record("update", dep, before=before, after=snapshot(dep), detail={"change": "cancel"})
    return dep


def status_q(status: str, today: date, prefix: str = "") -> Q:
    """The pages' status filter: overdue (open past its deadline), open, done."""
    if status == "overdue":
        return Q(**{f"{prefix}status": DeploymentStatus.OPEN, f"{prefix}deadline__lt": today})
    if status in ("open", "done", "cancelled"):
        return Q(**{f"{prefix}status": status})
    return Q()
