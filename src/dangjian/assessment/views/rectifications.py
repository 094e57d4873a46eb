"""三张清单 pages: the list (the secretary their unit's, the office its subtree), an item's page with its actions
(each confirmed on its own page), the new-item form, the evidence download and the office's "生成问题清单" from a
cycle unit's lost points. Scope: 404 outside (``core.scoping``); the services re-check inside their transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dangjian.accounts.scope import can
from dangjian.core.downloads import disposition
from dangjian.core.forms import apply_errors
from dangjian.core.paging import paginate
from dangjian.core.scoping import get_visible, require_perm
from dangjian.orgs.models import Organization
from dangjian.people.models import Person

from .. import rectifications as svc
from ..models import AssessmentCycle, CycleUnit, Rectification, RectificationStatus
from ..rectification_owners import unit_members

PAGE = 30
DATE = forms.DateInput(attrs={"type": "date"})
TEXT = forms.Textarea(attrs={"rows": 3})


class FilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("搜索"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=gettext_lazy("状态"), required=False, choices=[("", gettext_lazy("全部")), *RectificationStatus.choices]
    )
    overdue = forms.BooleanField(label=gettext_lazy("仅看逾期"), required=False)
    cycle = forms.ModelChoiceField(
        label=gettext_lazy("考核周期"), required=False, queryset=AssessmentCycle.objects.all()
    )


class ItemForm(forms.Form):
    """An item's fields; ``unit`` (known when editing, or once chosen when recording) limits the 责任人 to its
    people (and the one already named, when editing: a member who left stays until changed). Without a unit there is
    nobody to choose from, so the new-item page asks for the unit first (``UnitForm``)."""

    organization = forms.ModelChoiceField(label=gettext_lazy("整改单位"), queryset=Organization.objects.none())
    problem = forms.CharField(label=gettext_lazy("存在问题"), widget=TEXT)
    owner = forms.ModelChoiceField(
        label=gettext_lazy("责任人"),
        required=False,
        queryset=Person.objects.none(),
        help_text=gettext_lazy("整改单位的党员"),
    )
    owner_text = forms.CharField(
        label=gettext_lazy("责任人（其他）"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("责任人不是本单位党员时填写，如：党委委员、部门负责人"),
    )
    measure = forms.CharField(label=gettext_lazy("整改措施"), widget=TEXT, required=False)
    deadline = forms.DateField(label=gettext_lazy("整改时限"), widget=DATE)
    source = forms.CharField(
        label=gettext_lazy("问题来源"), required=False, max_length=100, help_text=gettext_lazy("如：述职评议、约谈")
    )

    def __init__(self, *args: Any, orgs: Any, unit: Organization | None, item: Rectification | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["organization"].queryset = orgs
        if unit is not None:
            people = unit_members(unit)
            if item is not None and item.owner_id:
                people = (people | Person.objects.filter(pk=item.owner_id)).distinct()
            self.fields["owner"].queryset = people
        if item is not None:  # an item stays with its unit
            del self.fields["organization"]

    def data_for_service(self) -> svc.RectificationData:
        d = self.cleaned_data
        return svc.RectificationData(
            problem=d["problem"],
            measure=d["measure"] or "",
            deadline=d["deadline"],
            owner_id=d["owner"].pk if d.get("owner") else None,
            owner_text=d["owner_text"] or "",
            source=d["source"] or "",
        )


class UnitForm(forms.Form):
    organization = forms.ModelChoiceField(label=gettext_lazy("整改单位"), queryset=Organization.objects.none())


class NoteForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("说明"), widget=TEXT, required=False)


class CompleteForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("整改情况"), widget=TEXT)
    file = forms.FileField(label=gettext_lazy("佐证材料"), required=False)


def overdue_q(today: Any) -> Q:
    return Q(status=RectificationStatus.OPEN, deadline__lt=today)


@require_perm(svc.CHANGE)
def rectification_list(request: HttpRequest) -> HttpResponse:
    """Withdrawn items are history: listed only when asked for by status. Three queries whatever the page's size."""
    form = FilterForm(request.GET or None)
    today = timezone.localdate()
    qs = Rectification.objects.visible_to(request.user, svc.CHANGE).select_related("organization", "owner", "cycle")
    params: dict[str, str] = {}
    status = ""
    if form.is_valid():
        d = form.cleaned_data
        params = {k: str(v.pk if hasattr(v, "pk") else v) for k, v in d.items() if v}
        if d.get("q"):
            qs = qs.filter(
                Q(problem__icontains=d["q"]) | Q(measure__icontains=d["q"]) | Q(organization__name__icontains=d["q"])
            )
        if d.get("overdue"):
            qs = qs.filter(overdue_q(today))
        if d.get("cycle"):
            qs = qs.filter(cycle=d["cycle"])
        status = d.get("status") or ""
    qs = qs.filter(status=status) if status else qs.exclude(status=RectificationStatus.WITHDRAWN)
    page = paginate(request, qs.order_by("deadline", "id"), PAGE, keep=params)
    context = {"page": page, "form": form, "today": today}
    return render(request, "assessment/rectification_list.html", context)


