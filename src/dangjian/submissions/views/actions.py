"""The writes of the pages: a draft (new, edit), send with confirmation, withdraw, send again after a return; the
office's receipt and answer. Each goes to its service; a refusal is said on the page it came from."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.core.forms import apply_errors
from dangjian.core.scoping import require_perm

from .. import services
from ..forms import AnswerForm, DraftForm, ReasonForm
from ..models import Kind
from ..queries import ANSWER, CHANGE
from .detail import get_submission


def _detail(pk: int) -> str:
    return reverse("submissions:detail", args=[pk])


def _form_page(request, form, write, *, success: str, title: str, back: str, intro: str = "") -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            result = write(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(_detail(result.pk))
    return render(request, "core/form.html", {"form": form, "title": title, "cancel_url": back, "intro": intro})


def _refuse(request, pk: int, message: str) -> HttpResponse:
    messages.error(request, message)
    return redirect(_detail(pk))


@require_perm(CHANGE)
def submission_new(request: HttpRequest) -> HttpResponse:
    initial = {"kind": request.GET.get("kind", Kind.REQUEST)}
    form = DraftForm(request.POST or None, user=request.user, initial=initial)
    orgs = list(form.fields["organization"].queryset[:2])
    if not form.is_bound and len(orgs) == 1:  # a secretary's own branch; an office chooses among many
        form.fields["organization"].initial = orgs[0]
    return _form_page(
        request,
        form,
        lambda d: services.save_draft(request.user, d),
        success=_("草稿已保存，可上传附件后报送"),
        title=_("拟写请示报告"),
        back=reverse("submissions:list"),
        intro=_("请示应当一文一事，主送一个上级党组织；报告中不得夹带请示事项。报送时自动生成文号。"),
    )


@require_perm(CHANGE)
def submission_edit(request: HttpRequest, pk: int) -> HttpResponse:
    sub = get_submission(request, pk)
    if "edit" not in services.actions(request.user, sub):
        return _refuse(request, sub.pk, _("只有草稿可以修改"))
    initial = {
        "organization": sub.organization,
        "kind": sub.kind,
        "category": sub.category,
        "addressee": sub.addressee,
        "title": sub.title,
        "body": sub.body,
    }
    form = DraftForm(request.POST or None, user=request.user, initial=initial)
    return _form_page(
        request,
        form,
        lambda d: services.save_draft(request.user, d, sub.pk),
        success=_("草稿已保存"),
        title=_("修改草稿：%(t)s") % {"t": sub.title},
        back=_detail(sub.pk),
    )


def _confirm(request, sub, action: str, write, *, title: str, question: str, label: str, success: str):
    if action not in services.actions(request.user, sub):
        return _refuse(request, sub.pk, _("当前状态为「%(s)s」，不能办理该操作") % {"s": sub.get_status_display()})
    if request.method == "POST":
        try:
            result = write()
        except ValidationError as exc:
            return _refuse(request, sub.pk, " ".join(exc.messages))
        messages.success(request, success)
        return redirect(_detail(result.pk))
    return render(
        request,
        "submissions/confirm.html",
        {"title": title, "question": question, "confirm_label": label, "cancel_url": _detail(sub.pk), "sub": sub},
    )


@require_perm(CHANGE)
def submission_send(request: HttpRequest, pk: int) -> HttpResponse:
    sub = get_submission(request, pk)
    return _confirm(
        request,
        sub,
        "send",
        lambda: services.send(request.user, sub.pk),
        title=_("报送：%(t)s") % {"t": sub.title},
        question=_("报送给%(to)s后将生成文号，不能再修改或撤回。确定报送吗？") % {"to": sub.addressee.name},
        label=_("确认报送"),
        success=_("已报送"),
    )


@require_perm(CHANGE)
def submission_resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    sub = get_submission(request, pk)
    return _confirm(
        request,
        sub,
        "resubmit",
        lambda: services.resubmit(request.user, sub.pk),
        title=_("重新拟稿：%(t)s") % {"t": sub.title},
        question=_("将以退回的请示报告为底稿生成新版本草稿（附件一并带入），按退回意见修改后重新报送。"),
        label=_("生成新版本"),
        success=_("已生成新版本草稿，请按退回意见修改后报送"),
    )


@require_perm(ANSWER)
def submission_receive(request: HttpRequest, pk: int) -> HttpResponse:
    sub = get_submission(request, pk)
    return _confirm(
        request,
        sub,
        "receive",
        lambda: services.receive(request.user, sub.pk),
        title=_("签收：%(t)s") % {"t": sub.title},
        question=_("签收%(org)s报送的%(no)s。") % {"org": sub.organization.name, "no": sub.document_number},
        label=_("确认签收"),
        success=_("已签收"),
    )


@require_perm(CHANGE)
def submission_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    sub = get_submission(request, pk)
    if "withdraw" not in services.actions(request.user, sub):
        return _refuse(request, sub.pk, _("只有草稿可以撤回"))
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw(request.user, sub.pk, form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("草稿已撤回"))
            return redirect("submissions:list")
    return render(
        request,
        "core/confirm.html",
        {
            "form": form,
            "title": _("撤回草稿：%(t)s") % {"t": sub.title},
            "question": _("撤回后草稿不再列出，记录保留备查。"),
            "confirm_label": _("确认撤回"),
            "cancel_url": _detail(sub.pk),
        },
    )


@require_perm(ANSWER)
def submission_answer(request: HttpRequest, pk: int) -> HttpResponse:
    sub = get_submission(request, pk)
    if "answer" not in services.actions(request.user, sub):
        return _refuse(request, sub.pk, _("当前状态为「%(s)s」，不能答复") % {"s": sub.get_status_display()})
    form = AnswerForm(request.POST or None, kind=sub.kind)
    title = _("答复：%(t)s") % {"t": sub.title}
    intro = _("请示：同意，或写明原因退回。") if sub.kind == Kind.REQUEST else _("报告：阅知，或写明原因退回。")
    if sub.deadline:
        intro += _("答复期限：%(d)s。") % {"d": sub.deadline.isoformat()}
    return _form_page(
        request,
        form,
        lambda d: services.answer(request.user, sub.pk, d["decision"], d["text"]),
        success=_("已答复"),
        title=title,
        back=_detail(sub.pk),
        intro=intro,
    )
