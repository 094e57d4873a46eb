"""What the talent pages share: a form page bound to a service, and the year and organisation filters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from dangjian.core.forms import apply_errors

PAGE = 50


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    write: Callable[[dict], Any],
    *,
    success: Any,
    title: Any,
    done: Callable[[Any], str],
    cancel: str,
) -> HttpResponse:
    """A valid form goes to its service, whose ValidationError shows on the form; success goes to ``done(result)``."""
    if request.method == "POST" and form.is_valid():
        try:
            result = write(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(done(result))
    return render(request, "core/form.html", {"form": form, "title": title, "cancel_url": cancel})


def post_action(
    request: HttpRequest, form: forms.BaseForm, act: Callable[[dict], Any], *, success: Any, back: str
) -> HttpResponse:
    """A POST button with its few fields: a bad field or the service's refusal is said as an error message on the
    page it came from (the detail page, where the buttons are)."""
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}：{error}" if label else error)
        return redirect(back)
    try:
        act(form.cleaned_data)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect(back)
