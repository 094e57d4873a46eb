"""Reading pages: the branch month ledger, a member's dues, arrears, summaries and the finance export."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scope import scope_for
from dangjian.core.downloads import attachment
from dangjian.core.paging import paginate, querydict
from dangjian.core.scoping import get_visible, require_perm
from dangjian.orgs.models import Organization
from dangjian.people.models import Membership

from ..arrears import arrears_months, arrears_rows, arrears_rule
from ..forms import LedgerFilter, SummaryFilter
from ..ledger import STATUS_LABELS, Totals, compute, start_month
from ..models import DuesBase, DuesPayment, DuesRelief, ReliefStatus
from ..months import add_months, label, month_range, month_start
from ..services import CHANGE, VIEW, can_decide
from ..summary import export_xlsx, month_summary, year_summary

PAGE_SIZE = 50
HISTORY_MONTHS = 24


def _members(request: HttpRequest, org: Organization | None):
    qs = Membership.objects.current().visible_to(request.user, VIEW)
    return qs.filter(organization__in=Organization.objects.subtree(org)) if org else qs


def _org(request: HttpRequest, org_id) -> Organization | None:
    return get_visible(Organization.objects.all(), request.user, VIEW, pk=org_id) if org_id else None


def _org_choices(request: HttpRequest):
    return Organization.objects.visible_to(request.user, VIEW).exclude(kind="group").only("pk", "name", "depth")


def _self_only(request: HttpRequest) -> bool:
    scope = scope_for(request.user, VIEW)
    return not (scope.everything or scope.has_orgs)


EXPORT_MAX_ROWS = 200_000


@require_perm(VIEW)
def ledger(request: HttpRequest) -> HttpResponse:
    """Each member of the subtree in one month: category, base, amount due with its rule, relief, paid, status."""
    if _self_only(request):
        return redirect("dues:person", person_id=request.user.person_id or 0)
    today = timezone.localdate()
    form = LedgerFilter(request.GET or None)
    d = form.cleaned_data if form.is_valid() else {}
    month = month_start(d.get("month") or today)
    org = _org(request, d.get("org"))
    lines = compute(_members(request, org), [month])[month]
    totals = Totals()
    for line in lines:
        totals.add(line)
    if d.get("q"):
        lines = [line for line in lines if d["q"].strip() in line.name]
    if d.get("status"):
        lines = [line for line in lines if line.status == d["status"]]
    page = paginate(request, lines, PAGE_SIZE, keep=request.GET)
    return render(
        request,
        "dues/ledger.html",
        {
            "form": form,
            "page": page,
            "month": month,
            "month_label": label(month),
            "org": org,
            "orgs": _org_choices(request),
            "totals": totals,
            "statuses": STATUS_LABELS,
            "can_change": scope_for(request.user, CHANGE).has_orgs or scope_for(request.user, CHANGE).everything,
            "export_query": querydict({"month": f"{month:%Y-%m}", **({"org": org.pk} if org else {})}).urlencode(),
        },
    )


@require_perm(VIEW)
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    """A member's months (newest first), payments, bases and reliefs. A member sees only their own page."""
    membership = get_visible(
        Membership.objects.current().select_related("person", "organization"), request.user, VIEW, person_id=person_id
    )
    today = timezone.localdate()
    last = month_start(today)
    joined = Membership.all_objects.filter(person_id=person_id, deleted_at__isnull=True).aggregate(m=Min("started_on"))
    start = start_month(membership.admitted_on, joined["m"])
    first = max(add_months(last, -(HISTORY_MONTHS - 1)), start or last)
    # months before the account's first record predate the system: shown only when there is no record at all
    known = [
        m
        for m in (
            DuesBase.objects.filter(account__person_id=person_id).aggregate(m=Min("month"))["m"],
            DuesPayment.objects.filter(account__person_id=person_id, kind="regular").aggregate(m=Min("month_from"))[
                "m"
            ],
        )
        if m is not None
    ]
    if known:
        first = max(first, min(known))
    members = Membership.objects.current().filter(pk=membership.pk)
    by_month = compute(members, month_range(first, last)) if first <= last else {}
    lines = [line for m in sorted(by_month, reverse=True) for line in by_month[m]]
    people = {"account__person_id": person_id}
    can_change = Membership.objects.current().visible_to(request.user, CHANGE).filter(pk=membership.pk).exists()
    reliefs = list(DuesRelief.all_objects.filter(**people).select_related("branch", "requested_by", "decided_by"))
    for relief in reliefs:
        relief.decidable = relief.status == ReliefStatus.REQUESTED and can_decide(request.user, relief)
    return render(
        request,
        "dues/person.html",
        {
            "membership": membership,
            "person": membership.person,
            "lines": lines,
            "start": start,
            "arrived": start is not None and start != start_month(membership.admitted_on),
            "payments": DuesPayment.all_objects.filter(**people).select_related("recorded_by"),
            "bases": DuesBase.objects.filter(**people).order_by("-month"),
            "reliefs": reliefs,
            "can_change": can_change,
            "today": today,
        },
    )


