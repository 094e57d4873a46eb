"""Practical matters for staff (我为群众办实事): the yearly list per organisation, a project page, export and
withdrawal."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.core.downloads import attachment, disposition
from dangjian.core.forms import apply_errors
from dangjian.core.paging import paginate
from dangjian.core.scoping import get_visible, require_perm
from dangjian.orgs.models import Organization
from dangjian.people.models import Person

from .. import matter_services as svc
from ..filters import scope_orgs
from ..forms import EvidenceForm, MatterFilterForm, MatterForm, MilestoneDoneForm, MilestoneForm
from ..matter_export import export_matters
from ..models import Evidence, Milestone, PracticalMatter
from ..services import CHANGE, VIEW
from ..withdraw_page import withdraw_page


def _filtered(request: HttpRequest):
    form = MatterFilterForm(request.GET or None, orgs=scope_orgs(request.user).order_by("path"))
    d = form.cleaned_data if form.is_valid() else {}
    year = d.get("year") or timezone.localdate().year
    qs = PracticalMatter.objects.visible_to(request.user, VIEW).filter(year=year)
    if d.get("org"):
        qs = qs.filter(organization__in=Organization.objects.subtree(d["org"]))
    if d.get("status"):
        qs = qs.filter(status=d["status"])
    return form, year, qs.order_by("organization__path", "id")


@require_perm(VIEW)
def matter_list(request: HttpRequest) -> HttpResponse:
    form, year, qs = _filtered(request)
    rows = qs.select_related("organization", "owner").annotate(
        n_ms=Count("milestones", distinct=True),
        n_done=Count("milestones", filter=Q(milestones__done_on__isnull=False), distinct=True),
    )
    page = paginate(request, rows, 50, keep=request.GET)
    context = {"page": page, "form": form, "year": year, "export_query": page.filters.urlencode()}
    context["can_change"] = Organization.objects.visible_to(request.user, CHANGE).exists()
    return render(request, "care/matter_list.html", context)


@require_perm(VIEW)
def matter_export(request: HttpRequest) -> HttpResponse:
    form, year, qs = _filtered(request)
    return attachment(export_matters(qs, f"{year}年度我为群众办实事项目清单"), f"practical-matters-{year}.xlsx")


def _matter_form(request: HttpRequest, matter: PracticalMatter | None) -> HttpResponse:
    orgs = Organization.objects.visible_to(request.user, CHANGE).order_by("path")
    initial = {}
    if matter:
        initial = {f: getattr(matter, f) for f in svc.FIELDS}
        initial.update(organization=matter.organization_id, owner=matter.owner.id_number)
    people = Person.objects.visible_to(request.user, "people.view")
    form = MatterForm(request.POST or None, orgs=orgs, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = svc.save_matter(request.user, matter.pk if matter else None, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("项目已保存"))
            return redirect("care:matter", pk=saved.pk)
    title = _("修改办实事项目") if matter else _("新增办实事项目")
    cancel = reverse("care:matter", args=[matter.pk]) if matter else reverse("care:matters")
    return render(request, "core/form.html", {"form": form, "title": title, "cancel_url": cancel})


@require_perm(CHANGE)
def matter_new(request: HttpRequest) -> HttpResponse:
    return _matter_form(request, None)


@require_perm(CHANGE)
def matter_edit(request: HttpRequest, pk: int) -> HttpResponse:
    matter = get_visible(PracticalMatter.objects.select_related("owner"), request.user, CHANGE, pk=pk)
    return _matter_form(request, matter)


@require_perm(VIEW)
def matter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    matter = get_visible(PracticalMatter.objects.select_related("organization", "owner"), request.user, VIEW, pk=pk)
    change = PracticalMatter.objects.visible_to(request.user, CHANGE).filter(pk=pk).exists()
    context = {
        "matter": matter,
        "milestones": matter.milestones.all(),
        "evidence": matter.evidence.select_related("uploaded_by"),
        "change": change,
        "today": timezone.localdate(),
    }
    if change:
        context.update(milestone_form=MilestoneForm(), done_form=MilestoneDoneForm(), evidence_form=EvidenceForm())
    return render(request, "care/matter_detail.html", context)


def _back(request, pk, form, action, success):
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("care:matter", pk=pk)
    for errors in form.errors.values():
        for e in errors:
            messages.error(request, e)
    return redirect("care:matter", pk=pk)


@require_POST
@require_perm(CHANGE)
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    matter = get_visible(PracticalMatter.objects.all(), request.user, CHANGE, pk=pk)
    act = lambda d: svc.add_milestone(request.user, matter.pk, d["title"], d["planned_on"])  # noqa: E731
    return _back(request, pk, MilestoneForm(request.POST), act, _("节点已添加"))


@require_POST
@require_perm(CHANGE)
def milestone_done(request: HttpRequest, pk: int) -> HttpResponse:
    ms = get_visible(Milestone.objects.filter(matter__deleted_at__isnull=True), request.user, CHANGE, pk=pk)
    act = lambda d: svc.complete_milestone(request.user, ms.pk, d["done_on"])  # noqa: E731
    return _back(request, ms.matter_id, MilestoneDoneForm(request.POST), act, _("节点已完成"))


@require_POST
@require_perm(CHANGE)
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    matter = get_visible(PracticalMatter.objects.all(), request.user, CHANGE, pk=pk)
    act = lambda d: svc.add_evidence(request.user, matter.pk, d["file"])  # noqa: E731
    return _back(request, pk, EvidenceForm(request.POST, request.FILES), act, _("佐证材料已上传"))


@require_perm(VIEW)
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    ev = get_visible(Evidence.objects.filter(matter__deleted_at__isnull=True), request.user, VIEW, pk=pk)
    try:
        response = FileResponse(ev.file.open("rb"), as_attachment=True, filename=ev.name)
    except (FileNotFoundError, ValueError):
        raise Http404(_("文件不存在")) from None
    response["Content-Disposition"] = disposition(ev.name)  # with the ASCII fallback Django leaves out
    return response


@require_perm(CHANGE)
def matter_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """The project is soft-deleted (see ``svc.withdraw_matter``)."""
    matter = get_visible(PracticalMatter.objects.all(), request.user, CHANGE, pk=pk)
    return withdraw_page(
        request,
        lambda reason: svc.withdraw_matter(request.user, matter.pk, reason),
        title=_("撤销办实事项目"),
        question=_("确定撤销%(year)s年度的“%(title)s”项目吗？该项目将不再出现在年度列表和导出中。")
        % {"year": matter.year, "title": matter.title},
        done=_("办实事项目已撤销"),
        done_url=f"{reverse('care:matters')}?year={matter.year}",
        cancel_url=reverse("care:matter", args=[pk]),
    )
