"""联席 pages: the list with its filters, a 联席's page, recording one, marking its follow-up done, and the count
per leader for a year with their contact points."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts.scope import can
from dangjian.core.paging import paginate
from dangjian.core.scoping import get_visible, require_perm
from dangjian.orgs.models import Organization

from .. import liaisons as services
from ..joint_forms import DoneForm, LiaisonForm
from ..models import LeaderLiaison
from .joint_common import PAGE, form_page, posted, year_of

VIEW, CHANGE = services.VIEW, services.CHANGE
STATES = (
    ("open", gettext_lazy("待落实")),
    ("overdue", gettext_lazy("逾期未落实")),
    ("done", gettext_lazy("已落实")),
)


@require_perm(VIEW)
def liaison_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    year = year_of(request)
    q = request.GET.get("q", "").strip()
    state = request.GET.get("state", "")
    raw_org = request.GET.get("org", "")
    rows = LeaderLiaison.objects.visible_to(request.user, VIEW).filter(
        held_on__gte=date(year, 1, 1), held_on__lte=date(year, 12, 31)
    )
    org = None
    if raw_org.isdigit():
        org = Organization.objects.visible_to(request.user, VIEW).filter(pk=int(raw_org)).first()
        if org is not None:
            rows = rows.filter(organization__in=Organization.objects.subtree(org).values("pk"))
    if q:
        rows = rows.filter(Q(topics__icontains=q) | Q(decisions__icontains=q) | Q(leader__name__icontains=q))
    pending = Q(follow_up_done_on__isnull=True) & ~Q(follow_up="")
    if state == "open":
        rows = rows.filter(pending)
    elif state == "overdue":
        rows = rows.filter(pending, follow_up_due__lt=today)
    elif state == "done":
        rows = rows.filter(follow_up_done_on__isnull=False)
    listed = rows.select_related("leader", "organization").order_by("-held_on", "pk")
    keep = {"year": year, "q": q, "state": state, "org": org.pk if org else ""}
    page = paginate(request, listed, PAGE, keep=keep, counted=rows)
    context = {
        "page": page,
        "year": year,
        "q": q,
        "state": state,
        "states": STATES,
        "org": org,
        "today": today,
        "can_change": can(request.user, CHANGE),
    }
    return render(request, "integration/liaison_list.html", context)


@require_perm(CHANGE)
def liaison_create(request: HttpRequest) -> HttpResponse:
    form = LiaisonForm(posted(request), user=request.user, leaders=services.eligible_leaders(request.user))
    return form_page(
        request,
        form,
        lambda data: services.record_liaison(request.user, data),
        success=gettext_lazy("联席已记录"),
        title=gettext_lazy("记录联席"),
        back=reverse("integration:liaison_list"),
        done=lambda li: reverse("integration:liaison_detail", args=[li.pk]),
        extra={"intro": _("所领导与基层单位的联席：议题、议定事项及跟进落实")},
    )


@require_perm(VIEW)
def liaison_detail(request: HttpRequest, pk: int) -> HttpResponse:
    liaison = get_visible(LeaderLiaison.objects.select_related("leader", "organization"), request.user, VIEW, pk=pk)
    today = timezone.localdate()
    context = {
        "liaison": liaison,
        "today": today,
        "overdue": bool(liaison.follow_up_due and liaison.follow_up_done_on is None and liaison.follow_up_due < today),
        "can_change": can(request.user, CHANGE, liaison),
    }
    return render(request, "integration/liaison_detail.html", context)


@require_perm(CHANGE)
def liaison_done(request: HttpRequest, pk: int) -> HttpResponse:
    liaison = get_visible(LeaderLiaison.objects.select_related("leader"), request.user, CHANGE, pk=pk)
    back = reverse("integration:liaison_detail", args=[liaison.pk])
    return form_page(
        request,
        DoneForm(posted(request)),
        lambda data: services.mark_follow_up_done(request.user, liaison.pk, data["done_on"]),
        success=gettext_lazy("跟进事项已标记为落实"),
        title=gettext_lazy("跟进事项落实"),
        back=back,
        done=lambda _li: back,
        extra={
            "question": _("确认“%(follow_up)s”已经落实？") % {"follow_up": liaison.follow_up or "—"},
            "confirm_label": _("确认已落实"),
        },
    )


@require_perm(VIEW)
def liaison_leaders(request: HttpRequest) -> HttpResponse:
    """Per leader for a year: 联席, contact points held and the visits to them."""
    year = year_of(request)
    rows = services.per_leader(request.user, year)
    page = paginate(request, rows, PAGE, keep={"year": year})
    totals = {
        "liaisons": sum(r.liaisons for r in rows),
        "points": sum(r.points for r in rows),
        "visits": sum(r.visits for r in rows),
    }
    return render(request, "integration/liaison_leaders.html", {"page": page, "year": year, "totals": totals})
