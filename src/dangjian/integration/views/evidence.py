"""Evidence files (佐证材料) of any carrier's or plan's record: the download and the withdrawal.

A file is the business of whoever sees the record it proves. The record may be a scoped model (a model post, a
zone, a taskforce) or a row under one (a zone's report, a taskforce's report, a plan item's progress report): the
scope is read from the first scoped record up its foreign keys (``owner_of``). Outside it, or withdrawn: 404.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from dangjian.core.downloads import disposition
from dangjian.core.scoping import require_perm

from .. import evidence
from ..active import VIEW
from ..models import CarrierEvidence

CHANGE = "integration.change"
MAX_HOPS = 3


def owner_of(target: models.Model | None) -> models.Model | None:
    """The record whose scope decides who sees ``target``: itself when its model declares a scope, else the first
    scoped record along its foreign keys (a report's zone or taskforce), at most ``MAX_HOPS`` away."""
    obj = target
    for _hop in range(MAX_HOPS):
        if obj is None:
            return None
        model = type(obj)
        if getattr(model, "scoped_by", None) is not None and hasattr(model.objects, "visible_to"):
            return obj
        parent = None
        for f in model._meta.concrete_fields:
            related = f.related_model if f.many_to_one else None
            if related is not None and getattr(related, "scoped_by", None) is not None:
                if related._meta.app_label == "accounts":  # who wrote it, not what it belongs to
                    continue
                parent = getattr(obj, f.name)
                break
        obj = parent
    return None


def _evidence(request: HttpRequest, pk: int, perm: str) -> CarrierEvidence:
    ev = CarrierEvidence.objects.filter(pk=pk, withdrawn_at__isnull=True).select_related("target_type").first()
    owner = owner_of(ev.target) if ev is not None else None
    if owner is None or not type(owner).objects.visible_to(request.user, perm).filter(pk=owner.pk).exists():
        raise Http404(_("对象不存在"))
    return ev  # type: ignore[return-value]


def _filename(ev: CarrierEvidence) -> str:
    ext = PurePath(ev.file.name or "").suffix.lower()
    title = ev.title.strip() or "evidence"
    return title if title.lower().endswith(ext) else f"{title}{ext}"


@require_GET
@require_perm(VIEW)
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    ev = _evidence(request, pk, VIEW)
    if not ev.file:
        raise Http404(_("文件不存在"))
    name = _filename(ev)
    try:
        response = FileResponse(ev.file.open("rb"), as_attachment=True, filename=name)
    except (FileNotFoundError, ValueError):
        raise Http404(_("文件不存在")) from None
    response["Content-Disposition"] = disposition(name)
    return response


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("撤回原因"), widget=forms.Textarea(attrs={"rows": 3}), max_length=500)


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("integration:matrix")


@require_perm(CHANGE)
def evidence_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """A file attached by mistake leaves the record (kept, with the reason); the maintainers of the record's
    organisation only (integration.change over it)."""
    ev = _evidence(request, pk, CHANGE)
    back = _back(request)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            evidence.withdraw(request.user, ev, form.cleaned_data["reason"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("佐证材料已撤回"))
        return redirect(back)
    context: dict[str, Any] = {
        "title": _("撤回佐证材料"),
        "question": _("撤回后“%(title)s”不再显示在记录中，文件和记录保留。") % {"title": ev.title},
        "confirm_label": _("撤回"),
        "form": form,
        "cancel_url": back,
    }
    return render(request, "core/confirm.html", context)
