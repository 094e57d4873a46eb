"""Leaders' contact points with their visits of the year and their dual organisational life (双重组织生活)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts.scope import can
from dangjian.core.paging import paginate
from dangjian.core.ruletable import NoRuleInForce
from dangjian.core.scoping import require_perm
from dangjian.meetings.models import Attendance
from dangjian.meetings.models.meeting import HELD_STATUSES
from dangjian.people.models import Membership
from dangjian.rules import services as rule_store

from .. import services
from ..figures import year_bounds
from ..forms import ContactPointForm, VisitForm
from ..models import ContactPoint
from ..rule_data import TALKS_RULES
from ..services import ASSIGN, CHANGE, VIEW
from .common import PAGE, form_page, year_of

# 领导干部联系点: how many visits a year the institute asks (本单位设置, read from the rule store)
VISITS = "contact_point.min_visits_per_year"


@require_perm(VIEW)
def contact_points(request: HttpRequest) -> HttpResponse:
    """Leaders' contact points with visits this year, and their dual organisational life at their own branch."""
    year = year_of(request)
    start, end = year_bounds(year)
    points = (
        ContactPoint.objects.visible_to(request.user)
        .select_related("leader", "organization")
        .annotate(visits_in_year=Count("visits", filter=Q(visits__visited_on__year=year)))
        # Meta.ordering does not apply to an aggregated query: without this, pages could repeat or skip points
        .order_by("leader__sort_key", "leader__name", "-since", "pk")
    )
    page = paginate(request, points, PAGE, keep={"year": year})
    leader_ids = {p.leader_id for p in page.object_list}
    own_branch = dict(
        Membership.objects.current().filter(person_id__in=leader_ids).values_list("person_id", "organization_id")
    )
    attended = dict(
        Attendance.objects.filter(
            person_id__in=leader_ids,
            status__in=["present", "elsewhere"],
            meeting__status__in=HELD_STATUSES,
            meeting__starts_at__gte=start,
            meeting__starts_at__lt=end,
        )
        .filter(Q(meeting__organization_id__in=own_branch.values()))
        .values("person_id")
        .annotate(n=Count("id"))
        .values_list("person_id", "n")
    )
    # the institute sets the minimum (L), and may set another for a subtree: each point is judged by its own
    year_end = date(year, 12, 31)
    try:
        rule = rule_store.table(TALKS_RULES).rule(VISITS, year_end)
        no_rule = ""
    except NoRuleInForce as exc:  # a year before the first known setting: the visits, without a minimum
        rule, no_rule = None, exc.message
    for p in page.object_list:
        try:
            p.min_visits = rule_store.table(TALKS_RULES, p.organization).value(VISITS, year_end)
        except NoRuleInForce:
            p.min_visits = None
    rows = [(p, attended.get(p.leader_id, 0), own_branch.get(p.leader_id)) for p in page.object_list]
    return render(
        request,
        "talks/contact_points.html",
        {
            "page": page,
            "rows": rows,
            "year": year,
            "rule": rule,
            "no_rule": no_rule,
            "can_assign": can(request.user, ASSIGN),
        },
    )


@require_perm(CHANGE)
def contact_point_create(request: HttpRequest) -> HttpResponse:
    if not can(request.user, ASSIGN):
        raise Http404
    return form_page(
        request,
        ContactPointForm(request.POST or None, user=request.user),
        lambda data: services.assign_contact_point(request.user, data),
        success=gettext_lazy("联系点已设立"),
        title=gettext_lazy("设立党建联系点"),
        back="life:contact_points",
    )


@require_perm(VIEW)
def visit_create(request: HttpRequest, pk: int) -> HttpResponse:
    point = ContactPoint.objects.visible_to(request.user).filter(pk=pk).select_related("organization").first()
    if point is None:
        raise Http404
    return form_page(
        request,
        VisitForm(request.POST or None),
        lambda data: services.record_visit(request.user, point.pk, data),
        success=gettext_lazy("调研记录已保存"),
        title=_("%(point)s 调研记录") % {"point": point},
        back="life:contact_points",
    )
