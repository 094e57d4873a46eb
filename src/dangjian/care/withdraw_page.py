"""The one confirmation page for withdrawing a record entered by mistake (an event, a hardship entry, a project):
a required reason, the service's errors on the form, a message and a redirect once done."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dangjian.core.forms import apply_errors

from .forms import WithdrawForm


def withdraw_page(
    request: HttpRequest,
    withdraw: Callable[[str], object],
    *,
    title: str,
    question: str,
    done: str,
    done_url: str,
    cancel_url: str,
) -> HttpResponse:
    """``withdraw(reason)`` calls the service (which re-checks scope and audits)."""
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            withdraw(form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(done_url)
    context = {
        "title": title,
        "question": question,
        "form": form,
        "confirm_label": _("撤销"),
        "cancel_url": cancel_url,
    }
    return render(request, "core/confirm.html", context)
