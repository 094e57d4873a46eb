"""What the talks pages share: the year and organisation filters, and the one flow of a create page."""

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

from dangjian.core.forms import apply_errors
from dangjian.core.ruletable import EARLIEST
from dangjian.orgs.models import Organization

from ..services import VIEW

PAGE = 50


def year_of(request: HttpRequest) -> int:
    """The year asked for, from 1949 on (every rule table answers for any such year, if only to say that no rule
    is known for it); the current year otherwise."""
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and EARLIEST.year <= int(raw) <= 2100 else timezone.localdate().year


def org_filter(request: HttpRequest) -> Organization | None:
    raw = request.GET.get("org", "")
    if not raw.isdigit():
        return None
    return Organization.objects.visible_to(request.user, VIEW).filter(pk=int(raw)).first()


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    write: Callable[[dict], Any],
    *,
    success: Any | Callable[[Any], str],
    title: Any,
    back: str,
) -> HttpResponse:
    """A create page: a valid form goes to its service (``write``), whose ValidationError shows on the form;
    success is said (``success``, or ``success(result)``) and the user returns to the list (URL name ``back``)."""
    if request.method == "POST" and form.is_valid():
        try:
            result = write(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, success(result) if callable(success) else success)
            return redirect(back)
    return render(request, "core/form.html", {"form": form, "title": title, "cancel_url": reverse(back)})
