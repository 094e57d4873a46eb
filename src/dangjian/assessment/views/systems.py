"""List, detail, import and export of indicator systems."""

from __future__ import annotations

from urllib.parse import quote

from django import forms
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core.contributions import fact_definitions
from dangjian.core.paging import paginate
from dangjian.sheets.forms import SheetFileField

from .. import xlsx
from ..models import AppliesTo, IndicatorSystem, SystemStatus
from ..tree import from_rows, walk
from .access import office_only

PAGE = 30
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class FilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("搜索"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=gettext_lazy("状态"), required=False, choices=[("", gettext_lazy("全部")), *SystemStatus.choices]
    )
    applies_to = forms.ChoiceField(
        label=gettext_lazy("适用对象"), required=False, choices=[("", gettext_lazy("全部")), *AppliesTo.choices]
    )


class ImportForm(forms.Form):
    file = SheetFileField(label=gettext_lazy("指标体系文件（.xlsx）"))


@office_only
def system_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    qs = IndicatorSystem.objects.select_related("created_by").order_by("name", "-version")
    params: dict[str, str] = {}
    if form.is_valid():
        params = {k: v for k, v in form.cleaned_data.items() if v}
        if params.get("q"):
            qs = qs.filter(Q(name__icontains=params["q"]) | Q(note__icontains=params["q"]))
        if params.get("status"):
            qs = qs.filter(status=params["status"])
        if params.get("applies_to"):
            qs = qs.filter(applies_to=params["applies_to"])
    page = paginate(request, qs, PAGE, keep=params)
    return render(request, "assessment/system_list.html", {"page": page, "form": form})


def system_or_404(pk: int) -> IndicatorSystem:
    system = IndicatorSystem.objects.select_related("supersedes", "created_by").filter(pk=pk).first()
    if system is None:
        raise Http404(_("对象不存在"))
    return system


@office_only
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    system = system_or_404(pk)
    facts = fact_definitions()
    rows = []
    for depth, node in walk(from_rows(system.indicators.all())):
        fact = facts.get(node.fact_key) if node.fact_key else None
        points = node.points if node.is_leaf else node.counted_points()
        rows.append({"depth": depth, "node": node, "points": points, "fact": fact})
    versions = IndicatorSystem.objects.filter(name=system.name).order_by("-version").only("pk", "version", "status")
    context = {"system": system, "rows": rows, "versions": versions, "leaves": sum(r["node"].is_leaf for r in rows)}
    return render(request, "assessment/system_detail.html", context)


@office_only
def export(request: HttpRequest, pk: int) -> HttpResponse:
    system = system_or_404(pk)
    response = HttpResponse(xlsx.export_system(request.user, system), content_type=XLSX)
    filename = f"{system.name}-v{system.version}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@office_only
def template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(xlsx.build(None), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''indicator-system-template.xlsx"
    return response


@office_only
def import_page(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = xlsx.import_system(request.user, upload.read(), upload.name)
        if result.ok and result.system is not None:
            from django.contrib import messages

            messages.success(
                request,
                _("已导入“%(system)s”（草稿，%(n)d 个评分项）；核对后请发布")
                % {"system": result.system, "n": result.leaves},
            )
            return redirect("assessment:detail", pk=result.system.pk)
    return render(request, "assessment/import.html", {"form": form, "result": result})
