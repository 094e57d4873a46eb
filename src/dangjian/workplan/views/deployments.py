"""Deployments (同部署) as the responsible organisation sees them, and their progress (同推进): reported each
quarter with evidence, marked done, or cancelled by the plan's keeper."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.paging import paginate
from dangjian.core.scoping import require_perm
from dangjian.orgs.models import Organization

from .. import services
from ..forms import CancelForm, DoneForm, ReportForm
from ..models import Deployment, DeploymentStatus
from ..queries import latest_reports
from ..services import VIEW
from .common import PAGE, form_page, year_of
from .plans import STATUSES


def _deployment(request: HttpRequest, pk: int) -> Deployment:
    dep = (
        Deployment.objects.visible_to(request.user, VIEW)
        .filter(pk=pk)
        .select_related("item__plan__organization", "organization", "responsible")
        .first()
    )
    if dep is None:
        raise Http404
    return dep


def _reported(request: HttpRequest, pk: int) -> Deployment:
    dep = _deployment(request, pk)
    if not services.can_report(request.user, dep):
        raise Http404
    return dep


@require_perm(VIEW)
def deployments(request: HttpRequest) -> HttpResponse:
    """The deployments the user answers for or keeps: a secretary's branch, a member's own."""
    user = request.user
    today = timezone.localdate()
    year = year_of(request)
    status = request.GET.get("status", "")
    qs = (
        Deployment.objects.visible_to(user, VIEW)
        .filter(item__plan__year=year)
        .filter(services.status_q(status, today))
        .select_related("item__plan", "organization", "responsible")
        .order_by("deadline", "pk")
    )
    org = None
    raw = request.GET.get("org", "")
    if raw.isdigit():
        org = Organization.objects.visible_to(user, VIEW).filter(pk=int(raw)).first()
        if org is not None:
            qs = qs.filter(organization__path__startswith=org.path)
    page = paginate(request, qs, PAGE, keep={"year": year, "status": status, "org": org.pk if org else ""})
    latest = latest_reports((d.pk for d in page.object_list), files=True)
    for d in page.object_list:
        d.latest = latest.get(d.pk)
        d.overdue = d.status == DeploymentStatus.OPEN and d.deadline < today
        d.may_report = d.status == DeploymentStatus.OPEN and services.can_report(user, d)
    return render(
        request,
        "workplan/deployments.html",
        {"page": page, "year": year, "status": status, "statuses": STATUSES, "org": org},
    )


def _back(dep: Deployment) -> str:
    return reverse("workplan:deployments") + f"?year={dep.item.plan.year}"


@require_perm(VIEW)
def deployment_report(request: HttpRequest, pk: int) -> HttpResponse:
    dep = _reported(request, pk)
    form = ReportForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form,
        lambda d: services.report_progress(request.user, dep.pk, d, form.uploads()),
        success=_("推进情况已报告"),
        title=_("报告推进情况：%(dep)s") % {"dep": dep},
        intro=_("工作措施：%(m)s；完成时限：%(d)s") % {"m": dep.measure, "d": dep.deadline},
        back=_back(dep),
        template="workplan/upload_form.html",
    )


@require_perm(VIEW)
def deployment_done(request: HttpRequest, pk: int) -> HttpResponse:
    dep = _reported(request, pk)
    return form_page(
        request,
        DoneForm(request.POST or None),
        lambda d: services.mark_done(request.user, dep.pk, d["completed_on"]),
        success=_("已确认完成"),
        title=_("确认完成：%(dep)s") % {"dep": dep},
        back=_back(dep),
    )


@require_perm(VIEW)
def deployment_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    dep = _deployment(request, pk)
    if not services.can_keep(request.user, dep.item.plan):
        raise Http404
    return form_page(
        request,
        CancelForm(request.POST or None),
        lambda d: services.cancel(request.user, dep.pk, d["reason"]),
        success=_("部署已取消"),
        title=_("取消部署：%(dep)s") % {"dep": dep},
        back=reverse("workplan:plan_detail", args=[dep.item.plan_id]),
    )