def item_or_404(request: HttpRequest, pk: int) -> Rectification:
    qs = Rectification.objects.select_related("organization", "owner", "cycle", "indicator", "created_by")
    return get_visible(qs, request.user, svc.CHANGE, pk=pk)


@require_perm(svc.CHANGE)
def rectification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = item_or_404(request, pk)
    office = svc.may_manage(request.user, item)
    context = {
        "item": item,
        "office": office,
        "overdue": item.status == RectificationStatus.OPEN and item.deadline < timezone.localdate(),
    }
    return render(request, "assessment/rectification_detail.html", context)


def _chosen_unit(request: HttpRequest, orgs: Any) -> Organization | None:
    """The unit the new item is for: the one posted or named in the link (among the user's), or the user's only one."""
    raw = request.POST.get("organization") or request.GET.get("organization")
    if raw:
        return orgs.filter(pk=raw).first() if str(raw).isdigit() else None
    first_two = list(orgs[:2])
    return first_two[0] if len(first_two) == 1 else None


@require_perm(svc.CHANGE)
def rectification_new(request: HttpRequest) -> HttpResponse:
    """Two steps for whoever keeps several units: the unit first (a GET form), then the item with the unit's people
    to choose the 责任人 from; a secretary of one unit starts at the second."""
    orgs = Organization.objects.visible_to(request.user, svc.CHANGE).filter(dissolved_on__isnull=True).order_by("path")
    unit = _chosen_unit(request, orgs)
    cancel = reverse("assessment:rectifications")
    if unit is None and request.method != "POST":
        unit_form = UnitForm(request.GET or None)
        unit_form.fields["organization"].queryset = orgs
        context = {"form": unit_form, "title": _("登记整改事项"), "cancel_url": cancel}
        return render(request, "assessment/rectification_unit.html", context)
    form = ItemForm(request.POST or None, orgs=orgs, unit=unit, initial={"organization": unit})
    if request.method == "POST" and form.is_valid():
        try:
            item = svc.create(request.user, form.cleaned_data["organization"].pk, form.data_for_service())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("整改事项已登记"))
            return redirect("assessment:rectification", pk=item.pk)
    return render(request, "core/form.html", {"form": form, "title": _("登记整改事项"), "cancel_url": cancel})


