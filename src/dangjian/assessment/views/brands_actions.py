"""一支部一特色 actions: submit, withdraw, add and withdraw evidence (the branch), review (the committee office).
Each asks for confirmation (GET) and acts on POST; the services re-check scope inside their transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.core.forms import apply_errors
from dangjian.core.scoping import get_visible, require_perm

from .. import brands as svc
from ..models import BrandEvidence, BrandStatus
from .brands import brand_or_404
from .brands_forms import EvidenceForm, ReviewForm


def _confirm(
    request: HttpRequest, *, title: str, question: str, label: str, act: Callable[[], Any], done: str, back: str
) -> HttpResponse:
    if request.method == "POST":
        try:
            act()
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, done)
        return redirect(back)
    context = {"title": title, "question": question, "confirm_label": label, "form": forms.Form(), "cancel_url": back}
    return render(request, "core/confirm.html", context)


@require_perm(svc.CHANGE)
def brand_submit(request: HttpRequest, pk: int) -> HttpResponse:
    brand = brand_or_404(request, pk, svc.CHANGE)
    return _confirm(
        request,
        title=_("提交党委审核"),
        question=_("提交后“%(name)s”将由党委审核，审核期间不能修改。") % {"name": brand.name},
        label=_("提交"),
        act=lambda: svc.submit(request.user, brand.pk),
        done=_("已提交党委审核"),
        back=reverse("assessment:brand", args=[brand.pk]),
    )


@require_perm(svc.CHANGE)
def brand_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    brand = brand_or_404(request, pk, svc.CHANGE)
    return _confirm(
        request,
        title=_("撤销一支部一特色"),
        question=_("撤销后“%(name)s”不再是本支部的当前特色，已有的材料和审核记录保留。") % {"name": brand.name},
        label=_("撤销"),
        act=lambda: svc.withdraw(request.user, brand.pk),
        done=_("特色已撤销"),
        back=reverse("assessment:brand", args=[brand.pk]),
    )


@require_perm(svc.CHANGE)
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A phone-friendly page: one column, the camera offered by the file input's ``accept`` of images."""
    brand = brand_or_404(request, pk, svc.CHANGE)
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            svc.add_evidence(
                request.user, brand.pk, year=d["year"], title=d["title"], text=d["text"] or "", upload=d.get("file")
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("佐证材料已添加"))
            return redirect("assessment:brand", pk=brand.pk)
    return render(request, "assessment/brand_evidence_form.html", {"brand": brand, "form": form})


@require_perm(svc.CHANGE)
def evidence_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    ev = get_visible(BrandEvidence.objects.select_related("brand"), request.user, svc.CHANGE, pk=pk)
    return _confirm(
        request,
        title=_("撤回佐证材料"),
        question=_("撤回后“%(title)s”不再显示在特色页面，记录保留。") % {"title": ev.title},
        label=_("撤回"),
        act=lambda: svc.withdraw_evidence(request.user, ev.pk),
        done=_("佐证材料已撤回"),
        back=reverse("assessment:brand", args=[ev.brand_id]),
    )


@require_perm(svc.REVIEW)
def brand_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The committee office's review: the page shows the brand and asks for the result and remarks (the
    confirmation); a brand not submitted or recognised is not for review."""
    brand = brand_or_404(request, pk)
    if not svc.may_review(request.user, brand):
        raise Http404(_("对象不存在"))
    if brand.status not in (BrandStatus.SUBMITTED, BrandStatus.RECOGNISED):
        messages.error(request, _("只有已提交或已认定的特色可以审核"))
        return redirect("assessment:brand", pk=brand.pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            row = svc.review(request.user, brand.pk, year=d["year"], result=d["result"], remarks=d["remarks"] or "")
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            done = _("已认定“%(name)s”（%(year)d年度）") if row.result == "recognised" else _("已退回“%(name)s”")
            messages.success(request, done % {"name": brand.name, "year": row.year})
            return redirect("assessment:brand", pk=brand.pk)
    evidence = brand.evidence.filter(withdrawn_at__isnull=True).select_related("added_by")
    return render(request, "assessment/brand_review.html", {"brand": brand, "form": form, "evidence": evidence})
