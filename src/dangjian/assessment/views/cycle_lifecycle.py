"""The office's steps on a cycle's page (the stepper and figures are ``lifecycle.overview``): the next action with its
confirmation page (``cycle_advance``), and band adjustments before sign-off (``cycle_adjust``,
``cycle_adjustment_withdraw``). The services (``lifecycle``) check and audit; these pages show and confirm."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dangjian.core.forms import apply_errors
from dangjian.core.paging import paginate

from .. import lifecycle, ranking, results
from ..models import AssessmentCycle, BandAdjustment, CycleStatus, CycleUnit
from .access import office_only
from .cycles import cycle_or_404

PAGE = 50
OBJECTION_DAYS = 7  # the default window offered on the publish page (the office may choose another day)


class AdvanceForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(label=gettext_lazy("确认在上述单位未提交自评的情况下开始审核"), required=False)
    objection_deadline = forms.DateField(
        label=gettext_lazy("异议截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class AdjustForm(forms.Form):
    unit = forms.TypedChoiceField(label=gettext_lazy("单位"), coerce=int)
    band = forms.ChoiceField(label=gettext_lazy("调整后等次"))
    reason = forms.CharField(label=gettext_lazy("调整原因"), widget=forms.Textarea(attrs={"rows": 3}))


def _confirmation(cycle: AssessmentCycle) -> dict[str, Any]:
    """What the office reads before the step: the units left out, or the distribution and the refusals."""
    if cycle.status == CycleStatus.SELF_ASSESSMENT:
        return {"unsubmitted": lifecycle.unsubmitted(cycle), "figures": lifecycle.figures(cycle)}
    if cycle.status == CycleStatus.REVIEW:
        out = results.results(cycle, compare=False)
        return {
            "distribution": ranking.distribution(
                [r.result for r in out.rows], cycle.system.bands, cycle.system.quotas or {}
            ),
            "problems": lifecycle.sign_off_problems(cycle, out),
        }
    return {}


def _act(request: HttpRequest, cycle: AssessmentCycle, action: str, data: dict[str, Any]) -> str:
    if action == "self_assessment":
        lifecycle.start_self_assessment(request.user, cycle.pk)
        return _("已开始自评")
    if action == "review":
        lifecycle.start_review(request.user, cycle.pk, confirmed=bool(data.get("confirm")))
        return _("已开始审核")
    if action == "sign":
        lifecycle.sign_off(request.user, cycle.pk)
        return _("考核结果已签批")
    lifecycle.publish(request.user, cycle.pk, data.get("objection_deadline"))
    return _("考核结果已公布")


@office_only
def cycle_advance(request: HttpRequest, pk: int) -> HttpResponse:
    """The next step's confirmation page; POST takes the step (only the step the page offered: a page left open
    while someone else moved the cycle on does not take the one after)."""
    cycle = cycle_or_404(pk)
    step = lifecycle.NEXT.get(CycleStatus(cycle.status))
    default = timezone.localdate() + timedelta(days=OBJECTION_DAYS)
    form = AdvanceForm(request.POST or None, initial={"action": step[0] if step else "", "objection_deadline": default})
    if request.method == "POST" and form.is_valid():
        if step is None or form.cleaned_data["action"] != step[0]:
            form.add_error(None, _("考核周期的状态已变化，请重新确认"))
        else:
            try:
                done = _act(request, cycle, step[0], form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, done)
                return redirect("assessment:cycle", cycle.pk)
    context = {"cycle": cycle, "step": step, "form": form, **_confirmation(cycle)}
    return render(request, "assessment/cycle_advance.html", context)


@office_only
def cycle_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    """Lower a unit's band (?unit= preselects it); the active adjustments are listed with their withdrawal."""
    cycle = cycle_or_404(pk)
    units = list(
        CycleUnit.objects.filter(cycle=cycle)
        .order_by("organization__path")
        .values_list("organization_id", "organization__name")
    )
    form = AdjustForm(request.POST or None, initial={"unit": request.GET.get("unit")})
    form.fields["unit"].choices = units
    form.fields["band"].choices = [(b, b) for b in ranking.band_names(cycle.system.bands)]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            lifecycle.adjust_band(request.user, cycle.pk, d["unit"], d["band"], d["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("等次已调整"))
            return redirect("assessment:cycle", cycle.pk)
    adjustments = BandAdjustment.objects.filter(cycle=cycle).select_related("unit", "by").order_by("-at", "-pk")
    context = {
        "cycle": cycle,
        "form": form,
        "page": paginate(request, adjustments, PAGE),
        "adjustable": cycle.status in lifecycle.ADJUSTABLE,
    }
    return render(request, "assessment/cycle_adjust.html", context)


@require_POST
@office_only
def cycle_adjustment_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    adjustment = BandAdjustment.objects.filter(pk=pk).first()
    if adjustment is None:
        raise Http404(_("对象不存在"))
    try:
        lifecycle.withdraw_adjustment(request.user, pk, request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("调整已撤回，记录保留备查"))
    return redirect("assessment:cycle_adjust", adjustment.cycle_id)
