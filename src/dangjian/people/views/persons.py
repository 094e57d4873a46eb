from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scope import has_perm
from dangjian.audit.services import history_of, record
from dangjian.core.conflicts import EditConflict, fingerprint, show_conflict
from dangjian.core.downloads import attachment
from dangjian.core.forms import apply_errors
from dangjian.core.paging import paginate
from dangjian.core.scoping import get_visible, require_perm
from dangjian.orgs.models import Department, Organization

from .. import services
from ..filters import AGE_BANDS, SORT_CHOICES, STATUS_CHOICES, PersonFilterSet
from ..forms import DeleteForm, DisciplineForm, MoveForm, PersonForm
from ..models import Employment, Honour, Membership, Person

PAGE_SIZE = 50
MAX_CHOICES = 300


def org_choices(user, selected: str | None) -> list[Organization]:
    """Organisations for the filter: all of them in a small scope; in a large one the upper levels,
    plus the one selected (reached from an organisation's page link)."""
    visible = Organization.objects.visible_to(user).active().exclude(kind="group").order_by("path")
    choices = list(visible[: MAX_CHOICES + 1])
    if len(choices) > MAX_CHOICES:
        choices = list(visible.exclude(kind="branch")[:MAX_CHOICES])
        if selected and selected.isdigit() and all(o.pk != int(selected) for o in choices):
            choices += list(visible.filter(pk=int(selected)))
    return choices


def filtered_people(request: HttpRequest):
    base = Person.objects.visible_to(request.user).select_related("department").order_by("sort_key", "name", "id")
    fs = PersonFilterSet(request.GET or None, queryset=base, user=request.user)
    qs = fs.qs if fs.is_bound and fs.is_valid() else base
    return fs, qs.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.current().select_related("organization", "group"),
            to_attr="current_memberships",
        )
    )


@require_perm("people.view")
def person_list(request: HttpRequest) -> HttpResponse:
    fs, qs = filtered_people(request)
    page = paginate(request, qs, PAGE_SIZE)
    org_id = request.GET.get("org")
    return render(
        request,
        "people/list.html",
        {
            "page": page,
            "filter": fs,
            "params": request.GET,
            "status_choices": STATUS_CHOICES,
            "employment_choices": Employment.choices,
            "age_choices": AGE_BANDS,
            "sort_choices": SORT_CHOICES,
            "branches": org_choices(request.user, org_id),
            "departments": Department.objects.visible_to(request.user).order_by("path")[:MAX_CHOICES],
            "selected_org": int(org_id) if org_id and org_id.isdigit() else None,
            "querystring": page.filters.urlencode(),
            "show_sensitive": has_perm(request.user, "people.view_sensitive"),
            "can_export": has_perm(request.user, "people.export"),
            "can_change": has_perm(request.user, "people.change"),
        },
    )


@require_perm("people.export")
def person_export(request: HttpRequest) -> HttpResponse:
    from ..roster import export_roster

    fs, qs = filtered_people(request)
    qs = qs.filter(pk__in=Person.objects.visible_to(request.user, "people.export").values("pk"))
    unmasked = Person.objects.visible_to(request.user, "people.view_sensitive")
    data = export_roster(qs, unmasked=unmasked)
    record(
        "export",
        None,
        object_type_label="people.person",
        object_repr="花名册导出",
        detail={"filters": request.GET.dict(), "sensitive_in_full": has_perm(request.user, "people.view_sensitive")},
    )
    return attachment(data, f"roster-{timezone.localdate():%Y%m%d}.xlsx")


