"""Business lines with their stages, and key tasks: list (search, filters, export), detail, edit, import.

Lines, stages and the tasks' own fields are the committee office's (``integration.manage``); a branch
secretary keeps the people, organisations and milestones of the tasks of their branch (``integration.change``);
everyone with ``integration.view`` reads the tasks in their scope. Out of scope is 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dangjian.core.downloads import attachment
from dangjian.core.forms import apply_errors, narrow_people
from dangjian.core.paging import filter_params, paginate
from dangjian.core.paper import cn_date
from dangjian.core.scoping import get_visible, require_perm
from dangjian.people.models import Person
from dangjian.sheets import SheetError

from .. import business as services
from ..business import CHANGE, MANAGE, VIEW
from ..business_forms import (
    AddOrganizationForm,
    AddPersonForm,
    DeleteForm,
    FilterForm,
    ImportForm,
    LineForm,
    MilestoneForm,
    ProjectForm,
    StageForm,
)
from ..business_sheets import build_template, export_projects, import_projects
from ..models import BusinessLine, ProcessStage, Project

PAGE = 30
EXPORT_MAX = 20000  # rows of one export: past it the office narrows the filters


# --- business lines and stages -------------------------------------------------------------------------------


@require_perm(VIEW)
def line_list(request: HttpRequest) -> HttpResponse:
    stages = Prefetch("stages", queryset=ProcessStage.objects.select_related("department").order_by("order", "pk"))
    lines = (
        services.lines_for(request.user)
        .select_related("organization", "department")
        .prefetch_related(stages)
        .order_by("order", "code")
    )
    rows = [(line, services.can_manage(request.user, line.organization)) for line in lines]
    context = {"rows": rows, "can_manage": services.can_manage(request.user)}
    return render(request, "integration/business_lines.html", context)


def _form_page(
    request, form, write: Callable[[dict], Any], *, success, title, back, cancel: str = "", search=None
) -> HttpResponse:
    """A create or edit page: ``write`` is the service; ``back`` the URL to go to after (or a function of the
    saved row giving it)."""
    if request.method == "POST" and form.is_valid():
        try:
            result = write(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(back(result) if callable(back) else back)
    cancel = cancel or (back if isinstance(back, str) else reverse("integration:line_list"))
    context = {"form": form, "title": title, "cancel_url": cancel, "search": search}
    return render(request, "core/form.html", context)


def _leaders(request: HttpRequest, current: int | None = None):
    """The leader drop-down: narrowed by a search in a large scope; the current leader stays choosable."""
    people = Person.objects.visible_to(request.user, "people.view").order_by("sort_key", "name", "pk")
    people, search = narrow_people(request, people, field="leader")
    if current:
        people = Person.objects.filter(Q(pk__in=people.values("pk")) | Q(pk=current)).order_by("sort_key", "name")
    return people, search


@require_perm(MANAGE)
def line_create(request: HttpRequest) -> HttpResponse:
    form = LineForm(request.POST or None, user=request.user)
    return _form_page(
        request,
        form,
        lambda data: services.save_line(request.user, data),
        success=_("主业已保存"),
        title=_("新增主业"),
        back=reverse("integration:line_list"),
    )


@require_perm(MANAGE)
def line_edit(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_visible(BusinessLine.objects.all(), request.user, MANAGE, pk=pk)
    form = LineForm(request.POST or None, instance=line, user=request.user)
    return _form_page(
        request,
        form,
        lambda data: services.save_line(request.user, data, line.pk),
        success=_("主业已保存"),
        title=_("编辑主业：%(name)s") % {"name": line.name},
        back=reverse("integration:line_list"),
    )


@require_perm(MANAGE)
def stage_create(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_visible(BusinessLine.objects.all(), request.user, MANAGE, pk=pk)
    form = StageForm(request.POST or None, initial={"order": line.stages.count() + 1})
    return _form_page(
        request,
        form,
        lambda data: services.save_stage(request.user, line.pk, data),
        success=_("环节已保存"),
        title=_("%(line)s：新增环节") % {"line": line.name},
        back=reverse("integration:line_list"),
    )


@require_perm(MANAGE)
def stage_edit(request: HttpRequest, pk: int) -> HttpResponse:
    stage = ProcessStage.objects.select_related("line").filter(pk=pk).first()
    if stage is None or not BusinessLine.objects.visible_to(request.user, MANAGE).filter(pk=stage.line_id).exists():
        raise Http404(_("对象不存在"))
    form = StageForm(request.POST or None, instance=stage)
    return _form_page(
        request,
        form,
        lambda data: services.save_stage(request.user, stage.line_id, data, stage.pk),
        success=_("环节已保存"),
        title=_("编辑环节：%(stage)s") % {"stage": stage},
        back=reverse("integration:line_list"),
    )


# --- key tasks -----------------------------------------------------------------------------------------------


def _filtered(request: HttpRequest) -> tuple[FilterForm, QuerySet[Project]]:
    form = FilterForm(request.GET or None, user=request.user)
    rows = services.projects_for(request.user).select_related("line", "stage", "department", "leader", "organization")
    if form.is_valid():
        d = form.cleaned_data
        if d["q"]:
            q = d["q"].strip()
            rows = rows.filter(Q(code__icontains=q) | Q(name__icontains=q) | Q(leader__name__icontains=q))
        if d["line"]:
            rows = rows.filter(line=d["line"])
        if d["kind"]:
            rows = rows.filter(kind=d["kind"])
        if d["status"]:
            rows = rows.filter(status=d["status"])
        if d["year"]:
            rows = rows.filter(services.overlaps_year(d["year"]))
        if d["key"]:
            rows = rows.filter(key=True)
        if d["department"]:
            rows = rows.filter(department=d["department"])
        sort = d["sort"] or "-starts_on"
    else:
        sort = "-starts_on"
    return form, rows.order_by(sort, "code", "pk")


@require_perm(VIEW)
def project_list(request: HttpRequest) -> HttpResponse:
    form, rows = _filtered(request)
    page = paginate(request, rows, PAGE, keep=form.data if form.is_bound else {})
    params = filter_params(form.data if form.is_bound else {})
    context = {
        "page": page,
        "form": form,
        "can_manage": services.can_manage(request.user),
        "filtered": bool(params),
    }
    return render(request, "integration/business_projects.html", context)


@require_perm(VIEW)
def project_export(request: HttpRequest) -> HttpResponse:
    _form, rows = _filtered(request)
    rows = rows.prefetch_related("organizations")[:EXPORT_MAX]
    title = _("重点任务台账（%(date)s）") % {"date": cn_date(timezone.localdate())}
    return attachment(export_projects(rows, title), "key-tasks.xlsx")


CARRIERS = (
    # (reverse relation, label, detail URL name, select_related)
    ("modelposts", gettext_lazy("党员示范岗"), "integration:post_detail", ()),
    ("responsibilityzones", gettext_lazy("党员责任区"), "integration:zone_detail", ()),
    ("taskforces", gettext_lazy("突击队/攻关团队"), "integration:taskforce_detail", ()),
    ("pledges", gettext_lazy("党员承诺"), "integration:pledge_detail", ("person",)),
    ("jointbuildings", gettext_lazy("支部共建"), "integration:joint_detail", ()),
    ("activity_links", gettext_lazy("业务主题活动"), "meetings:detail", ("meeting",)),
    ("contact_point_links", gettext_lazy("领导联系点"), "", ("contact_point__leader", "contact_point__organization")),
    ("plan_items", gettext_lazy("服务的计划事项"), "workplan:item_detail", ()),
)
SHOWN = 50


def _url(name: str, pk: int) -> str | None:
    if not name:
        return None
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return None


def _carriers(project: Project) -> list[dict[str, Any]]:
    """What is attached to the task, read through its reverse relations (one or two queries each)."""
    out = []
    for accessor, label, url_name, related in CARRIERS:
        manager = getattr(project, accessor, None)
        if manager is None:
            continue
        qs = manager.all()
        if accessor in ("activity_links", "contact_point_links"):
            qs = qs.filter(removed_at__isnull=True)
        if related:
            qs = qs.select_related(*related)
        rows = list(qs[: SHOWN + 1])
        count = len(rows) if len(rows) <= SHOWN else qs.count()
        items = []
        for row in rows[:SHOWN]:
            target = getattr(row, "meeting", None) or getattr(row, "contact_point", None) or row
            items.append({"text": str(target), "url": _url(url_name, target.pk)})
        out.append({"label": label, "count": count, "items": items})
    return out


@require_perm(VIEW)
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_visible(
        Project.objects.select_related("line", "stage", "department", "leader", "organization"),
        request.user,
        VIEW,
        pk=pk,
    )
    can_links = services.can_change_links(request.user, project)
    context = {
        "project": project,
        "milestones": list(project.milestones.all()),
        "organizations": list(project.organizations.order_by("path")),
        "people": list(project.people.select_related("department").order_by("sort_key", "name", "pk")),
        "carriers": _carriers(project),
        "can_manage": services.can_manage(request.user, project),
        "can_links": can_links,
        "today": timezone.localdate(),
    }
    if can_links:
        context["milestone_form"] = MilestoneForm()
        context["org_form"] = AddOrganizationForm(user=request.user)
        context["person_form"] = AddPersonForm(user=request.user)
    return render(request, "integration/business_project.html", context)


@require_perm(MANAGE)
def project_create(request: HttpRequest) -> HttpResponse:
    leaders, search = _leaders(request)
    initial = {"starts_on": timezone.localdate()}
    form = ProjectForm(request.POST or None, user=request.user, leaders=leaders, initial=initial)
    return _form_page(
        request,
        form,
        lambda data: services.save_project(request.user, data),
        success=_("重点任务已保存"),
        title=_("新增重点任务"),
        back=lambda p: reverse("integration:project_detail", args=[p.pk]),
        cancel=reverse("integration:project_list"),
        search=search,
    )


@require_perm(MANAGE)
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_visible(Project.objects.all(), request.user, MANAGE, pk=pk)
    leaders, search = _leaders(request, project.leader_id)
    form = ProjectForm(request.POST or None, instance=project, user=request.user, leaders=leaders)
    back = reverse("integration:project_detail", args=[project.pk])
    if request.method == "POST" and form.is_valid():
        try:
            services.save_project(request.user, form.cleaned_data, project.pk)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("重点任务已保存"))
            return redirect(back)
    title = _("编辑重点任务：%(name)s") % {"name": project.name}
    context = {"form": form, "title": title, "cancel_url": back, "search": search}
    return render(request, "core/form.html", context)


@require_perm(MANAGE)
def project_delete(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_visible(Project.objects.all(), request.user, MANAGE, pk=pk)
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.delete_project(request.user, project.pk, form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("重点任务已删除"))
            return redirect("integration:project_list")
    question = _("确定删除重点任务“%(name)s”（%(code)s）吗？删除后不再出现在列表和融合矩阵中，记录和原因保留备查。") % {
        "name": project.name,
        "code": project.code,
    }
    context = {
        "title": _("删除重点任务"),
        "question": question,
        "form": form,
        "confirm_label": _("删除"),
        "cancel_url": reverse("integration:project_detail", args=[project.pk]),
    }
    return render(request, "core/confirm.html", context)


def _links_action(request: HttpRequest, pk: int, form_class, act: Callable[[Any, forms.Form], Any], done: str):
    project = get_visible(Project.objects.all(), request.user, CHANGE, pk=pk)
    back = redirect("integration:project_detail", pk=project.pk)
    form = form_class(request.POST, user=request.user) if form_class else None
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return back
    try:
        act(project, form)
    except ValidationError as exc:
        for e in exc.messages:
            messages.error(request, e)
    else:
        messages.success(request, done)
    return back


@require_POST
@require_perm(CHANGE)
def project_add_organization(request: HttpRequest, pk: int) -> HttpResponse:
    return _links_action(
        request,
        pk,
        AddOrganizationForm,
        lambda p, f: services.add_organization(request.user, p.pk, f.cleaned_data["organization"]),
        _("已添加参与党组织"),
    )


@require_POST
@require_perm(CHANGE)
def project_remove_organization(request: HttpRequest, pk: int, org_pk: int) -> HttpResponse:
    return _links_action(
        request, pk, None, lambda p, f: services.remove_organization(request.user, p.pk, org_pk), _("已移除参与党组织")
    )


@require_POST
@require_perm(CHANGE)
def project_add_person(request: HttpRequest, pk: int) -> HttpResponse:
    return _links_action(
        request,
        pk,
        AddPersonForm,
        lambda p, f: services.add_person(request.user, p.pk, f.cleaned_data["person"]),
        _("已添加参与人员"),
    )


@require_POST
@require_perm(CHANGE)
def project_remove_person(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    return _links_action(
        request, pk, None, lambda p, f: services.remove_person(request.user, p.pk, person_pk), _("已移除参与人员")
    )


class _MilestoneForm(MilestoneForm):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)


@require_POST
@require_perm(CHANGE)
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _links_action(
        request,
        pk,
        _MilestoneForm,
        lambda p, f: services.add_milestone(request.user, p.pk, f.cleaned_data),
        _("已添加任务节点"),
    )


@require_POST
@require_perm(CHANGE)
def milestone_done(request: HttpRequest, pk: int) -> HttpResponse:
    from ..models import Milestone

    milestone = Milestone.objects.filter(pk=pk).first()
    if (
        milestone is None
        or not Project.objects.visible_to(request.user, CHANGE).filter(pk=milestone.project_id).exists()
    ):
        raise Http404(_("对象不存在"))
    try:
        services.milestone_done(request.user, milestone.pk)
    except ValidationError as exc:
        for e in exc.messages:
            messages.error(request, e)
    else:
        messages.success(request, _("节点已标记完成"))
    return redirect("integration:project_detail", pk=milestone.project_id)


# --- import --------------------------------------------------------------------------------------------------


@require_perm(MANAGE)
def project_template(request: HttpRequest) -> HttpResponse:
    return attachment(build_template(), "key-tasks-template.xlsx")


@require_perm(MANAGE)
def project_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    report = file_error = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = import_projects(request.user, upload.read(), upload.name, dry_run=form.cleaned_data["dry_run"])
        except SheetError as exc:
            file_error = str(exc)
    return render(
        request, "integration/business_import.html", {"form": form, "report": report, "file_error": file_error}
    )
