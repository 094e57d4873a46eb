"""The case list's filters, shared by the list, the due and overdue lists and the .xlsx export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet

from dangjian.core.paging import filter_params
from dangjian.orgs.models import Organization

from .forms import FilterForm
from .models import CaseStatus, Development

VIEW = "development.view"
SOON_DAYS = 30


@dataclass
class Filtered:
    cases: QuerySet[Development]
    form: FilterForm
    org: Organization | None
    params: dict[str, str]


def due_soon_q(today: date) -> Q:
    """Open cases with a deadline from today to 30 days ahead, both days included."""
    end = today + timedelta(days=SOON_DAYS)
    return Q(status=CaseStatus.OPEN, next_due_on__gte=today, next_due_on__lte=end)


def overdue_q(today: date) -> Q:
    return Q(status=CaseStatus.OPEN, next_due_on__lt=today)


def due_soon(qs: QuerySet[Development], today: date) -> QuerySet[Development]:
    return qs.filter(due_soon_q(today))


def overdue(qs: QuerySet[Development], today: date) -> QuerySet[Development]:
    return qs.filter(overdue_q(today))


def filter_cases(user, data, today: date, *, due: str = "") -> Filtered:
    """The cases in ``user``'s scope matching the GET ``data``; ``due`` forces the due filter (soon/overdue)."""
    qs = Development.objects.visible_to(user, VIEW)
    form = FilterForm(data or None)
    org = None
    d = form.cleaned_data if form.is_valid() else {}
    due = due or d.get("due") or ""
    if d.get("stage"):
        qs = qs.filter(stage=d["stage"])
    if d.get("status"):
        qs = qs.filter(status=d["status"])
    if d.get("org"):
        org = Organization.objects.visible_to(user, VIEW).filter(pk=d["org"]).first()
        qs = qs.filter(branch__in=Organization.objects.subtree(org)) if org else qs.none()
    if due == "soon":
        qs = due_soon(qs, today).order_by("next_due_on", "id")
    elif due == "overdue":
        qs = overdue(qs, today).order_by("next_due_on", "id")
    return Filtered(qs, form, org, filter_params(data))
