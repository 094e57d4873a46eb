from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scope import has_perm
from dangjian.core.forms import apply_errors, narrow_people
from dangjian.core.paging import paginate
from dangjian.core.scoping import get_visible, require_perm
from dangjian.orgs.models import Organization

from .. import lost
from ..forms import ContactForm, DecisionForm, LostFilterForm, LostOpenForm, ReasonForm
from ..models import DecisionKind, LostContact, TrackingStatus
from ..rules import (
    REMOVE_YEARS,
    SUSPEND_MONTHS,
    full_months,
    removal_due_on,
    rule_in_force,
    suspend_months,
    suspension_due_on,
)
from .transfers import CHANGE, VIEW, _members, org_choices


def _rules(today):
    return [rule_in_force(SUSPEND_MONTHS, today), rule_in_force(REMOVE_YEARS, today)]


@require_perm(VIEW)
def lost_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    qs = LostContact.objects.visible_to(request.user).select_related("person", "branch")
    form = LostFilterForm(request.GET or None, today=today)
    selected_org = None
    if form.is_valid():
        d = form.cleaned_data
        if d.get("q"):
            qs = qs.filter(person__name__icontains=d["q"].strip())
        if d.get("status"):
            qs = qs.filter(status=d["status"])
        if d.get("flag"):
            qs = qs.filter(lost.flag_q(today, None if d["flag"] == "any" else d["flag"]))
        if d.get("org"):
            selected_org = Organization.objects.visible_to(request.user, VIEW).filter(pk=d["org"]).first()
            qs = qs.filter(branch__in=Organization.objects.subtree(selected_org)) if selected_org else qs.none()
    page = paginate(request, qs, 50, keep=request.GET)
    rows = [
        {
            "case": c,
            "months": full_months(c.last_contact_on, today),
            "flag": lost.flag_label(lost.flag_of(c, today), today),
        }
        for c in page.object_list
    ]
    return render(
        request,
        "transfers/lost_list.html",
        {
            "page": page,
            "rows": rows,
            "form": form,
            "orgs": org_choices(request.user),
            "selected_org": str(selected_org.pk) if selected_org else "",
            "can_change": has_perm(request.user, CHANGE),
            "rules": _rules(today),
        },
    )


@require_perm(CHANGE)
def lost_open(request: HttpRequest) -> HttpResponse:
    preset = request.GET.get("person", "")
    people, search = narrow_people(request, _members(request.user))
    if preset.isdigit() and not people.exists():
        raise Http404(_("该人员不存在、不是当前党员或不在您的管理范围内"))
    form = LostOpenForm(request.POST or None, people=people, initial={"person": people.first()} if preset else {})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            case = lost.open_case(request.user, d["person"].pk, last_contact_on=d["last_contact_on"], note=d["note"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记为失联党员"))
            return redirect("transfers:lost_detail", pk=case.pk)
    rule = rule_in_force(SUSPEND_MONTHS, timezone.localdate())
    intro = _("党员失去联系满%(n)d个月、经多方查找仍无法取得联系的，应当停止其党籍（%(citation)s）。") % {
        "n": suspend_months(timezone.localdate()),
        "citation": rule.citation,
    }
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": "登记失联党员",
            "intro": intro,
            "search": search,
            "cancel_url": reverse("transfers:lost_list"),
        },
    )


@require_perm(VIEW)
def lost_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_visible(LostContact.objects.select_related("person", "branch"), request.user, VIEW, pk=pk)
    today = timezone.localdate()
    change = LostContact.objects.visible_to(request.user, CHANGE).filter(pk=case.pk).exists()
    decisions = {
        DecisionKind.SUSPEND: case.status == TrackingStatus.TRACKING,
        DecisionKind.REMOVE: case.status == TrackingStatus.SUSPENDED and case.last_contact_on <= case.suspended_on,
        DecisionKind.RESTORE: case.status == TrackingStatus.SUSPENDED and case.last_contact_on > case.suspended_on,
    }
    return render(
        request,
        "transfers/lost_detail.html",
        {
            "case": case,
            "contacts": list(case.contacts.select_related("recorded_by")),
            "decisions": list(case.decisions.select_related("recorded_by")),
            "flag": lost.flag_label(lost.flag_of(case, today), today),
            "months": full_months(case.last_contact_on, today),
            "suspension_due": suspension_due_on(case.last_contact_on),
            "removal_due": removal_due_on(case.suspended_on) if case.suspended_on else None,
            "change": change and case.status != TrackingStatus.REMOVED,
            "can_close": change and case.status == TrackingStatus.TRACKING,
            "decision_links": [(k, DecisionKind(k).label) for k, ok in decisions.items() if ok and change],
            "contact_form": ContactForm(initial={"on": today}),
            "rules": _rules(today),
        },
    )


def _changeable(request: HttpRequest, pk: int) -> LostContact:
    return get_visible(LostContact.objects.select_related("person"), request.user, CHANGE, pk=pk)


@require_perm(CHANGE)
def lost_contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _changeable(request, pk)
    form = ContactForm(request.POST if request.method == "POST" else None, initial={"on": timezone.localdate()})
    url = reverse("transfers:lost_detail", args=[case.pk])
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            lost.record_contact(
                request.user, case.pk, on=d["on"], method=d["method"], reached=d["reached"], note=d["note"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("联系记录已保存"))
            return redirect(url)
    return render(
        request, "core/form.html", {"form": form, "title": f"{case.person.name}：登记联系", "cancel_url": url}
    )


QUESTIONS = {
    DecisionKind.SUSPEND: "停止党籍决定将记入该党员档案。请确认已经多方查找仍无法取得联系（条例第24条）。",
    DecisionKind.REMOVE: "按自行脱党除名后，该党员的组织关系将终止，政治面貌改为群众。此操作不可撤回，确定吗？",
    DecisionKind.RESTORE: "恢复党籍前，应了解其失联期间的现实表现。确定记录恢复党籍决定吗？",
}


@require_perm(CHANGE)
def lost_decide(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    case = _changeable(request, pk)
    if kind not in DecisionKind.values:
        raise Http404(_("页面不存在"))
    url = reverse("transfers:lost_detail", args=[case.pk])
    form = DecisionForm(
        request.POST if request.method == "POST" else None, initial={"decided_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            lost.decide(request.user, case.pk, kind, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已记录%(kind)s决定") % {"kind": DecisionKind(kind).label})
            return redirect(url)
    label = DecisionKind(kind).label
    return render(
        request,
        "core/confirm.html",
        {
            "form": form,
            "title": f"{case.person.name}：{label}",
            "question": QUESTIONS[kind],
            "confirm_label": f"记录{label}决定",
            "cancel_url": url,
        },
    )


@require_perm(CHANGE)
def lost_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = _changeable(request, pk)
    url = reverse("transfers:lost_detail", args=[case.pk])
    form = ReasonForm(request.POST if request.method == "POST" else None)
    form.fields["reason"].label = "恢复联系情况"
    if request.method == "POST" and form.is_valid():
        try:
            lost.close(request.user, case.pk, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已结束失联跟踪"))
            return redirect(url)
    return render(
        request,
        "core/confirm.html",
        {
            "form": form,
            "title": f"{case.person.name}：已恢复联系",
            "question": "确认已与该党员恢复正常联系，结束失联跟踪吗？联系记录会保留。",
            "confirm_label": "结束跟踪",
            "cancel_url": url,
        },
    )
