"""The organisation's care list: everyone with care.view reads it; only the committee office edits it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scope import WHOLE_TREE, can
from dangjian.audit.models import AuditEvent
from dangjian.core.forms import apply_errors
from dangjian.core.scoping import require_perm
from dangjian.rules.services import book as rule_book

from .. import services
from ..forms import RuleForm
from ..models import CareRule
from ..rule_terms import history, shown
from ..services import CHANGE, VIEW


@require_perm(VIEW)
def rule_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    book = rule_book()
    rules = list(CareRule.objects.order_by("kind", "trigger", "id"))
    for r in rules:  # the terms in force today (or the first to come), and any version that starts later
        r.terms = shown(book, r, today)
        r.later = [t for t in history(book, r) if t.effective_from > today and t != r.terms]
    groups = [(k, label, [r for r in rules if r.kind == k]) for k, label in CareRule._meta.get_field("kind").choices]
    context = {"groups": groups, "can_edit": can(request.user, "rules.edit", WHOLE_TREE)}
    if context["can_edit"]:
        context["history"] = rule_history()
    return render(request, "care/rules.html", context)


def rule_history(limit: int = 20) -> list[dict]:
    """The latest edits of the care list (from the audit log): when, by whom, which fields changed."""
    events = AuditEvent.objects.filter(object_type="care.carerule").order_by("-at", "-id")[:limit]
    out = []
    for e in events:
        before, after = e.before or {}, e.after or {}
        changed = [f"{k}: {before.get(k, '—')} → {v}" for k, v in after.items() if before.get(k) != v and k != "id"]
        out.append({"at": e.at, "actor": e.actor_name, "rule": e.object_repr, "changed": changed, "action": e.action})
    return out


@require_perm(CHANGE)
def rule_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not can(request.user, "rules.edit", WHOLE_TREE):
        raise Http404(_("页面不存在"))
    rule = None
    if pk is not None:
        rule = CareRule.objects.filter(pk=pk).first()
        if rule is None:
            raise Http404(_("对象不存在"))
    form = RuleForm(request.POST or None, rule=rule, terms=services.latest_terms(rule) if rule else None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.save_rule(request.user, pk, data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("关怀规则已保存"))
            return redirect("care:rules")
    title = _("修改关怀规则") if rule else _("新增关怀规则")
    intro = _(
        "修改从生效日期起适用：此前发生的事件仍按原规则，已生成的关怀事项不变。每次修改新增一个版本，并记入审计日志。"
    )
    context = {"form": form, "title": title, "intro": intro, "cancel_url": reverse("care:rules")}
    return render(request, "core/form.html", context)
