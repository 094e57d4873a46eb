"""The ledger's pages: the organisations in scope, an organisation's year (the checklist of what is missing, the
buttons that assemble its ledger or its branches' ledgers, its runs with their progress and files), a run's page,
the downloads, and the year's summary text.

Every page reads through ``visible_to(user, "ledger.view")`` (office, leader, secretary, committee member over
their subtree); out of scope answers 404. Writing the summary and starting a run need ``ledger.change``.
"""

from __future__ import annotations

from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts.scope import can, has_perm
from dangjian.audit.services import history_of, record
from dangjian.core.downloads import disposition
from dangjian.core.forms import apply_errors
from dangjian.core.paging import paginate
from dangjian.core.scoping import get_visible, require_perm
from dangjian.orgs.models import Organization, OrgKind

from . import assemble, runs, services, summary
from .forms import GenerateForm, SummaryForm
from .models import LedgerRun, RunKind

VIEW, CHANGE = services.VIEW, services.CHANGE
RUNS_SHOWN = 20
FILES = {"docx": "docx", "pdf": "pdf", "zip": "zip"}


def year_of(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    today = timezone.localdate()
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= today.year else today.year


def _org(request: HttpRequest, pk: int, perm: str = VIEW) -> Organization:
    org = get_visible(Organization.objects.all(), request.user, perm, pk=pk)
    if org.kind == OrgKind.GROUP:
        raise Http404(_("党小组不单独建立台账"))
    return org


@require_perm(VIEW)
def index(request: HttpRequest) -> HttpResponse:
    year = year_of(request)
    q = request.GET.get("q", "").strip()
    orgs = (
        Organization.objects.visible_to(request.user, VIEW)
        .exclude(kind=OrgKind.GROUP)
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=timezone.localdate()))
    )
    if q:
        orgs = orgs.filter(Q(name__contains=q) | Q(code__iexact=q))
    page = paginate(request, orgs.order_by("path"), 50)
    return render(request, "ledger/index.html", {"page": page, "year": year, "q": q, "years": _years()})


def _years() -> list[int]:
    this = timezone.localdate().year
    return list(range(this, this - 6, -1))


def _runs(request: HttpRequest, org: Organization, year: int):
    return list(
        LedgerRun.objects.visible_to(request.user, VIEW)
        .filter(organization=org, year=year)
        .select_related("job", "started_by")
        .order_by("-created_at", "-pk")[:RUNS_SHOWN]
    )


@require_perm(VIEW)
def organization(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org(request, pk)
    year = year_of(request)
    rows = _runs(request, org, year)
    context = {
        "org": org,
        "year": year,
        "runs": rows,
        "polling": any(r.job is not None and not r.job.finished for r in rows),
    }
    if getattr(request, "htmx", False):
        return render(request, "ledger/_runs.html", context)
    checklist = assemble.gaps(org, year)
    context |= {
        "years": _years(),
        "checklist": checklist,
        "missing": sum(len(g) for _k, _h, g in checklist),
        "can_change": can(request.user, CHANGE, org),
        "has_branches": org.kind != OrgKind.BRANCH,
        "summary": summary.summary_of(org, year),
    }
    return render(request, "ledger/organization.html", context)


@require_POST
@require_perm(CHANGE)
def generate(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org(request, pk, CHANGE)
    form = GenerateForm(request.POST)
    back = reverse("ledger:organization", args=[org.pk])
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    year, kind = form.cleaned_data["year"], form.cleaned_data["kind"]
    try:
        run = runs.start(request.user, org, year, kind)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(f"{back}?year={year}")
    messages.success(request, _("已开始生成台账，完成后可在下方下载"))
    if run.kind == RunKind.COMMITTEE:
        return redirect("ledger:run", pk=run.pk)
    return redirect(f"{back}?year={year}#runs")


@require_perm(VIEW)
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_visible(LedgerRun.objects.select_related("job", "organization", "started_by"), request.user, VIEW, pk=pk)
    context = {"run": run, "polling": run.job is not None and not run.job.finished}
    template = "ledger/_run_status.html" if getattr(request, "htmx", False) else "ledger/run.html"
    return render(request, template, context)


@require_perm(VIEW)
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    run = get_visible(LedgerRun.objects.select_related("organization"), request.user, VIEW, pk=pk)
    name = getattr(run, FILES.get(fmt, ""), "") if fmt in FILES else ""
    if not name:
        raise Http404(_("文件不存在"))
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404(_("文件已不存在，请重新生成")) from None
    label = {"docx": "台账", "pdf": "台账", "zip": "附件" if run.kind == RunKind.ORGANIZATION else "各支部台账"}[fmt]
    filename = f"{run.organization.name}{run.year}年度{label}{PurePath(name).suffix}"
    record("export", run, detail={"file": fmt, "year": run.year}, object_repr=str(run))
    response = FileResponse(handle, content_type=_content_type(fmt))
    response["Content-Disposition"] = disposition(filename)
    response["Cache-Control"] = "private, no-store"
    return response


def _content_type(fmt: str) -> str:
    from dangjian.core.downloads import CONTENT_TYPES

    return CONTENT_TYPES[f".{fmt}"]


@require_perm(CHANGE)
def summary_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org(request, pk, CHANGE)
    year = year_of(request)
    current = summary.summary_of(org, year)
    form = SummaryForm(request.POST or None, initial={"text": current.text if current else ""})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_summary(request.user, org.pk, year, form.cleaned_data["text"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("年度工作总结已保存"))
            return redirect(reverse("ledger:organization", args=[org.pk]) + f"?year={year}")
    from dangjian.core.contributions import Period

    context = {
        "org": org,
        "year": year,
        "form": form,
        "summary": current,
        "figures": summary.figures(org, Period.year(year)),
        "history": history_of(current)[:50] if current and has_perm(request.user, "audit.object_history") else None,
    }
    return render(request, "ledger/summary.html", context)
