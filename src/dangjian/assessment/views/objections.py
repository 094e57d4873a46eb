"""Objection pages: a unit raises one from its result page, the office lists a cycle's objections and answers each,
the unit reads its objections and the answers on the same list (its own units only).

Scope: the list answers 404 to a user who sees no unit of the cycle; raising one, to a user who does not maintain
the unit (``objections.may_object``); answering is the office's over the whole tree. The services re-check inside
their transaction.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from dangjian.core.forms import apply_errors
from dangjian.core.paging import paginate
from dangjian.core.scoping import require_perm
from dangjian.orgs.models import Organization

from .. import objections as svc
from ..models import AssessmentCycle, CycleStatus, CycleUnit, Indicator, Method, Objection, ObjectionStatus
from ..services import may_manage
from .access import office_only
from .cycles import VIEW, cycle_or_404

PAGE = 30
TEXT = forms.Textarea(attrs={"rows": 3})
UPHOLD, REJECT = "uphold", "reject"


class RaiseForm(forms.Form):
    indicator = forms.ModelChoiceField(label=gettext_lazy("评分项"), queryset=Indicator.objects.none())
    reason = forms.CharField(label=gettext_lazy("异议理由"), widget=TEXT)


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("处理结果"),
        choices=[(UPHOLD, gettext_lazy("采纳")), (REJECT, gettext_lazy("不予采纳"))],
        widget=forms.RadioSelect,
    )
    score = forms.DecimalField(
        label=gettext_lazy("更正后的得分"),
        required=False,
        max_digits=7,
        decimal_places=2,
        help_text=gettext_lazy("采纳人工评分项的异议时填写；其他评分项在答复中说明更正情况"),
    )
    answer = forms.CharField(label=gettext_lazy("答复意见"), widget=TEXT)


class FilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("单位"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=gettext_lazy("状态"), required=False, choices=[("", gettext_lazy("全部")), *ObjectionStatus.choices]
    )
    indicator = forms.ModelChoiceField(label=gettext_lazy("评分项"), required=False, queryset=Indicator.objects.none())


def _leaves(cycle: AssessmentCycle) -> Any:
    return Indicator.objects.filter(system_id=cycle.system_id).exclude(method="").order_by("position", "pk")


def unit_objections(request: HttpRequest, cycle: AssessmentCycle, unit: int) -> dict[str, Any] | None:
    """What the unit's result page shows of objections: nothing before publication; then whether the user may
    raise one now, and how many the unit has (two queries)."""
    if cycle.status != CycleStatus.PUBLISHED:
        return None
    return {
        "open": svc.window_open(cycle),
        "may": svc.may_object(request.user, unit),
        "count": Objection.objects.filter(cycle=cycle, unit_id=unit).count(),
        "deadline": cycle.objection_deadline,
    }


@require_GET
@require_perm(VIEW)
def objection_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The office: every objection of the cycle, filtered. Others: their units' objections and the answers."""
    cycle = cycle_or_404(pk)
    office = may_manage(request.user)
    qs = Objection.objects.filter(cycle=cycle).select_related("unit", "indicator", "raised_by", "answered_by")
    if not office:
        visible = Organization.objects.visible_to(request.user, VIEW).values("pk")
        if not CycleUnit.objects.filter(cycle=cycle, organization__in=visible).exists():
            raise Http404(_("对象不存在"))
        qs = qs.filter(unit__in=visible)
    form = FilterForm(request.GET or None)
    form.fields["indicator"].queryset = _leaves(cycle)
    params: dict[str, str] = {}
    if form.is_valid():
        d = form.cleaned_data
        params = {k: str(v.pk if hasattr(v, "pk") else v) for k, v in d.items() if v}
        if d.get("q"):
            qs = qs.filter(Q(unit__name__icontains=d["q"]))
        if d.get("status"):
            qs = qs.filter(status=d["status"])
        if d.get("indicator"):
            qs = qs.filter(indicator=d["indicator"])
    page = paginate(request, qs.order_by("-raised_at", "-pk"), PAGE, keep=params)
    context = {"cycle": cycle, "office": office, "page": page, "form": form}
    return render(request, "assessment/objection_list.html", context)


@require_perm(VIEW)
def objection_new(request: HttpRequest, pk: int, unit: int) -> HttpResponse:
    """The unit's objection to one leaf; the page says why when the window is not open."""
    cycle = cycle_or_404(pk)
    member = CycleUnit.objects.filter(cycle=cycle, organization_id=unit).select_related("organization").first()
    if member is None or not svc.may_object(request.user, unit):
        raise Http404(_("对象不存在"))
    form = RaiseForm(request.POST or None, initial={"indicator": request.GET.get("indicator")})
    form.fields["indicator"].queryset = _leaves(cycle)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            svc.raise_objection(request.user, cycle.pk, unit, d["indicator"].pk, d["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("异议已提交，请等待党委答复"))
            return redirect("assessment:objection_list", cycle.pk)
    context = {
        "cycle": cycle,
        "unit": member.organization,
        "form": form,
        "open": svc.window_open(cycle),
        "published": cycle.status == CycleStatus.PUBLISHED,
    }
    return render(request, "assessment/objection_new.html", context)


@office_only
def objection_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The office's answer: its page is its confirmation (the objection, the form, the button)."""
    objection = Objection.objects.select_related("cycle", "unit", "indicator", "raised_by").filter(pk=pk).first()
    if objection is None:
        raise Http404(_("对象不存在"))
    form = AnswerForm(request.POST or None)
    manual = objection.indicator.method == Method.MANUAL
    if not manual:
        del form.fields["score"]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            svc.answer(request.user, pk, uphold=d["decision"] == UPHOLD, text=d["answer"], score=d.get("score"))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("异议已答复"))
            return redirect("assessment:objection_list", objection.cycle_id)
    context = {"objection": objection, "form": form, "manual": manual}
    return render(request, "assessment/objection_answer.html", context)
