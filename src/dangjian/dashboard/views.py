"""仪表盘: the committee's and leaders' charts of one organisation's subtree and year, a printable version, and the
exhibition hall's big screen. Every figure is a registered fact (``charts``); the organisation chooser offers the
user's scope only, and an organisation outside it is 404 whichever page asks."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from dangjian.core.scoping import get_visible, require_perm
from dangjian.jobs.models import Job
from dangjian.orgs.models import Organization, OrgKind

from . import charts, computing

VIEW = "dashboard.view"
FIRST_YEAR = 2015
# the big screen's seconds per chart: the default, and the range ``?interval=`` may choose from
INTERVAL, MIN_INTERVAL, MAX_INTERVAL = 12, 5, 120


def _year(raw: str | None) -> int:
    today = timezone.localdate()
    return int(raw) if raw and raw.isdigit() and FIRST_YEAR <= int(raw) <= today.year else today.year


def _shown(user):
    """The organisations the dashboard shows the user (party groups are no unit of its figures)."""
    return Organization.objects.visible_to(user, VIEW).exclude(kind=OrgKind.GROUP)


def _chosen(user, pk) -> Organization:
    """The organisation asked for, 404 outside the user's scope."""
    return get_visible(Organization.objects.exclude(kind=OrgKind.GROUP), user, VIEW, pk=pk)


def _context(request: HttpRequest) -> dict:
    visible = _shown(request.user)
    raw = request.GET.get("org", "")
    org = _chosen(request.user, raw) if raw else visible.order_by("path").first()
    year = _year(request.GET.get("year"))
    context = {
        "orgs": [],
        "org": org,
        "year": year,
        "years": list(range(timezone.localdate().year, FIRST_YEAR - 1, -1)),
        "charts": [],
        "job": None,
    }
    if org is not None:
        children = charts.sub_organizations(org, visible)
        retry = request.GET.get("retry") == "1"
        found, context["job"] = computing.figures(request.user, org, year, children, retry=retry)
        context["retry_url"] = f"{request.path}?org={org.pk}&year={year}&retry=1"
        if found is not None:
            context["charts"] = charts.Builder(org, year, children, found.values).charts()
            context["computed_at"] = found.computed_at
            context["cache_minutes"] = max(1, charts.cache_seconds() // 60)
        above = [org.path[:n] for n in range(org.steplen, len(org.path), org.steplen)]
        context["ancestors"] = list(visible.filter(path__in=above).order_by("path").only("pk", "name"))
        # the chooser offers the way up and one level down, not the whole scope: a group's office sees 7,500
        # organisations, a select of all of them made the page 400 KiB and 130 ms of rendering
        context["orgs"] = [*context["ancestors"], org, *children]
    return context


@require_GET
@require_perm(VIEW)
def index(request: HttpRequest) -> HttpResponse:
    context = _context(request)
    context["chart_data"] = [c.as_json() for c in context["charts"]]
    return render(request, "dashboard/index.html", context)


@require_GET
@require_perm(VIEW)
def printable(request: HttpRequest) -> HttpResponse:
    """The same figures as tables, for paper: no script at all."""
    return render(request, "dashboard/print.html", _context(request))


@require_GET
@require_perm(VIEW)
def screen(request: HttpRequest) -> HttpResponse:
    """The exhibition hall's big screen: the aggregate charts one after another, dark, full screen."""
    context = _context(request)
    shown = charts.screen_charts(context["charts"])
    raw = request.GET.get("interval", "")
    interval = int(raw) if raw.isdigit() and MIN_INTERVAL <= int(raw) <= MAX_INTERVAL else INTERVAL
    context.update(charts=shown, chart_data=[c.as_json() for c in shown], interval=interval)
    return render(request, "dashboard/screen.html", context)


@require_GET
@require_perm(VIEW)
def progress(request: HttpRequest, pk) -> HttpResponse:
    """How far the job computing a dashboard got (polled by its page); once done, the page reloads itself."""
    visible = Organization.objects.visible_to(request.user, VIEW)
    job = get_object_or_404(Job, pk=pk, kind=computing.KIND, organization__in=visible)
    if job.status != Job.Status.FAILED and computing.ready(job):  # done, or warmed by another meanwhile
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    retry_url = f"{reverse('dashboard:index')}?org={job.organization_id}&year={job.params.get('year', '')}&retry=1"
    return render(request, "dashboard/_computing.html", {"job": job, "polling": True, "retry_url": retry_url})


@require_POST
@require_perm(VIEW)
def refresh(request: HttpRequest, pk: int) -> HttpResponse:
    """立即更新: forget the organisation's kept figures for the year, so that its page computes them afresh (as a
    job, with progress) instead of showing them until they expire. Only the requester's own view of it: the key is
    the organisations below that the requester sees."""
    org = _chosen(request.user, pk)
    year = _year(request.POST.get("year"))
    children = charts.sub_organizations(org, _shown(request.user))
    charts.shared_cache().delete(charts.cache_key([org, *children], year))
    return redirect(f"{reverse('dashboard:index')}?org={org.pk}&year={year}")
