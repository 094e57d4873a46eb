"""The hardship register (困难职工/党员帮扶台账) with the support given and yearly totals; withdrawing an entry."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.core.forms import apply_errors
from dangjian.core.paging import paginate
from dangjian.core.scoping import get_visible, require_perm
from dangjian.people.models import Person

from .. import hardship
from ..forms import CloseEntryForm, HardshipForm, SupportForm
from ..models import HardshipEntry, Support
from ..services import CHANGE, VIEW
from ..withdraw_page import withdraw_page


@require_perm(VIEW)
def register_list(request: HttpRequest) -> HttpResponse:
    entries = HardshipEntry.objects.visible_to(request.user, VIEW).select_related("person", "person__department")
    q = request.GET.get("q", "").strip()
    if q:
        entries = entries.filter(person__name__contains=q)
    if request.GET.get("state") == "open":
        entries = entries.filter(closed_on__isnull=True)
    entries = entries.annotate(total=Sum("supports__amount"), n=Count("supports"), last=Max("supports__given_on"))
    page = paginate(request, entries.order_by("-registered_on", "-id"), 50, keep=request.GET)
    totals = hardship.yearly_totals(Support.objects.visible_to(request.user, VIEW))
    context = {"page": page, "totals": totals, "q": q}
    context["can_change"] = _has(request)
    return render(request, "care/hardship_list.html", context)


def _has(request) -> bool:
    from dangjian.accounts.scope import has_perm

    return has_perm(request.user, CHANGE)


@require_perm(CHANGE)
def register_new(request: HttpRequest) -> HttpResponse:
    form = HardshipForm(request.POST or None, people=Person.objects.visible_to(request.user, CHANGE))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            entry = hardship.register(request.user, d["person"].pk, d["registered_on"], d["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记到困难帮扶台账"))
            return redirect("care:hardship_entry", pk=entry.pk)
    context = {"form": form, "title": _("登记困难职工"), "cancel_url": reverse("care:hardship")}
    return render(request, "core/form.html", context)


@require_perm(VIEW)
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_visible(HardshipEntry.objects.select_related("person"), request.user, VIEW, pk=pk)
    change = HardshipEntry.objects.visible_to(request.user, CHANGE).filter(pk=pk).exists()
    form = SupportForm((request.POST or None) if "closed_on" not in request.POST else None) if change else None
    if change and request.method == "POST" and "closed_on" not in request.POST and form.is_valid():
        try:
            hardship.add_support(request.user, entry.pk, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("帮扶记录已保存"))
            return redirect("care:hardship_entry", pk=entry.pk)
    if change and request.method == "POST" and "closed_on" in request.POST:
        close = CloseEntryForm(request.POST)
        if close.is_valid():
            try:
                hardship.close_entry(request.user, entry.pk, close.cleaned_data["closed_on"])
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                messages.success(request, _("已登记脱困"))
        else:
            messages.error(request, _("请填写脱困日期"))
        return redirect("care:hardship_entry", pk=entry.pk)
    supports = entry.supports.order_by("-given_on", "-id")
    total = sum((s.amount for s in supports), start=0)
    context = {"entry": entry, "supports": supports, "total": total, "form": form, "change": change}
    if change and entry.closed_on is None:
        context["close_form"] = CloseEntryForm()
    return render(request, "care/hardship_detail.html", context)


@require_perm(CHANGE)
def entry_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """The entry is soft-deleted (see ``hardship.withdraw_entry``)."""
    entry = get_visible(HardshipEntry.objects.select_related("person"), request.user, CHANGE, pk=pk)
    return withdraw_page(
        request,
        lambda reason: hardship.withdraw_entry(request.user, entry.pk, reason),
        title=_("撤销困难帮扶登记"),
        question=_("确定撤销%(name)s于%(date)s的困难帮扶登记吗？该登记及其帮扶记录将不再计入台账和年度合计。")
        % {"name": entry.person.name, "date": entry.registered_on.strftime("%Y-%m-%d")},
        done=_("困难帮扶登记已撤销，其帮扶记录不再计入合计"),
        done_url=reverse("care:hardship"),
        cancel_url=reverse("care:hardship_entry", args=[pk]),
    )
