"""一支部一特色 pages: the list (a branch's maintainer sees their branch's, the office its whole subtree), a brand's
page, creating and editing a draft, and downloading an evidence file. Scope: 404 outside (``core.scoping``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.accounts.scope import can
from dangjian.core.downloads import disposition
from dangjian.core.forms import apply_errors
from dangjian.core.paging import paginate
from dangjian.core.scoping import get_visible, require_perm
from dangjian.orgs.models import Organization, OrgKind

from .. import brands as svc
from ..models import BranchBrand, BrandEvidence, BrandReview, BrandStatus
from .brands_forms import BrandForm, FilterForm

PAGE = 30
REVIEWABLE = (BrandStatus.SUBMITTED, BrandStatus.RECOGNISED)


def branches_kept_by(user) -> object:
    return Organization.objects.visible_to(user, svc.CHANGE).filter(kind=OrgKind.BRANCH, dissolved_on__isnull=True)


@require_perm(svc.VIEW)
def brand_list(request: HttpRequest) -> HttpResponse:
    """Withdrawn (replaced) brands are history: listed only when asked for by status."""
    form = FilterForm(request.GET or None)
    qs = BranchBrand.objects.visible_to(request.user, svc.VIEW).select_related("organization")
    params: dict[str, str] = {}
    if form.is_valid():
        params = {k: str(v) for k, v in form.cleaned_data.items() if v}
        d = form.cleaned_data
        if d.get("q"):
            qs = qs.filter(
                Q(name__icontains=d["q"]) | Q(idea__icontains=d["q"]) | Q(organization__name__icontains=d["q"])
            )
        if d.get("year"):
            qs = qs.filter(Exists(BrandReview.objects.filter(brand=OuterRef("pk"), year=d["year"])))
    status = params.get("status")
    qs = qs.filter(status=status) if status else qs.exclude(status=BrandStatus.WITHDRAWN)
    page = paginate(request, qs.order_by("organization__path", "-id"), PAGE, keep=params)
    context = {"page": page, "form": form, "can_create": branches_kept_by(request.user).exists()}
    return render(request, "assessment/brand_list.html", context)


def brand_or_404(request: HttpRequest, pk: int, perm: str = svc.VIEW) -> BranchBrand:
    return get_visible(BranchBrand.objects.select_related("organization", "created_by"), request.user, perm, pk=pk)


@require_perm(svc.VIEW)
def brand_detail(request: HttpRequest, pk: int) -> HttpResponse:
    brand = brand_or_404(request, pk)
    change = can(request.user, svc.CHANGE, brand)
    context = {
        "brand": brand,
        "evidence": brand.evidence.filter(withdrawn_at__isnull=True).select_related("added_by"),
        "reviews": brand.reviews.select_related("reviewer"),
        "change": change,
        "live": brand.status in svc.LIVE,
        "can_review": brand.status in REVIEWABLE and svc.may_review(request.user, brand),
    }
    return render(request, "assessment/brand_detail.html", context)


def _form_page(request: HttpRequest, brand: BranchBrand | None) -> HttpResponse:
    if brand is None:
        orgs = branches_kept_by(request.user).order_by("path")
        initial = {"organization": orgs.first()} if orgs.count() == 1 else {}
        form = BrandForm(request.POST or None, orgs=orgs, initial=initial)
    else:
        initial = {f: getattr(brand, f) for f in svc.FIELDS}
        form = BrandForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if brand is None:
                saved = svc.create(request.user, form.cleaned_data["organization"].pk, form.data_object())
            else:
                saved = svc.update(request.user, brand.pk, form.data_object())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("特色已保存（草稿），完善后请提交党委审核"))
            return redirect("assessment:brand", pk=saved.pk)
    title = _("修改一支部一特色") if brand else _("新建一支部一特色")
    cancel = reverse("assessment:brand", args=[brand.pk]) if brand else reverse("assessment:brands")
    intro = _("一个党支部同一时间只有一个当前特色；新建特色将替代已认定的原特色，原特色及其材料保留。")
    return render(request, "core/form.html", {"form": form, "title": title, "cancel_url": cancel, "intro": intro})


@require_perm(svc.CHANGE)
def brand_new(request: HttpRequest) -> HttpResponse:
    return _form_page(request, None)


@require_perm(svc.CHANGE)
def brand_edit(request: HttpRequest, pk: int) -> HttpResponse:
    brand = brand_or_404(request, pk, svc.CHANGE)
    if not brand.editable:
        messages.error(request, _("只有草稿或已退回的特色可以修改"))
        return redirect("assessment:brand", pk=brand.pk)
    return _form_page(request, brand)


@require_perm(svc.VIEW)
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    ev = get_visible(BrandEvidence.objects.filter(withdrawn_at__isnull=True), request.user, svc.VIEW, pk=pk)
    if not ev.file:
        raise Http404(_("文件不存在"))
    try:
        response = FileResponse(ev.file.open("rb"), as_attachment=True, filename=ev.file_name)
    except (FileNotFoundError, ValueError):
        raise Http404(_("文件不存在")) from None
    response["Content-Disposition"] = disposition(ev.file_name or "evidence")
    return response
