"""The filters of the event and obligation lists, and the coverage table per branch and department."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from dangjian.core.collation import name_key
from dangjian.core.paging import filter_params
from dangjian.orgs.models import Department, Organization

from .forms import EventFilterForm, ObligationFilterForm
from .models import CareEvent, Obligation, ObligationStatus
from .services import VIEW

OPEN = ObligationStatus.OPEN


def scope_orgs(user):
    return Organization.objects.visible_to(user, VIEW).filter(kind__in=("committee", "general_branch", "branch"))


def scope_departments(user):
    return Department.objects.visible_to(user, VIEW)


@dataclass
class Filtered:
    rows: QuerySet
    form: object
    params: dict[str, str]


def filter_events(user, data, today: date) -> Filtered:
    form = EventFilterForm(data or None, orgs=scope_orgs(user).order_by("path"), departments=scope_departments(user))
    d = form.cleaned_data if form.is_valid() else {}
    qs = CareEvent.objects.visible_to(user, VIEW)
    if d.get("q"):
        qs = qs.filter(person__name__contains=d["q"].strip())
    if d.get("kind"):
        qs = qs.filter(kind=d["kind"])
    if d.get("org"):
        qs = qs.filter(branch__in=Organization.objects.subtree(d["org"]))
    if d.get("department"):
        qs = qs.filter(department__in=Department.objects.subtree(d["department"]))
    if d.get("start"):
        qs = qs.filter(occurred_on__gte=d["start"])
    if d.get("end"):
        qs = qs.filter(occurred_on__lte=d["end"])
    open_items = Obligation.objects.filter(event=OuterRef("pk"), status=OPEN)
    status = d.get("status")
    if status == "open":
        qs = qs.filter(Exists(open_items))
    elif status == "overdue":
        qs = qs.filter(Exists(open_items.filter(due_on__lt=today)))
    elif status == "closed":
        qs = qs.filter(~Exists(open_items))
    qs = qs.annotate(
        n_total=Count("obligations"),
        n_open=Count("obligations", filter=Q(obligations__status=OPEN)),
        n_late=Count("obligations", filter=Q(obligations__status=OPEN, obligations__due_on__lt=today)),
    ).select_related("person", "branch", "department")
    return Filtered(qs.order_by("-occurred_on", "-id"), form, filter_params(data))


def filter_obligations(user, data, today: date) -> Filtered:
    form = ObligationFilterForm(data or None)
    d = form.cleaned_data if form.is_valid() else {}
    qs = Obligation.objects.visible_to(user, VIEW)
    status = d.get("status") or "open"
    if status == "open":
        qs = qs.filter(status=OPEN)
    elif status == "overdue":
        qs = qs.filter(status=OPEN, due_on__lt=today)
    elif status == "closed":
        qs = qs.filter(status=ObligationStatus.CLOSED)
    if d.get("kind"):
        qs = qs.filter(kind=d["kind"])
    if d.get("mine"):
        qs = qs.filter(responsible_user=user)
    if d.get("unassigned"):
        qs = qs.filter(responsible_user__isnull=True)
    qs = qs.select_related("event__person", "event__branch", "responsible_user", "done_by")
    order = ("-done_on", "-id") if status == "closed" else ("due_on", "id")
    return Filtered(qs.order_by(*order), form, filter_params(data))


COUNTS = {
    "due": Count("id"),
    "in_time": Count("id", filter=Q(status="closed", done_on__lte=F("due_on"))),
    "late_done": Count("id", filter=Q(status="closed", done_on__gt=F("due_on"))),
}


def coverage(user, start: date, end: date, today: date, by: str) -> list[dict]:
    """Per branch (``by="branch"``) or department: events in the period, and the obligations due in it — done in
    time, done late, open and overdue, open and not yet due."""
    return coverage_of(
        CareEvent.objects.visible_to(user, VIEW), Obligation.objects.visible_to(user, VIEW), start, end, today, by
    )


def coverage_of(events, obligations, start: date, end: date, today: date, by: str) -> list[dict]:
    """The coverage rows of the given events and obligations (a user's, or an organisation's for the ledger)."""
    key = "branch" if by == "branch" else "department"
    events = events.filter(occurred_on__range=(start, end))
    ev = {r[key]: r["n"] for r in events.values(key).annotate(n=Count("id")).order_by()}
    obs = obligations.filter(due_on__range=(start, end))
    obs = obs.exclude(status=ObligationStatus.CANCELLED)
    counts = dict(COUNTS)
    counts["late_open"] = Count("id", filter=Q(status=OPEN, due_on__lt=today))
    counts["open"] = Count("id", filter=Q(status=OPEN, due_on__gte=today))
    ob = {r[f"event__{key}"]: r for r in obs.values(f"event__{key}").annotate(**counts).order_by()}
    ids = set(ev) | set(ob)
    model = Organization if key == "branch" else Department
    names = dict(model.objects.filter(pk__in=[i for i in ids if i]).values_list("pk", "name"))
    rows = []
    for i in sorted(ids, key=lambda x: (x is None, name_key(names.get(x, "")))):
        r = ob.get(i, {})
        row = {"name": names.get(i) or "（未关联）", "events": ev.get(i, 0)}
        row.update({k: r.get(k, 0) for k in ("due", "in_time", "late_done", "late_open", "open")})
        row["rate"] = round(100 * row["in_time"] / row["due"]) if row["due"] else None
        rows.append(row)
    return rows
