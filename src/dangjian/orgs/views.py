from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scope import has_perm
from dangjian.audit.services import history_of
from dangjian.core.forms import apply_errors
from dangjian.core.paging import paginate
from dangjian.core.scoping import get_visible, require_perm
from dangjian.people.models import Membership, Person
from dangjian.rules import services as rule_store

from . import rectifying, services
from .forms import DissolveForm, OrganizationEditForm, OrganizationForm, TermForm, TermShiftForm
from .models import Department, Organization, OrgKind
from .rule_data import ORG_RULES
from .rules import shift_limit
from .warnings import warnings_for

PAGE_SIZE = 50


@require_perm("orgs.view")
def org_list(request: HttpRequest) -> HttpResponse:
    qs = Organization.objects.visible_to(request.user)
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    show_dissolved = request.GET.get("dissolved") == "1"
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(short_name__icontains=q))
    if kind in OrgKind.values:
        qs = qs.filter(kind=kind)
    if not show_dissolved:
        qs = qs.active()
    qs = qs.order_by("path")
    page = paginate(request, qs, PAGE_SIZE)
    return render(
        request,
        "orgs/list.html",
        {
            "page": page,
            "q": q,
            "kind": kind,
            "kinds": OrgKind.choices,
            "show_dissolved": show_dissolved,
        },
    )


