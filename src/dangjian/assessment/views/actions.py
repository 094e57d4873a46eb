"""Publish, new version, retire: each asks for confirmation (GET) and acts on POST."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import services
from ..models import IndicatorSystem
from .access import office_only
from .systems import system_or_404


def _confirm(
    request: HttpRequest,
    system: IndicatorSystem,
    *,
    title: str,
    question: str,
    label: str,
    act: Callable[[Any, int], IndicatorSystem],
    done: str,
) -> HttpResponse:
    form = forms.Form(request.POST or None)
    if request.method == "POST":
        try:
            result = act(request.user, system.pk)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("assessment:detail", pk=system.pk)
        messages.success(request, done % {"system": result})
        return redirect("assessment:detail", pk=result.pk)
    context = {
        "title": title,
        "question": question,
        "confirm_label": label,
        "form": form,
        "cancel_url": reverse("assessment:detail", args=[system.pk]),
    }
    return render(request, "core/confirm.html", context)


@office_only
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    system = system_or_404(pk)
    question = _("发布后“%(system)s”不能再修改，需要修改时另行修订为新版本；它所替代的上一版本将停用。") % {
        "system": system
    }
    return _confirm(
        request,
        system,
        title=_("发布指标体系"),
        question=question,
        label=_("发布"),
        act=services.publish,
        done=_("已发布“%(system)s”"),
    )


@office_only
def new_version(request: HttpRequest, pk: int) -> HttpResponse:
    system = system_or_404(pk)
    question = _("将复制“%(system)s”为新版本的草稿；原版本保持不变，已开展的考核仍按原版本。") % {"system": system}
    return _confirm(
        request,
        system,
        title=_("修订为新版本"),
        question=question,
        label=_("修订为新版本"),
        act=services.new_version,
        done=_("已创建“%(system)s”（草稿）"),
    )


@office_only
def retire(request: HttpRequest, pk: int) -> HttpResponse:
    system = system_or_404(pk)
    question = _("停用后“%(system)s”不再用于新的考核；已开展的考核仍保留其结果。") % {"system": system}
    return _confirm(
        request,
        system,
        title=_("停用指标体系"),
        question=question,
        label=_("停用"),
        act=services.retire,
        done=_("已停用“%(system)s”"),
    )
