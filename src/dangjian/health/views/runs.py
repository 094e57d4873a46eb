"""Screening run pages: a health officer starts a run for a year and follows it until its counts are in.

A run belongs to the health officer who started it: anyone else gets 404 on its page, and everyone without
"health.values" gets 404 on every page here (PIPL art. 28). The pages show counts only (how many were scored,
which inputs were missing how often), never a person's values; the follow-up queue lists the people.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import apply_errors
from dangjian.core.paging import paginate
from dangjian.core.scoping import require_perm

from .. import runs
from ..fields import BY_NAME
from ..models import RunStatus, ScreeningRun
from ..scores._inputs import LABELS
from ..screening import MODELS
from ..services import VALUES

MODEL_LABELS = {
    "cvd": _("10年心血管病风险（China-PAR）"),
    "gastric": _("胃癌筛查评分"),
    "apcs": _("结直肠癌风险（APCS评分）"),
    "crc_questionnaire": _("结直肠癌高危因素问卷"),
}
# "age" is not a checkup field: it stands for an age the model does not accept (screening.py).
AGE_LABELS = {
    "cvd": _("年龄不在20–85岁之间，不适用"),
    "gastric": _("未满40岁，不适用"),
}


def _year_default() -> int:
    return timezone.localdate().year


class RunForm(forms.Form):
    year = forms.IntegerField(label=_("筛查年度"), min_value=2000, max_value=2100, initial=_year_default)


def field_label(model: str, field: str) -> str:
    if field == "age":
        return AGE_LABELS.get(model, LABELS["age"])
    if field in BY_NAME:
        return BY_NAME[field].label
    return LABELS.get(field, field)


@dataclass
class ModelSummary:
    model: str
    label: str
    scored: int
    missing: list[tuple[str, int, bool]]  # (field label, people, is an age rule), most frequent first


def summaries(counts: dict) -> list[ModelSummary]:
    """Per model: how many were scored and which inputs kept how many people from being scored."""
    missing = counts.get("missing") or {}
    out = []
    for model in MODELS:
        fields = sorted((missing.get(model) or {}).items(), key=lambda kv: (-kv[1], kv[0]))
        out.append(
            ModelSummary(
                model,
                MODEL_LABELS[model],
                counts.get(model, 0),
                [(field_label(model, f), n, f == "age") for f, n in fields],
            )
        )
    return out


def queue_url(year: int) -> str:
    """The year's follow-up queue: where the people behind the counts are listed (health officers only)."""
    return reverse("health:queue") + f"?year={year}"


@require_perm(VALUES)
def run_list(request: HttpRequest) -> HttpResponse:
    form = RunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = runs.start_run(request.user, form.cleaned_data["year"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("health:run", pk=run.pk)
    own = ScreeningRun.objects.filter(started_by=request.user).order_by("-started_at", "-id")
    page = paginate(request, own, 50, keep={})
    return render(request, "health/runs.html", {"form": form, "page": page})


@require_perm(VALUES)
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # A run is its starter's: another health officer's run answers 404 like a run that does not exist.
    run = get_object_or_404(ScreeningRun.objects.select_related("job"), pk=pk, started_by=request.user)
    context = {
        "run": run,
        "running": run.status == RunStatus.RUNNING,
        "counts": run.counts or {},
        "summaries": summaries(run.counts or {}) if run.status == RunStatus.DONE else [],
        "queue_url": queue_url(run.year),
    }
    template = "health/_run_status.html" if getattr(request, "htmx", False) else "health/run.html"
    return render(request, template, context)
