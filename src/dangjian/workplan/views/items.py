"""A plan's items (同谋划: linked to business lines and key tasks) and their deployment (同部署)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dangjian.core.scoping import require_perm

from .. import services
from ..forms import DeployForm, ItemForm
from ..models import PlanItem, WorkPlan
from ..services import VIEW
from .common import form_page
from .plans import _kept


def _item(request: HttpRequest, pk: int) -> PlanItem:
    """An item of a plan the user keeps (an item seen only through a deployment to the branch is not theirs)."""
    item = (
        PlanItem.objects.filter(pk=pk, plan__in=WorkPlan.objects.visible_to(request.user, VIEW))
        .select_related("plan__organization", "plan__parent")
        .first()
    )
    if item is None or not services.can_keep(request.user, item.plan):
        raise Http404
    return item


@require_perm(VIEW)
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _kept(request, pk)
    form = ItemForm(request.POST or None, user=request.user, plan=plan)
    return form_page(
        request,
        form,
        lambda d: services.save_item(request.user, plan.pk, d),
        success=_("工作事项已添加"),
        title=_("添加工作事项"),
        back=reverse("workplan:plan_detail", args=[plan.pk]),
    )


@require_perm(VIEW)
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    initial = {
        "category": item.category,
        "title": item.title,
        "content": item.content,
        "lines": list(item.lines.all()),
        "projects": list(item.projects.all()),
    }
    form = ItemForm(request.POST or None, initial=initial, user=request.user, plan=item.plan)
    return form_page(
        request,
        form,
        lambda d: services.save_item(request.user, item.plan_id, d, item_id=item.pk),
        success=_("工作事项已保存"),
        title=_("修改工作事项"),
        back=reverse("workplan:plan_detail", args=[item.plan_id]),
    )


@require_perm(VIEW)
def item_move(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    back = reverse("workplan:plan_detail", args=[item.plan_id])
    if request.method == "POST":
        try:
            services.move_item(request.user, item.pk, up=request.POST.get("direction") != "down")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect(back)


@require_perm(VIEW)
def item_deploy(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    form = DeployForm(request.POST or None, user=request.user, plan=item.plan)
    return form_page(
        request,
        form,
        lambda d: services.deploy(request.user, item.pk, d),
        success=_("已部署"),
        title=_("部署：%(item)s") % {"item": item.title},
        intro=_("四落实：落实责任单位、责任人、工作措施和完成时限。"),
        back=reverse("workplan:plan_detail", args=[item.plan_id]),
    )
