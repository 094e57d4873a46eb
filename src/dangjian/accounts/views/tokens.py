"""Each user's own API tokens: when issued, last used, when they expire; revoke one after confirming."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import tokens
from ..models import ApiToken


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/tokens.html", {"tokens": tokens.listed_for(request.user)})


@login_required
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = ApiToken.objects.filter(pk=pk, user=request.user, revoked_at__isnull=True).first()
    if token is None:
        raise Http404
    if request.method == "POST":
        tokens.revoke(request.user, token.pk)
        messages.success(request, _("已撤销该接口令牌"))
        return redirect("accounts:tokens")
    return render(
        request,
        "core/confirm.html",
        {
            "form": forms.Form(),
            "title": _("撤销接口令牌"),
            "question": _("撤销后，使用该令牌的程序将无法再访问接口，需重新申请令牌。确定撤销吗？"),
            "confirm_label": _("确认撤销"),
            "cancel_url": reverse("accounts:tokens"),
        },
    )
