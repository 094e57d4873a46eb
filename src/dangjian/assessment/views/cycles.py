"""Assessment cycles: the list, opening a cycle, the results table (ranking), its export, and recomputation.

The ranking and the actions on a cycle are the office's (over the whole tree, like the systems); a branch
secretary sees the cycles covering their unit and opens only their own unit's result (``views.cycle_unit``).
Every page reads a constant number of queries: the results come from ``results.results`` (set-wise).
"""

from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from dangjian.core.paging import paginate
from dangjian.core.scoping import require_perm
from dangjian.orgs.models import Organization, OrgKind
from dangjian.orgs.models.organization import active_q
from dangjian.sheets.writer import AMOUNT, INTEGER, Book, Column

from .. import cycles, lifecycle, ranking, results
from ..models import AssessmentCycle, CycleUnit, IndicatorSystem, SystemStatus
from ..services import may_manage
from .access import office_only

PAGE = 50
VIEW = "assessment.view"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cycle_or_404(pk: int) -> AssessmentCycle:
    cycle = AssessmentCycle.objects.select_related("system", "job", "opened_by").filter(pk=pk).first()
    if cycle is None:
        raise Http404(_("对象不存在"))
    return cycle


@require_GET
@require_perm(VIEW)
def cycle_list(request: HttpRequest) -> HttpResponse:
    """The office: every cycle. Others: a line per cycle and unit of theirs, linking to that unit's result."""
    if may_manage(request.user):
        page = paginate(request, AssessmentCycle.objects.select_related("system").order_by("-year", "-pk"), PAGE)
        return render(request, "assessment/cycle_list.html", {"page": page, "office": True})
    visible = Organization.objects.visible_to(request.user, VIEW).values("pk")
    units = (
        CycleUnit.objects.filter(organization__in=visible)
        .select_related("cycle", "organization")
        .order_by("-cycle__year", "-cycle__pk", "organization__path")
    )
    return render(request, "assessment/cycle_list.html", {"page": paginate(request, units, PAGE), "office": False})


