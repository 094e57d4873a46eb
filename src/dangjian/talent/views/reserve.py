"""储备优秀党支部书记: the reserve list, a candidate's training and assessment record, and their moves."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from dangjian.accounts.scope import can, has_perm
from dangjian.core.paging import paginate
from dangjian.core.scoping import get_visible, require_perm

from .. import services
from ..forms import ReserveForm, ReserveMoveForm, ReserveRecordForm
from ..models import ReserveStatus, SecretaryReserve
from ..services import MANAGE, VIEW
from .common import PAGE, form_page, post_action


@require_perm(VIEW)
def reserve_list(request: HttpRequest) -> HttpResponse:
    rows = SecretaryReserve.objects.visible_to(request.user, VIEW).select_related("person", "organization", "target")
    status = request.GET.get("status", "")
    if status in ReserveStatus.values:
        rows = rows.filter(status=status)
    q = request.GET.get("q", "").strip()
    if q:
        rows = rows.filter(Q(person__name__icontains=q) | Q(criteria__icontains=q))
    page = paginate(request, rows.order_by("status", "-nominated_on", "pk"), PAGE)
    return render(
        request,
        "talent/reserve_list.html",
        {
            "page": page,
            "status": status,
            "q": q,
            "statuses": ReserveStatus.choices,
            "can_manage": has_perm(request.user, MANAGE),
        },
    )


@require_perm(MANAGE)
def reserve_add(request: HttpRequest) -> HttpResponse:
    form = ReserveForm(
        request.POST or None, user=request.user, perm=MANAGE, initial={"nominated_on": timezone.localdate()}
    )
    return form_page(
        request,
        form,
        lambda data: services.nominate(request.user, data),
        success=_("已列入党支部书记储备库"),
        title=_("推荐储备党支部书记"),
        done=lambda row: reverse("talent:reserve_detail", args=[row.pk]),
        cancel=reverse("talent:reserve_list"),
    )


@require_perm(VIEW)
def reserve_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_visible(
        SecretaryReserve.objects.select_related("person", "organization", "target"), request.user, VIEW, pk=pk
    )
    manage = can(request.user, MANAGE, row.organization)
    today = timezone.localdate()
    return render(
        request,
        "talent/reserve_detail.html",
        {
            "row": row,
            "records": row.records.select_related("recorded_by"),
            "can_manage": manage,
            "open": row.status in (ReserveStatus.CANDIDATE, ReserveStatus.READY),
            "record_form": ReserveRecordForm(initial={"held_on": today}),
            "move_form": ReserveMoveForm(initial={"on": today}),
        },
    )


def _managed(request: HttpRequest, pk: int) -> SecretaryReserve:
    row = get_visible(SecretaryReserve.objects.select_related("organization"), request.user, VIEW, pk=pk)
    if not can(request.user, MANAGE, row.organization):
        raise Http404
    return row


@require_perm(MANAGE)
def reserve_record_add(request: HttpRequest, pk: int) -> HttpResponse:
    row = _managed(request, pk)
    back = reverse("talent:reserve_detail", args=[row.pk])
    return form_page(
        request,
        ReserveRecordForm(request.POST or None, initial={"held_on": timezone.localdate()}),
        lambda data: services.add_reserve_record(request.user, row.pk, data),
        success=_("培养考察记录已保存"),
        title=_("%(name)s 的培养考察记录") % {"name": row.person},
        done=lambda _r: back,
        cancel=back,
    )


@require_POST
@require_perm(MANAGE)
def reserve_move(request: HttpRequest, pk: int) -> HttpResponse:
    row = _managed(request, pk)
    back = reverse("talent:reserve_detail", args=[row.pk])
    return post_action(
        request,
        ReserveMoveForm(request.POST),
        lambda data: services.move_reserve(request.user, row.pk, data["status"], data["on"], data["note"]),
        success=_("储备人选状态已更新"),
        back=back,
    )