@require_perm(svc.CHANGE)
def rectification_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct an open item (its unit's keepers, as for recording it); every change is audited field by field."""
    item = item_or_404(request, pk)
    detail = reverse("assessment:rectification", args=[item.pk])
    if item.status != RectificationStatus.OPEN:
        messages.error(request, _("只有整改中的事项可以修改"))
        return redirect(detail)
    initial = {
        "problem": item.problem,
        "owner": item.owner_id,
        "owner_text": item.owner_text,
        "measure": item.measure,
        "deadline": item.deadline,
        "source": item.source,
    }
    form = ItemForm(
        request.POST or None, orgs=Organization.objects.none(), unit=item.organization, item=item, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            svc.edit(request.user, item.pk, form.data_for_service())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("整改事项已修改"))
            return redirect(detail)
    context = {
        "form": form,
        "title": _("修改整改事项"),
        "intro": _("整改单位：%(unit)s") % {"unit": item.organization.name},
        "cancel_url": detail,
    }
    return render(request, "core/form.html", context)


def _act(
    request: HttpRequest,
    item: Rectification,
    form: forms.Form,
    *,
    title: str,
    label: str,
    act: Callable[[dict[str, Any]], Any],
    done: str,
) -> HttpResponse:
    """The action's page is its confirmation: the item, the form, the button; POST acts."""
    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("assessment:rectification", pk=item.pk)
    context = {"item": item, "form": form, "title": title, "label": label}
    return render(request, "assessment/rectification_action.html", context)


@require_perm(svc.CHANGE)
def rectification_complete(request: HttpRequest, pk: int) -> HttpResponse:
    item = item_or_404(request, pk)
    return _act(
        request,
        item,
        CompleteForm(request.POST or None, request.FILES or None),
        title=_("报告整改完成"),
        label=_("报告完成"),
        act=lambda d: svc.complete(request.user, item.pk, note=d["note"], upload=d.get("file")),
        done=_("已报告整改完成，待党委验收"),
    )


def _office_item(request: HttpRequest, pk: int) -> Rectification:
    item = item_or_404(request, pk)
    if not svc.may_manage(request.user, item):
        raise Http404(_("对象不存在"))
    return item


@require_perm(svc.MANAGE)
def rectification_accept(request: HttpRequest, pk: int) -> HttpResponse:
    item = _office_item(request, pk)
    return _act(
        request,
        item,
        NoteForm(request.POST or None),
        title=_("验收整改事项"),
        label=_("验收通过"),
        act=lambda d: svc.accept(request.user, item.pk, note=d["note"] or ""),
        done=_("已验收"),
    )


@require_perm(svc.MANAGE)
def rectification_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    item = _office_item(request, pk)
    return _act(
        request,
        item,
        NoteForm(request.POST or None),
        title=_("退回整改"),
        label=_("退回整改"),
        act=lambda d: svc.reopen(request.user, item.pk, note=d["note"] or ""),
        done=_("已退回整改"),
    )


@require_perm(svc.MANAGE)
def rectification_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    item = _office_item(request, pk)
    return _act(
        request,
        item,
        NoteForm(request.POST or None),
        title=_("撤销整改事项"),
        label=_("撤销"),
        act=lambda d: svc.withdraw(request.user, item.pk, reason=d["note"] or ""),
        done=_("整改事项已撤销，记录保留备查"),
    )


@require_perm(svc.CHANGE)
def rectification_file(request: HttpRequest, pk: int) -> FileResponse:
    item = item_or_404(request, pk)
    if not item.evidence:
        raise Http404(_("文件不存在"))
    try:
        response = FileResponse(item.evidence.open("rb"), as_attachment=True, filename=item.evidence_name)
    except (FileNotFoundError, ValueError):
        raise Http404(_("文件不存在")) from None
    response["Content-Disposition"] = disposition(item.evidence_name or "evidence")
    return response


@require_POST
@require_perm(svc.MANAGE)
def rectification_seed(request: HttpRequest, pk: int, unit: int) -> HttpResponse:
    """The office's 生成问题清单 on a cycle unit's page (confirmed in the browser): one item per lost leaf."""
    member = CycleUnit.objects.filter(cycle_id=pk, organization_id=unit).select_related("cycle", "organization").first()
    if member is None or not can(request.user, svc.MANAGE, member.organization):
        raise Http404(_("对象不存在"))
    created = svc.seed_from_cycle(request.user, member.cycle, member.organization)
    if created:
        messages.success(request, _("已生成%(n)d条整改事项") % {"n": len(created)})
    else:
        messages.info(request, _("没有新的失分项需要生成整改事项"))
    return redirect(reverse("assessment:rectifications") + f"?cycle={member.cycle_id}")