@require_perm(VIEW)
def arrears(request: HttpRequest) -> HttpResponse:
    """Members unpaid for 6 or more consecutive months (党员教育管理工作条例 art. 31)."""
    if _self_only(request):
        return redirect("dues:person", person_id=request.user.person_id or 0)
    today = timezone.localdate()
    org = _org(request, request.GET.get("org"))
    rows = arrears_rows(_members(request, org), today)
    page = paginate(request, rows, PAGE_SIZE, keep=request.GET)
    return render(
        request,
        "dues/arrears.html",
        {
            "page": page,
            "org": org,
            "orgs": _org_choices(request),
            # the rule in force today, shown even when no member is in arrears
            "citation": arrears_rule(today).citation,
            "arrears_months": arrears_months(today),
        },
    )


def _summary(request: HttpRequest):
    today = timezone.localdate()
    form = SummaryFilter(request.GET or None)
    d = form.cleaned_data if form.is_valid() else {}
    org = _org(request, d.get("org"))
    members = _members(request, org)
    if d.get("period") == "year":
        year = d.get("year") or today.year
        if year > today.year:
            year = today.year
        return form, org, year_summary(members, year, today), None, members
    month = month_start(d.get("month") or today)
    return form, org, month_summary(members, month), month, members


@require_perm(VIEW)
def summary(request: HttpRequest) -> HttpResponse:
    if _self_only(request):
        return redirect("dues:person", person_id=request.user.person_id or 0)
    form, org, result, month, _members_qs = _summary(request)
    return render(
        request,
        "dues/summary.html",
        {
            "form": form,
            "org": org,
            "orgs": _org_choices(request),
            "summary": result,
            "month": month,
            "export_query": request.GET.urlencode(),
            "today": timezone.localdate(),
        },
    )


@require_perm(VIEW)
def export(request: HttpRequest) -> HttpResponse:
    """The finance office's workbook: each member's line for the period and the per-branch summary."""
    if _self_only(request):
        return redirect("dues:person", person_id=request.user.person_id or 0)
    form, org, result, month, members = _summary(request)
    rows = members.filter(admitted_on__isnull=False).count() * len(result.months)
    if rows > EXPORT_MAX_ROWS:
        # a year of a whole group is near a million rows: Excel's limit, and minutes inside one request
        messages.error(
            request,
            _("明细约 %(n)s 行，超过单次导出上限 %(max)s 行：请选择党支部（或党总支）或按月导出。")
            % {"n": f"{rows:,}", "max": f"{EXPORT_MAX_ROWS:,}"},
        )
        return redirect(reverse("dues:summary") + "?" + request.GET.urlencode())
    by_month = compute(members, result.months)
    lines = [line for m in result.months for line in by_month[m]]
    body = export_xlsx(lines, result)
    stamp = f"{month:%Y-%m}" if month else f"{result.months[0]:%Y}" if result.months else f"{timezone.localdate():%Y}"
    return attachment(body, f"dues-{stamp}.xlsx")
