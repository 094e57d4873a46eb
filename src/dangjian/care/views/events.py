"""Care events and obligations: lists, detail, recording an event, closing an obligation, import, coverage."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.downloads import attachment
from dangjian.core.forms import apply_errors
from dangjian.core.paging import paginate
from dangjian.core.scoping import get_visible, require_perm
from dangjian.people.models import Person
from dangjian.sheets import SheetError

from .. import services
from ..filters import coverage, filter_events, filter_obligations
from ..forms import CloseForm, EventForm, ImportForm
from ..importing import build_template, import_events
from ..models import CareEvent, Obligation, ObligationStatus
from ..services import CHANGE, VIEW
from ..withdraw_page import withdraw_page

PAGE = 50


def can_change(user) -> bool:
    from dangjian.accounts.scope import has_perm

    return has_perm(user, CHANGE)


@require_perm(VIEW)
def event_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    f = filter_events(request.user, request.GET, today)
    page = paginate(request, f.rows, PAGE, keep=f.params)
    context = {"page": page, "form": f.form, "today": today}
    context["can_change"] = can_change(request.user)
    return render(request, "care/event_list.html", context)


@require_perm(VIEW)
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_visible(CareEvent.objects.select_related("person", "branch", "department"), request.user, VIEW, pk=pk)
    obligations = event.obligations.select_related("responsible_user", "done_by", "follow_up_of").order_by(
        "due_on", "id"
    )
    context = {"event": event, "obligations": obligations, "today": timezone.localdate()}
    context["can_change"] = CareEvent.objects.visible_to(request.user, CHANGE).filter(pk=pk).exists()
    return render(request, "care/event_detail.html", context)


@require_perm(CHANGE)
def event_new(request: HttpRequest) -> HttpResponse:
    people = Person.objects.visible_to(request.user, CHANGE)
    initial = {}
    if request.GET.get("person", "").isdigit():
        p = people.filter(pk=int(request.GET["person"][:12])).first()
        initial = {"person": p.id_number} if p else {}
    form = EventForm(request.POST or None, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            event = services.record_event(request.user, d["person"].pk, d["kind"], d["occurred_on"], d["description"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            n = event.obligations.count()
            messages.success(request, _("已登记关怀事件，生成%(n)d项关怀事项") % {"n": n})
            return redirect("care:event", pk=event.pk)
    title = _("登记关怀事件")
    return render(request, "core/form.html", {"form": form, "title": title, "cancel_url": reverse("care:events")})


@require_perm(VIEW)
def obligation_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    f = filter_obligations(request.user, request.GET, today)
    page = paginate(request, f.rows, PAGE, keep=f.params)
    context = {"page": page, "form": f.form, "today": today}
    return render(request, "care/obligation_list.html", context)


@require_perm(VIEW)
def obligation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    qs = Obligation.objects.select_related("event__person", "responsible_user", "done_by", "closed_by", "rule")
    ob = get_visible(qs, request.user, VIEW, pk=pk)
    change = Obligation.objects.visible_to(request.user, CHANGE).filter(pk=pk).exists()
    form = None
    if change and ob.status == ObligationStatus.OPEN:
        form = CloseForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.close_obligation(request.user, ob.pk, form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已办结"))
                return redirect("care:event", pk=ob.event_id)
    context = {"ob": ob, "form": form, "today": timezone.localdate()}
    return render(request, "care/obligation_detail.html", context)


@require_perm(CHANGE)
def import_template(request: HttpRequest) -> HttpResponse:
    return attachment(build_template(), "care-events-template.xlsx")


@require_perm(CHANGE)
def import_page(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    report = file_error = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = import_events(request.user, upload.read(), upload.name, dry_run=form.cleaned_data["dry_run"])
        except SheetError as exc:
            file_error = str(exc)
    return render(request, "care/import.html", {"form": form, "report": report, "file_error": file_error})


def _year_range(request: HttpRequest, today: date) -> tuple[int, date, date]:
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else today.year
    return year, date(year, 1, 1), date(year, 12, 31)


@require_perm(VIEW)
def coverage_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    year, start, end = _year_range(request, today)
    context = {
        "year": year,
        "years": list(range(today.year, today.year - 5, -1)),
        "branches": coverage(request.user, start, end, today, "branch"),
        "departments": coverage(request.user, start, end, today, "department"),
    }
    return render(request, "care/coverage.html", context)


@require_perm(CHANGE)
def event_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_visible(CareEvent.objects.select_related("person"), request.user, CHANGE, pk=pk)
    return withdraw_page(
        request,
        lambda reason: services.withdraw_event(request.user, event.pk, reason),
        title=_("撤销关怀事件"),
        question=_("确定撤销%(name)s的“%(kind)s”事件吗？未办结的关怀事项将一并撤销，已办结的记录保留。")
        % {"name": event.person.name, "kind": event.get_kind_display()},
        done=_("关怀事件已撤销，未办结的关怀事项同时撤销"),
        done_url=reverse("care:events"),
        cancel_url=reverse("care:event", args=[pk]),
    )
