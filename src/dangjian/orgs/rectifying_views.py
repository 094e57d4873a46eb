"""The committee office's two pages for 软弱涣散 整顿: put an organisation under rectification, lift it. Each page is
its own confirmation (the organisation, the form, the button). Out of the office's scope: 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core.forms import apply_errors
from dangjian.core.scoping import get_visible, require_perm

from . import rectifying as svc
from .models import Organization

DATE = forms.DateInput(attrs={"type": "date"})


class StartForm(forms.Form):
    started_on = forms.DateField(label=gettext_lazy("列入整顿日期"), widget=DATE)
    reason = forms.CharField(label=gettext_lazy("列入原因"), widget=forms.Textarea(attrs={"rows": 3}))


class LiftForm(forms.Form):
    lifted_on = forms.DateField(label=gettext_lazy("摘帽日期"), widget=DATE)
    reason = forms.CharField(label=gettext_lazy("摘帽理由"), widget=forms.Textarea(attrs={"rows": 3}))


def _back(request: HttpRequest, org: Organization) -> str:
    """Back where the office came from (the two-ends page) when it is this site, else the organisation's page."""
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    return reverse("orgs:detail", args=[org.pk])


def _page(
    request: HttpRequest,
    org: Organization,
    form: forms.Form,
    title: str,
    act: Callable[[dict[str, Any]], Any],
    done: str,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(_back(request, org))
    context = {"org": org, "form": form, "title": title, "period": svc.current(org), "back": _back(request, org)}
    return render(request, "orgs/rectifying_form.html", context)


@require_perm(svc.PERM)
def rectifying_start(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_visible(Organization.objects.all(), request.user, svc.PERM, pk=pk)
    form = StartForm(request.POST or None, initial={"started_on": timezone.localdate()})
    return _page(
        request,
        org,
        form,
        _("列入软弱涣散整顿"),
        lambda d: svc.start(request.user, org.pk, started_on=d["started_on"], reason=d["reason"]),
        _("已列入软弱涣散整顿"),
    )


@require_perm(svc.PERM)
def rectifying_lift(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_visible(Organization.objects.all(), request.user, svc.PERM, pk=pk)
    form = LiftForm(request.POST or None, initial={"lifted_on": timezone.localdate()})
    return _page(
        request,
        org,
        form,
        _("软弱涣散整顿摘帽"),
        lambda d: svc.lift(request.user, org.pk, lifted_on=d["lifted_on"], reason=d["reason"]),
        _("已摘帽，整顿记录保留备查"),
    )
