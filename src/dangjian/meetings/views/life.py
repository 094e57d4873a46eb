from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.scope import WHOLE_TREE, can, scope_for
from dangjian.core.forms import apply_errors
from dangjian.core.paging import paginate
from dangjian.core.scoping import require_perm
from dangjian.orgs.models import Organization
from dangjian.people.models import Membership, Person
from dangjian.rules import services as rule_store

from .. import life_services
from ..life import talk_coverage, with_hours, year_bounds
from ..life_forms import ContactPointForm, HourRateForm, StudyForm, TalkForm, VisitForm
from ..models import Attendance, ContactPoint, Talk
from ..models.meeting import HELD_STATUSES
from ..rule_data import LIFE_RULES

# 领导干部联系点: how many visits a year the institute asks (本单位设置, read from the rule store)
VISITS = "contact_point.min_visits_per_year"
ASSIGN = life_services.ASSIGN

PAGE = 50


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


def _org_filter(request: HttpRequest):
    raw = request.GET.get("org", "")
    if not raw.isdigit():
        return None
    return Organization.objects.visible_to(request.user, "life.view").filter(pk=int(raw)).first()


@require_perm("life.view")
def hours(request: HttpRequest) -> HttpResponse:
    """Each member's class hours for the year; under the minimum first (党员教育管理工作条例 art. 20)."""
    year = _year(request)
    minimum = LIFE_RULES.rule("training.min_hours_per_year", date(year, 12, 31))
    people = Person.objects.visible_to(request.user, "life.view").filter(
        political_status__in=["member", "probationary"]
    )
    org = _org_filter(request)
    if org is not None:
        people = people.filter(
            pk__in=Membership.objects.current()
            .filter(organization__in=Organization.objects.subtree(org))
            .values("person_id")
        )
    rows = with_hours(people, year).select_related("department")
    if request.GET.get("short") == "1":
        rows = rows.filter(hours__lt=minimum.value)
    page = paginate(request, rows.order_by("hours", "name", "id"), PAGE)
    return render(
        request,
        "meetings/life/hours.html",
        {
            "page": page,
            "year": year,
            "minimum": minimum,
            "org": org,
            "short": request.GET.get("short") == "1",
            "can_change": scope_for(request.user, "life.change").has_orgs,
        },
    )


@require_perm("life.change")
def study_create(request: HttpRequest) -> HttpResponse:
    people = Person.objects.visible_to(request.user, "life.change").filter(
        political_status__in=["member", "probationary"]
    )
    form = StudyForm(request.POST or None, people=people.order_by("name"))
    if request.method == "POST" and form.is_valid():
        try:
            life_services.add_study(request.user, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "学习记录已登记")
            return redirect("life:hours")
    return render(
        request, "core/form.html", {"form": form, "title": "登记学习记录", "cancel_url": reverse("life:hours")}
    )


@require_perm("life.view")
def talks(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    qs = (
        Talk.objects.visible_to(request.user)
        .filter(held_on__year=year)
        .select_related("talker", "talkee", "organization")
    )
    page = paginate(request, qs, PAGE, keep={"year": year})
    scope = scope_for(request.user, "life.view")
    coverage = []
    rule = rule_store.table(LIFE_RULES).rule("talks.min_per_member_per_year", date(year, 12, 31))
    if scope.has_orgs:
        memberships = Membership.objects.current().filter(scope.org_q("organization__path"))
        coverage = talk_coverage(memberships, year, rule.value)[:200]
    return render(
        request,
        "meetings/life/talks.html",
        {
            "page": page,
            "year": year,
            "coverage": coverage,
            "rule": rule,
            "can_change": scope_for(request.user, "life.change").has_orgs,
        },
    )


@require_perm("life.change")
def talk_create(request: HttpRequest) -> HttpResponse:
    branches = (
        Organization.objects.visible_to(request.user, "life.change").active().filter(kind="branch").order_by("path")
    )
    people = Person.objects.visible_to(request.user, "life.change").order_by("name")
    form = TalkForm(request.POST or None, branches=branches, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            life_services.record_talk(request.user, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "谈心谈话已记录")
            return redirect("life:talks")
    return render(
        request, "core/form.html", {"form": form, "title": "记录谈心谈话", "cancel_url": reverse("life:talks")}
    )


@require_perm("life.view")
def contact_points(request: HttpRequest) -> HttpResponse:
    """Leaders' contact points with visits this year, and their dual organisational life at their own branch."""
    year = _year(request)
    start, end = year_bounds(year)
    points = (
        ContactPoint.objects.visible_to(request.user)
        .select_related("leader", "organization")
        .annotate(visits_in_year=Count("visits", filter=Q(visits__visited_on__year=year)))
        # Meta.ordering does not apply to an aggregated query: without this, pages could repeat or skip points
        .order_by("leader__name", "-since", "pk")
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
    for p in page.object_list:
        p.min_visits = rule_store.table(LIFE_RULES, p.organization).value(VISITS, year_end)
    rows = [(p, attended.get(p.leader_id, 0), own_branch.get(p.leader_id)) for p in page.object_list]
    return render(
        request,
        "meetings/life/contact_points.html",
        {
            "page": page,
            "rows": rows,
            "year": year,
            "rule": rule_store.table(LIFE_RULES).rule(VISITS, date(year, 12, 31)),
            "can_assign": can(request.user, ASSIGN),
        },
    )


@require_perm("life.change")
def contact_point_create(request: HttpRequest) -> HttpResponse:
    form = ContactPointForm(request.POST or None, user=request.user)
    if not can(request.user, ASSIGN):
        raise Http404
    if request.method == "POST" and form.is_valid():
        try:
            life_services.assign_contact_point(request.user, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "联系点已设立")
            return redirect("life:contact_points")
    url = reverse("life:contact_points")
    return render(request, "core/form.html", {"form": form, "title": "设立党建联系点", "cancel_url": url})


@require_perm("life.view")
def visit_create(request: HttpRequest, pk: int) -> HttpResponse:
    point = ContactPoint.objects.visible_to(request.user).filter(pk=pk).select_related("organization").first()
    if point is None:
        raise Http404
    form = VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            life_services.record_visit(request.user, point.pk, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "调研记录已保存")
            return redirect("life:contact_points")
    url = reverse("life:contact_points")
    return render(request, "core/form.html", {"form": form, "title": f"{point} 调研记录", "cancel_url": url})


@require_perm("life.change")
def hour_rates(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "rules.edit", WHOLE_TREE):  # the rates count for every organisation
        raise Http404
    form = HourRateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        n = life_services.set_hour_rates(request.user, form.cleaned_data)
        messages.success(request, f"已更新 {n} 项学时标准")
        return redirect("life:hours")
    return render(request, "core/form.html", {"form": form, "title": "学时标准", "cancel_url": reverse("life:hours")})
