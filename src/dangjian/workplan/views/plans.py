"""The plans of a year, one plan with its items, deployments and latest progress, and the plan's own writes."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import has_perm
from dangjian.core.paging import paginate
from dangjian.core.scoping import get_visible, require_perm
from dangjian.orgs.models import Organization

from .. import services
from ..forms import PlanCreateForm, PlanDeriveForm, PlanEditForm, PublishForm
from ..models import Deployment, DeploymentStatus, WorkPlan
from ..queries import attach_latest, with_deployments
from ..services import CHANGE, MANAGE, VIEW
from .common import PAGE, form_page, year_of

STATUSES = (("overdue", _("已超期")), ("open", _("推进中")), ("done", _("已完成")), ("cancelled", _("已取消")))


@require_perm(VIEW)
def plans(request: HttpRequest) -> HttpResponse:
    year = year_of(request)
    qs = (
        WorkPlan.objects.visible_to(request.user, VIEW)
        .filter(year=year)
        .select_related("organization", "parent")
        .order_by("organization__path", "pk")
    )
    page = paginate(request, qs, PAGE, keep={"year": year})
    return render(
        request,
        "workplan/plans.html",
        {
            "page": page,
            "year": year,
            "can_create": has_perm(request.user, MANAGE),
            "can_derive": has_perm(request.user, CHANGE),
        },
    )


def _plan(request: HttpRequest, pk: int) -> WorkPlan:
    return get_visible(WorkPlan.objects.select_related("organization", "parent"), request.user, VIEW, pk=pk)


def _kept(request: HttpRequest, pk: int) -> WorkPlan:
    """A plan the user keeps; 404 otherwise (the committee office keeps the committee's)."""
    plan = _plan(request, pk)
    if not services.can_keep(request.user, plan):
        raise Http404
    return plan


@require_perm(VIEW)
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    plan = _plan(request, pk)
    today = timezone.localdate()
    status = request.GET.get("status", "")
    deployments = Deployment.objects.visible_to(user, VIEW).filter(item__plan=plan)
    deployments = deployments.filter(services.status_q(status, today))
    org = None
    raw = request.GET.get("org", "")
    if raw.isdigit():
        org = Organization.objects.visible_to(user, VIEW).filter(pk=int(raw)).first()
        if org is not None:
            deployments = deployments.filter(organization__path__startswith=org.path)
    items = plan.items.order_by("order", "pk")
    if status or org is not None:
        items = items.filter(pk__in=deployments.values("item_id"))
    page = paginate(request, with_deployments(items, deployments), PAGE)
    attach_latest(page.object_list, files=True)
    keeper = services.can_keep(user, plan)
    for item in page.object_list:
        for d in item.shown:
            d.overdue = d.status == DeploymentStatus.OPEN and d.deadline < today
            d.may_report = d.status == DeploymentStatus.OPEN and services.can_report(user, d)
            d.may_cancel = keeper and d.status == DeploymentStatus.OPEN
    orgs = services.deployable_organizations(user, plan) if keeper else Organization.objects.none()
    return render(
        request,
        "workplan/plan_detail.html",
        {
            "plan": plan,
            "page": page,
            "keeper": keeper,
            "status": status,
            "statuses": STATUSES,
            "org": org,
            "orgs": orgs,
            "published": plan.status == "published",
        },
    )


@require_perm(MANAGE)
def plan_create(request: HttpRequest) -> HttpResponse:
    form = PlanCreateForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        lambda d: services.create_plan(request.user, d["organization"], d["year"], d["title"]),
        success=_("工作要点已创建"),
        title=_("制定党委年度党建工作要点"),
        back=reverse("workplan:plans"),
        done=lambda plan: reverse("workplan:plan_detail", args=[plan.pk]),
    )


@require_perm(CHANGE)
def plan_derive(request: HttpRequest) -> HttpResponse:
    form = PlanDeriveForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        lambda d: services.derive_plan(request.user, d["organization"], d["year"], d["title"]),
        success=_("支部工作计划已生成"),
        title=_("制定支部年度工作计划"),
        intro=_("上级党委部署到本支部的工作事项将复制为本计划的事项，可修改，也可增加本支部的事项。"),
        back=reverse("workplan:plans"),
        done=lambda plan: reverse("workplan:plan_detail", args=[plan.pk]),
    )


@require_perm(VIEW)
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _kept(request, pk)
    form = PlanEditForm(request.POST or None, initial={"title": plan.title, "summary": plan.summary})
    back = reverse("workplan:plan_detail", args=[plan.pk])
    return form_page(
        request,
        form,
        lambda d: services.update_plan(request.user, plan.pk, d),
        success=_("计划已保存"),
        title=_("修改计划与年度工作总结"),
        back=back,
    )


@require_perm(VIEW)
def plan_publish(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _kept(request, pk)
    form = PublishForm(request.POST or None, initial={"doc_no": plan.doc_no})
    back = reverse("workplan:plan_detail", args=[plan.pk])
    return form_page(
        request,
        form,
        lambda d: services.publish_plan(request.user, plan.pk, d["doc_no"], d["published_on"]),
        success=_("计划已印发"),
        title=_("印发 %(plan)s") % {"plan": plan.title},
        back=back,
    )