@require_perm("people.view")
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible(Person.objects.select_related("department"), request.user, "people.view", pk=pk)
    sensitive = Person.objects.visible_to(request.user, "people.view_sensitive").filter(pk=pk).exists()
    if sensitive:
        record("view_sensitive", person, detail={"fields": ["id_number", "phone"]})
    memberships = Membership.all_objects.filter(person=person, deleted_at__isnull=True).select_related(
        "organization", "group"
    )
    can_change = Person.objects.visible_to(request.user, "people.change").filter(pk=pk).exists()
    return render(
        request,
        "people/detail.html",
        {
            "person": person,
            "sensitive": sensitive,
            "memberships": memberships,
            "current": next((m for m in memberships if m.ended_on is None), None),
            "age": person.age_on(),
            "can_change": can_change,
            "can_transfer": can_change and has_perm(request.user, "transfers.change"),
            "can_see_dues": has_perm(request.user, "dues.view"),
            "can_care": has_perm(request.user, "care.change"),
            "honours": list(Honour.objects.filter(person=person).order_by("-awarded_on", "-id")),
            "history": history_of(person)[:50] if has_perm(request.user, "audit.object_history") else None,
        },
    )


@require_perm("people.change")
def person_create(request: HttpRequest) -> HttpResponse:
    form = PersonForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in form.Meta.fields}
        try:
            person = services.create_person(request.user, data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记 %(name)s") % {"name": person.name})
            return redirect("people:detail", pk=person.pk)
    return render(request, "core/form.html", {"form": form, "title": "登记职工", "cancel_url": reverse("people:list")})


@require_perm("people.change")
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible(Person.objects.all(), request.user, "people.change", pk=pk)
    loaded = {"loaded_version": fingerprint(person, PersonForm.Meta.fields)}
    form = PersonForm(request.POST or None, instance=person, initial=loaded, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in form.Meta.fields}
        try:
            services.update_person(request.user, person.pk, data, loaded_version=form.cleaned_data["loaded_version"])
        except EditConflict as conflict:
            show_conflict(form, conflict)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("people:detail", pk=person.pk)
    url = reverse("people:detail", args=[person.pk])
    return render(request, "core/form.html", {"form": form, "title": f"编辑 {person.name}", "cancel_url": url})


@require_perm("people.change")
def person_delete(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible(Person.objects.all(), request.user, "people.change", pk=pk)
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.delete_person(request.user, person.pk, form.cleaned_data["reason"])
        messages.success(request, _("已删除 %(name)s（记录保留，可由管理员恢复）") % {"name": person.name})
        return redirect("people:list")
    return render(
        request,
        "core/confirm.html",
        {
            "form": form,
            "title": f"删除 {person.name}",
            "question": "删除后该人员不再出现在列表中，其党员组织关系同时终止；记录本身保留备查。确定删除吗？",
            "confirm_label": "确认删除",
            "cancel_url": reverse("people:detail", args=[person.pk]),
        },
    )


@require_perm("people.change")
def membership_move(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible(Person.objects.all(), request.user, "people.change", pk=pk)
    if not Membership.objects.current().filter(person=person).exists():
        raise Http404(_("该人员没有当前党员组织关系"))
    branches = Organization.objects.visible_to(request.user, "people.change").active().filter(kind="branch")
    form = MoveForm(request.POST or None, branches=branches.order_by("path"), initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.move_membership(
                request.user,
                person.pk,
                form.cleaned_data["to_branch"].pk,
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("组织关系已转接"))
            return redirect("people:detail", pk=person.pk)
    url = reverse("people:detail", args=[person.pk])
    return render(request, "core/form.html", {"form": form, "title": f"{person.name} 组织关系转接", "cancel_url": url})


@require_perm("people.change")
def membership_discipline(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible(Person.objects.all(), request.user, "people.change", pk=pk)
    current = Membership.objects.current().filter(person=person).first()
    if current is None:
        raise Http404(_("该人员没有当前党员组织关系"))
    initial = {"since": current.discipline_probation_from, "until": current.discipline_probation_until}
    form = DisciplineForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.set_discipline_probation(request.user, person.pk, d["since"], d["until"], d["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("留党察看记录已保存"))
            return redirect("people:detail", pk=person.pk)
    context = {
        "form": form,
        "title": _("%(name)s 留党察看") % {"name": person.name},
        "intro": _(
            "留党察看期间不得担任入党介绍人，也没有表决权、选举权和被选举权（党章第四十条）。两个日期都留空即清除记录。"
        ),
        "cancel_url": reverse("people:detail", args=[person.pk]),
    }
    return render(request, "core/form.html", context)
