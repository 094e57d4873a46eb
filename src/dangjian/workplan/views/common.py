"""What the work plan pages share: the year filter and the one flow of a form page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from dangjian.core.forms import apply_errors

PAGE = 30


def year_of(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    write: Callable[[dict], Any],
    *,
    success: Any,
    title: Any,
    back: str,
    done: Callable[[Any], str] | None = None,
    intro: Any = "",
    template: str = "core/form.html",
) -> HttpResponse:
    """A valid form goes to its service (``write``), whose ValidationError shows on the form; success is said and
    the user goes to ``done(result)`` (or ``back``, the cancel link)."""
    if request.method == "POST" and form.is_valid():
        try:
            result = write(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(done(result) if done else back)
    return render(request, template, {"form": form, "title": title, "cancel_url": back, "intro": intro})
