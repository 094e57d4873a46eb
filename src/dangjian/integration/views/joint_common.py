"""What the 支部共建, 联席 and link pages share: the one flow of a form page and of a confirmation page."""

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
from dangjian.core.ruletable import EARLIEST

PAGE = 50


def year_of(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and EARLIEST.year <= int(raw) <= 2100 else timezone.localdate().year


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    write: Callable[[dict], Any],
    *,
    success: Any,
    title: Any,
    back: str,
    done: Callable[[Any], str] | None = None,
    template: str = "integration/joint_form.html",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """A valid form goes to its service (``write``), whose ValidationError shows on the form; then the user goes
    to ``done(result)`` (or back to ``back``). A confirmation page is the same flow with a small form."""
    if request.method == "POST" and form.is_valid():
        try:
            result = write(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(done(result) if done else back)
    context = {"form": form, "title": title, "cancel_url": back, **(extra or {})}
    return render(request, template, context)


def posted(request: HttpRequest):
    """The form's data on a POST (even an empty one: a confirmation form has no field), None on a GET."""
    return request.POST if request.method == "POST" else None


def uploads(request: HttpRequest):
    return request.FILES if request.method == "POST" else None