class OpenForm(forms.Form):
    system = forms.ModelChoiceField(
        label=gettext_lazy("指标体系"), queryset=IndicatorSystem.objects.filter(status=SystemStatus.PUBLISHED)
    )
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2000, max_value=2100)
    half = forms.TypedChoiceField(
        label=gettext_lazy("期间"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", gettext_lazy("全年")), (1, gettext_lazy("上半年")), (2, gettext_lazy("下半年"))],
    )
    title = forms.CharField(label=gettext_lazy("名称"), required=False, max_length=200)
    subtree = forms.ModelChoiceField(
        label=gettext_lazy("考核范围"), queryset=Organization.objects.exclude(kind=OrgKind.GROUP).order_by("path")
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("考核对象类型"),
        choices=[(k, label) for k, label in OrgKind.choices if k != OrgKind.GROUP],
        initial=OrgKind.BRANCH,
    )
    self_deadline = forms.DateField(label=gettext_lazy("自评截止日期"), widget=forms.DateInput(attrs={"type": "date"}))
    review_deadline = forms.DateField(
        label=gettext_lazy("审核截止日期"), widget=forms.DateInput(attrs={"type": "date"})
    )


@office_only
def cycle_open(request: HttpRequest) -> HttpResponse:
    """Open a cycle: a published system, the year or half-year, the units of a kind under a subtree, deadlines."""
    year = timezone.localdate().year
    form = OpenForm(request.POST or None, initial={"year": year, "kind": OrgKind.BRANCH})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        units = (
            Organization.objects.subtree(d["subtree"]).filter(active_q(), kind=d["kind"]).values_list("pk", flat=True)
        )
        try:
            cycle = cycles.open_cycle(
                request.user,
                system_id=d["system"].pk,
                year=d["year"],
                half=d["half"],
                title=d["title"],
                unit_ids=list(units),
                self_deadline=d["self_deadline"],
                review_deadline=d["review_deadline"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("考核周期已开启，请计算自动计分指标"))
            return redirect("assessment:cycle", cycle.pk)
    return render(request, "assessment/cycle_open.html", {"form": form})


def _filtered(request: HttpRequest, rows: list[results.Row]) -> tuple[list[results.Row], dict[str, str]]:
    params = {k: request.GET.get(k, "").strip() for k in ("kind", "band", "q", "sort")}
    if params["kind"]:
        rows = [r for r in rows if r.result.kind == params["kind"]]
    if params["band"]:
        rows = [r for r in rows if r.result.band == params["band"]]
    if params["q"]:
        rows = [r for r in rows if params["q"] in r.organization.name]
    if params["sort"] == "-rank":
        rows = list(reversed(rows))
    return rows, {k: v for k, v in params.items() if v}


@require_GET
@office_only
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The results table: rank, unit, kind, total, band, change, per-一级 subtotals; filtered and paginated."""
    cycle = cycle_or_404(pk)
    out = results.results(cycle)
    rows, params = _filtered(request, out.rows)
    page = paginate(request, rows, PAGE, keep=params)
    # the kept result rows are shared between requests: the page's rows are new objects with their subtotals
    page.object_list = [
        SimpleNamespace(
            organization=row.organization,
            result=row.result,
            change=row.change,
            adjusted=row.adjusted,
            section_scores=[row.result.sections.get(s.pk) for s in out.sections],
        )
        for row in page.object_list
    ]
    return render(
        request,
        "assessment/cycle_detail.html",
        {
            "cycle": cycle,
            "out": out,
            "page": page,
            "params": params,
            "kinds": [(k, label) for k, label in OrgKind.choices if k != OrgKind.GROUP],
            "bands": [b[1] for b in cycle.system.bands],
            "running": cycle.job is not None and cycle.job.status in ("pending", "running"),
            # quotas (名额) are checked at sign-off; the office sees beforehand how many units each band holds
            "distribution": ranking.distribution(
                [r.result for r in out.rows], cycle.system.bands, cycle.system.quotas or {}
            ),
            # the stepper, progress and next action (lifecycle.overview; the actions in views.cycle_lifecycle)
            "lifecycle": lifecycle.overview(cycle),
        },
    )


@require_POST
@office_only
def cycle_recompute(request: HttpRequest, pk: int) -> HttpResponse:
    cycle_or_404(pk)
    try:
        cycles.start_recompute(request.user, pk)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已开始计算，完成后本页显示新的结果"))
    return redirect("assessment:cycle", pk)


@require_GET
@office_only
def cycle_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The ranking as a workbook, every unit (the filters of the page do not apply)."""
    cycle = cycle_or_404(pk)
    out = results.results(cycle)
    book = Book()
    columns = [
        Column(_("排名"), 8, INTEGER),
        Column(_("单位"), 30),
        Column(_("类型"), 10),
        Column(_("类型内排名"), 10, INTEGER),
        # scores print as they show on the page, to the hundredth (AMOUNT's 0.00)
        Column(_("总分"), 10, AMOUNT),
        Column(_("等次"), 8),
        Column(_("较上年"), 10, AMOUNT),
        *(Column(s.name, 12, AMOUNT) for s in out.sections),
    ]
    sheet = book.list_sheet("ranking", str(cycle), columns, numbered=False)
    kinds = dict(OrgKind.choices)
    for row in out.rows:
        r = row.result
        sheet.append(
            [
                r.rank,
                row.organization.name,
                str(kinds.get(r.kind, r.kind)),
                r.rank_in_kind,
                r.total,
                r.band,
                row.change if row.change is not None else "",
                *(r.sections.get(s.pk, "") for s in out.sections),
            ]
        )
    response = HttpResponse(book.to_bytes(), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''" + quote(f"{cycle.title}.xlsx")
    return response
