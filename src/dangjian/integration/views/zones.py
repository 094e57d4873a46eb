"""党员责任区 pages: the list (filters, paging, the zones missing their last period's report flagged), the 公示
list, a zone's page with its reports and evidence, setting a zone and ending it (the branch), and the report
form (the member answering for the zone, or the branch). Scope: 404 outside."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scope import can
from dangjian.core.forms import apply_errors, narrow_people
from dangjian.core.paging import paginate
from dangjian.core.scoping import get_visible, require_perm
from dangjian.orgs.models import Organization

from .. import evidence, periods
from .. import zones as svc
from ..models import ResponsibilityZone, ZoneReport
from ..posts import CHANGE, VIEW, branches, members_of
from ..posts_forms import EndZoneForm, ZoneForm, ZoneReportForm
from .posts import PAGE, action_page, by_org, evidence_url, filters, in_year, public

ACTIVE, ENDED = "active", "ended"


@require_perm(VIEW)
def zone_list(request: HttpRequest) -> HttpResponse:
    """A member sees the zones they answer for; a branch its own; the office its subtree."""
    today = timezone.localdate()
    form, f = filters(request)
    qs = ResponsibilityZone.objects.visible_to(request.user, VIEW).select_related("organization", "member", "project")
    if f.get("q"):
        q = f["q"]
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(member__name__icontains=q)
            | Q(organization__name__icontains=q)
            | Q(area__icontains=q)
        )
    qs = by_org(qs, request.user, f.get("org"))
    if f.get("status") == ACTIVE:
        qs = qs.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    elif f.get("status") == ENDED:
        qs = qs.filter(ends_on__lt=today)
    elif f.get("status") == "missing":
        qs = svc.missing_last_report(qs, today)
    qs = in_year(qs, f.get("year"))
    qs = svc.with_last_report_flag(qs, today)
    page = paginate(request, qs.order_by("organization__path", "-starts_on", "pk"), PAGE, keep=f)
    for z in page.object_list:
        z.last_period = periods.last_finished(today, z.report_every)
        z.reportable = svc.may_report(request.user, z)
    context = {
        "page": page,
        "form": form,
        "statuses": [(ACTIVE, _("进行中")), (ENDED, _("已结束")), ("missing", _("上期未报告"))],
        "orgs": Organization.objects.visible_to(request.user, VIEW).order_by("path")[:200],
        "can_create": branches(request.user).exists(),
        "today": today,
    }
    return render(request, "integration/zone_list.html", context)


@require_perm(VIEW)
def zone_public(request: HttpRequest) -> HttpResponse:
    """公示: the zones in force today with the member and the commitments."""
    today = timezone.localdate()
    qs = public(ResponsibilityZone.objects.all(), request.user)
    qs = qs.filter(starts_on__lte=today).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    qs = qs.select_related("organization", "member", "project")
    page = paginate(request, qs.order_by("organization__path", "name", "pk"), PAGE)
    return render(request, "integration/zone_public.html", {"page": page})


def zone_or_404(request: HttpRequest, pk: int, perm: str = VIEW) -> ResponsibilityZone:
    related = ("organization", "member", "project", "stage")
    return get_visible(ResponsibilityZone.objects.select_related(*related), request.user, perm, pk=pk)


@require_perm(VIEW)
def zone_detail(request: HttpRequest, pk: int) -> HttpResponse:
    today = timezone.localdate()
    zone = zone_or_404(request, pk)
    reports = list(ZoneReport.objects.filter(zone=zone).select_related("reported_by").order_by("-period", "pk"))
    files = evidence.of_many(reports)  # type: ignore[arg-type]
    for r in reports:
        r.files = [(ev, evidence_url(ev)) for ev in files.get((ZoneReport, r.pk), [])]
    last = periods.last_finished(today, zone.report_every)
    missing = svc.missing_last_report(ResponsibilityZone.objects.filter(pk=zone.pk), today).exists()
    context = {
        "zone": zone,
        "reports": reports,
        "last_period": last,
        "last_missing": missing,
        "can_report": svc.may_report(request.user, zone),
        "can_end": can(request.user, CHANGE, zone) and (zone.ends_on is None or zone.ends_on > today),
    }
    return render(request, "integration/zone_detail.html", context)


@require_perm(CHANGE)
def zone_create(request: HttpRequest) -> HttpResponse:
    people, search = narrow_people(request, members_of(branches(request.user)), field="member")
    form = ZoneForm(request.POST or None, user=request.user, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            zone = svc.create(request.user, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("责任区已设立"))
            return redirect("integration:zone_detail", pk=zone.pk)
    context = {
        "form": form,
        "title": _("设立党员责任区"),
        "cancel_url": reverse("integration:zone_list"),
        "search": search,
    }
    return render(request, "core/form.html", context)


@require_perm(VIEW)
def zone_report(request: HttpRequest, pk: int) -> HttpResponse:
    zone = zone_or_404(request, pk)
    if not svc.may_report(request.user, zone):
        raise Http404(_("对象不存在"))
    form = ZoneReportForm(request.POST or None, request.FILES or None, zone=zone)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            svc.report(
                request.user,
                zone.pk,
                period=d["period"],
                content=d["content"],
                results=d["results"],
                reported_on=d["reported_on"],
                evidence_title=d["evidence_title"],
                upload=d.get("evidence_file"),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("履责报告已提交"))
            return redirect("integration:zone_detail", pk=zone.pk)
    return render(request, "integration/zone_report.html", {"zone": zone, "form": form})


@require_perm(CHANGE)
def zone_end(request: HttpRequest, pk: int) -> HttpResponse:
    zone = zone_or_404(request, pk, CHANGE)
    return action_page(
        request,
        EndZoneForm(request.POST or None),
        lambda d: svc.end(request.user, zone.pk, ends_on=d["ends_on"]),
        title=_("结束责任区"),
        question=_("结束“%(name)s”（%(member)s）。已有的履责报告保留。") % {"name": zone, "member": zone.member},
        label=_("结束"),
        done=_("责任区已结束"),
        back=reverse("integration:zone_detail", args=[zone.pk]),
    )
