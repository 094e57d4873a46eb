"""规则与依据: every rule of every app on one page, readable by every signed-in user; the institute's rules
(L/S/U) are revised here by whoever holds ``rules.edit`` — each revision a new version, audited."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.forms import apply_errors

from . import catalogue, services
from .confidence import LABELS, label
from .describe import describe
from .forms import FilterForm, ReviseForm

# "compliance.obligationrule:4" as ``RuleVersion.origin`` names it, or "compliance.obligationrule #4" as the audit
# log shows the object
MOVED_ROW = re.compile(r"([a-z_]+\.[a-z_]+)\s*[:#]\s*(\d+)")


@login_required
def catalogue_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    everything = catalogue.entries(request.user, today)
    app_choices = list(dict.fromkeys((e.app, e.app_label) for e in everything))
    form = FilterForm(request.GET or None, apps=app_choices, confidences=[(c.value, label(c)) for c in LABELS])
    shown = everything
    if form.is_valid():
        data = form.cleaned_data
        if data["app"]:
            shown = [e for e in shown if e.app == data["app"]]
        if data["confidence"]:
            shown = [e for e in shown if e.confidence == data["confidence"]]
        q = data["q"].strip()
        row = MOVED_ROW.fullmatch(q)
        if row:
            # an audit entry written before a rule moved into the store names the old row
            version = services.moved(f"{row[1]}:{row[2]}")
            shown = [e for e in shown if version is not None and e.key == version.key]
        elif q:
            shown = [e for e in shown if e.matches(q)]
    return render(
        request,
        "rules/catalogue.html",
        {"form": form, "entries": shown, "total": len(everything), "today": today},
    )


@login_required
def edit(request: HttpRequest, key: str) -> HttpResponse:
    if not services.may_edit(request.user):
        raise Http404(_("页面不存在"))
    table = services.code_table(key)
    if not services.is_editable(key):
        raise Http404(_("页面不存在"))
    today = timezone.localdate()
    current = services.table(table).rule(key, today)
    title = table.titles.get(key) or current.note or key
    form = ReviseForm(request.POST or None, key=key, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = services.revise(
                request.user,
                key,
                data["value"],
                data["effective_from"],
                organization=data["org_code"],
                reason=data["reason"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("已保存：%(title)s 第%(n)s版，自 %(d)s 起为 %(v)s")
                % {
                    "title": title,
                    "n": new.version,
                    "d": f"{new.effective_from:%Y-%m-%d}",
                    "v": describe(key, data["value"]),
                },
            )
            return redirect(f"{reverse('rules:catalogue')}?q={key}")
    intro = _("当前（全单位）：%(v)s；依据：%(c)s。修改会新增一个版本，原版本在生效日期当天失效，并记入审计日志。") % {
        "v": describe(key, current.value),
        "c": current.citation,
    }
    context = {"form": form, "title": _("修改规则：%(t)s") % {"t": title}, "intro": intro}
    context["cancel_url"] = reverse("rules:catalogue")
    return render(request, "core/form.html", context)