@require_perm("orgs.view")
def org_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_visible(Organization.objects.all(), request.user, "orgs.view", pk=pk)
    today = timezone.localdate()
    children = list(Organization.objects.children_of(org).order_by("order", "code")[:200])
    member_counts = dict(
        Membership.objects.current()
        .without_rights_stopped(today)  # 停止党籍: not counted, as in the structural warnings
        .filter(organization__in=Organization.objects.subtree(org))
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    members = (
        Membership.objects.current()
        .filter(organization=org)
        .select_related("person", "group")
        .order_by("person__sort_key", "person__name")
    )
    members_page = paginate(request, members, PAGE_SIZE, keep={})
    term = org.terms.prefetch_related("posts__person").first()
    due = services.due_on(term) if term else None
    warnings = warnings_for([org], today).get(org, [])
    can_change = (
        has_perm(request.user, "orgs.change")
        and Organization.objects.visible_to(request.user, "orgs.change").filter(pk=org.pk).exists()
    )
    return render(
        request,
        "orgs/detail.html",
        {
            "org": org,
            "ancestors": Organization.objects.filter(path__in=ancestor_paths(org)).visible_to(request.user),
            "children": children,
            "members_page": members_page,
            "page": members_page,
            "full_count": member_counts.get("full", 0),
            "probationary_count": member_counts.get("probationary", 0),
            "term": term,
            "due_on": due,
            "days_until_due": (due - today).days if due else None,
            "election_warning_days": rule_store.table(ORG_RULES, org).value("term.election_warning_days", today),
            "warnings": warnings,
            "departments": org.departments.all(),
            "can_change": can_change,
            # 软弱涣散 整顿: the badge, and the office's set / lift link
            "rectifying": rectifying.current(org),
            "may_rectify": rectifying.may_decide(request.user, org),
            "history": history_of(org)[:50] if has_perm(request.user, "audit.object_history") else None,
        },
    )


@require_perm("orgs.change")
def org_create(request: HttpRequest, parent_pk: int) -> HttpResponse:
    parent = get_visible(Organization.objects.all(), request.user, "orgs.change", pk=parent_pk)
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.create_organization(request.user, parent.pk, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已设立 %(name)s") % {"name": org.name})
            return redirect("orgs:detail", pk=org.pk)
    return render(
        request,
        "core/form.html",
        {"form": form, "title": f"在 {parent.name} 下设立组织", "cancel_url": parent_url(parent)},
    )


@require_perm("orgs.change")
def org_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_visible(Organization.objects.all(), request.user, "orgs.change", pk=pk)
    form = OrganizationEditForm(request.POST or None, instance=Organization.objects.get(pk=org.pk))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "departments"}
        try:
            services.update_organization(request.user, org.pk, data)
            org.departments.set(form.cleaned_data["departments"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("orgs:detail", pk=org.pk)
    return render(request, "core/form.html", {"form": form, "title": f"编辑 {org.name}", "cancel_url": parent_url(org)})


@require_perm("orgs.change")
def org_dissolve(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_visible(Organization.objects.all(), request.user, "orgs.change", pk=pk)
    form = DissolveForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.dissolve_organization(request.user, org.pk, form.cleaned_data["on"], form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已撤销 %(name)s") % {"name": org.name})
            return redirect("orgs:detail", pk=org.pk)
    return render(
        request,
        "core/confirm.html",
        {
            "form": form,
            "title": f"撤销 {org.name}",
            "question": "撤销后组织保留在历史中，不再出现在默认列表。确定撤销吗？",
            "confirm_label": "确认撤销",
            "cancel_url": parent_url(org),
        },
    )


@require_perm("orgs.change")
def term_create(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_visible(Organization.objects.all(), request.user, "orgs.change", pk=pk)
    members = Person.objects.filter(memberships__organization=org, memberships__ended_on__isnull=True).order_by(
        "sort_key", "name"
    )
    form = TermForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_term(
                request.user,
                org.pk,
                form.cleaned_data["elected_on"],
                form.posts(),
                form.cleaned_data["note"],
                has_committee=form.has_committee(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已记录换届"))
            return redirect("orgs:detail", pk=org.pk)
    return render(request, "core/form.html", {"form": form, "title": f"{org.name} 换届", "cancel_url": parent_url(org)})


@require_perm("orgs.change")
def term_shift(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an approved early or late election of the current term (意见 2018 第二条)."""
    org = get_visible(Organization.objects.all(), request.user, "orgs.change", pk=pk)
    term = org.terms.first()
    if term is None:
        messages.error(request, _("尚未记录委员会届次，无法登记延期或提前换届"))
        return redirect("orgs:detail", pk=org.pk)
    approvers = Organization.objects.filter(path__in=ancestor_paths(org), kind="committee").order_by("path")
    form = TermShiftForm(request.POST or None, approvers=approvers)
    earliest, latest, rule = shift_limit(term.ends_on)
    form.fields["new_ends_on"].help_text = _("延长或提前一般不超过%(n)s年：%(a)s 至 %(b)s（%(c)s）") % {
        "n": rule.value,
        "a": f"{earliest:%Y-%m-%d}",
        "b": f"{latest:%Y-%m-%d}",
        "c": rule.citation,
    }
    if request.method == "POST" and form.is_valid():
        try:
            services.approve_term_shift(request.user, term.pk, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已记录延期或提前换届"))
            return redirect("orgs:detail", pk=org.pk)
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": f"{org.name} 延期或提前换届（届满 {term.ends_on:%Y-%m-%d}）",
            "cancel_url": parent_url(org),
        },
    )


def ancestor_paths(org: Organization) -> list[str]:
    step = Organization.steplen
    return [org.path[: step * depth] for depth in range(1, org.depth)]


def parent_url(org: Organization) -> str:
    from django.urls import reverse

    return reverse("orgs:detail", args=[org.pk])


@require_perm("orgs.view")
def department_list(request: HttpRequest) -> HttpResponse:
    """The administrative tree and the branches covering each unit (支部建在室上)."""
    departments = Department.objects.visible_to(request.user).order_by("path")
    q = request.GET.get("q", "").strip()
    if q:
        departments = departments.filter(name__icontains=q)
    page = paginate(request, departments.prefetch_related("organizations"), 100, keep={"q": q})
    visible = set(
        Organization.objects.visible_to(request.user)
        .filter(departments__in=[d.pk for d in page.object_list])
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "orgs/departments.html",
        {"page": page, "q": q, "visible_orgs": visible},
    )
