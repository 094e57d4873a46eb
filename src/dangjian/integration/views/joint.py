"""支部共建 pages: partners, agreements (共建协议) and their joint activities with evidence."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts.scope import can
from dangjian.core.paging import paginate
from dangjian.core.scoping import get_visible, require_perm

from .. import evidence
from .. import joint as services
from ..joint_forms import ActivityForm, AgreementForm, EndForm, EvidenceForm, PartnerForm
from ..models import JointActivity, JointBuilding, Partner, PartnerKind
from .joint_common import PAGE, form_page, posted, uploads

VIEW, CHANGE = services.VIEW, services.CHANGE


@require_perm(VIEW)
def partner_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    partners = Partner.objects.visible_to(request.user, VIEW)
    if q:
        partners = partners.filter(Q(name__icontains=q) | Q(party_organization__icontains=q))
    if kind in PartnerKind.values:
        partners = partners.filter(kind=kind)
    counted = partners
    rows = (
        partners.select_related("organization")
        .annotate(n_agreements=Count("agreements", filter=Q(agreements__deleted_at__isnull=True)))
        .order_by("name", "pk")
    )
    page = paginate(request, rows, PAGE, keep={"q": q, "kind": kind}, counted=counted)
    context = {
        "page": page,
        "q": q,
        "kind": kind,
        "kinds": PartnerKind.choices,
        "can_change": can(request.user, CHANGE),
    }
    return render(request, "integration/partner_list.html", context)


@require_perm(CHANGE)
def partner_create(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        PartnerForm(posted(request), user=request.user),
        lambda data: services.register_partner(request.user, data),
        success=gettext_lazy("共建单位已登记"),
        title=gettext_lazy("登记共建单位"),
        back=reverse("integration:partner_list"),
        done=lambda p: reverse("integration:partner_detail", args=[p.pk]),
    )


@require_perm(VIEW)
def partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partner = get_visible(Partner.objects.select_related("organization"), request.user, VIEW, pk=pk)
    agreements = (
        JointBuilding.objects.filter(partner=partner)
        .select_related("project", "stage__line")
        .annotate(n_activities=Count("activities"))
        .order_by("-starts_on", "pk")
    )
    context = {"partner": partner, "agreements": agreements, "can_change": can(request.user, CHANGE, partner)}
    return render(request, "integration/partner_detail.html", context)


@require_perm(CHANGE)
def partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partner = get_visible(Partner.objects.all(), request.user, CHANGE, pk=pk)
    back = reverse("integration:partner_detail", args=[partner.pk])
    return form_page(
        request,
        PartnerForm(posted(request), instance=partner, user=request.user),
        lambda data: services.edit_partner(request.user, partner.pk, data),
        success=gettext_lazy("共建单位已修改"),
        title=_("修改共建单位：%(name)s") % {"name": partner.name},
        back=back,
    )


@require_perm(VIEW)
def joint_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    state = request.GET.get("state", "")
    agreements = JointBuilding.objects.visible_to(request.user, VIEW)
    if q:
        agreements = agreements.filter(Q(title__icontains=q) | Q(partner__name__icontains=q))
    if state == "active":
        agreements = agreements.filter(ends_on__isnull=True)
    elif state == "ended":
        agreements = agreements.filter(ends_on__isnull=False)
    rows = (
        agreements.select_related("partner", "organization", "project", "stage__line")
        .annotate(n_activities=Count("activities"))
        .order_by("-starts_on", "pk")
    )
    page = paginate(request, rows, PAGE, keep={"q": q, "state": state}, counted=agreements)
    return render(request, "integration/joint_list.html", {"page": page, "q": q, "state": state})


@require_perm(CHANGE)
def joint_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A new agreement with the partner ``pk``."""
    partner = get_visible(Partner.objects.all(), request.user, CHANGE, pk=pk)
    return form_page(
        request,
        AgreementForm(posted(request), user=request.user),
        lambda data: services.create_agreement(request.user, partner.pk, data),
        success=gettext_lazy("共建协议已登记"),
        title=_("与%(name)s签订共建协议") % {"name": partner.name},
        back=reverse("integration:partner_detail", args=[partner.pk]),
        done=lambda a: reverse("integration:joint_detail", args=[a.pk]),
    )


@require_perm(VIEW)
def joint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_visible(
        JointBuilding.objects.select_related("partner", "organization", "project", "stage__line"),
        request.user,
        VIEW,
        pk=pk,
    )
    activities = list(JointActivity.objects.filter(joint_building=agreement).order_by("-held_on", "pk"))
    files = evidence.of_many(list(activities))
    rows = [(a, files.get((JointActivity, a.pk), [])) for a in activities]
    context = {"agreement": agreement, "rows": rows, "can_change": can(request.user, CHANGE, agreement)}
    return render(request, "integration/joint_detail.html", context)


@require_perm(CHANGE)
def joint_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_visible(JointBuilding.objects.all(), request.user, CHANGE, pk=pk)
    return form_page(
        request,
        AgreementForm(posted(request), instance=agreement, user=request.user),
        lambda data: services.edit_agreement(request.user, agreement.pk, data),
        success=gettext_lazy("共建协议已修改"),
        title=_("修改共建协议：%(title)s") % {"title": agreement.title},
        back=reverse("integration:joint_detail", args=[agreement.pk]),
    )


@require_perm(CHANGE)
def joint_end(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_visible(JointBuilding.objects.all(), request.user, CHANGE, pk=pk)
    back = reverse("integration:joint_detail", args=[agreement.pk])
    return form_page(
        request,
        EndForm(posted(request)),
        lambda data: services.end_agreement(request.user, agreement.pk, data["ends_on"]),
        success=gettext_lazy("共建协议已终止"),
        title=gettext_lazy("终止共建"),
        back=back,
        extra={
            "question": _("确认终止共建协议“%(title)s”？协议及其活动记录将保留。") % {"title": agreement.title},
            "confirm_label": _("确认终止"),
        },
    )


@require_perm(CHANGE)
def joint_activity_create(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_visible(JointBuilding.objects.all(), request.user, CHANGE, pk=pk)
    back = reverse("integration:joint_detail", args=[agreement.pk])
    form = ActivityForm(posted(request), uploads(request))
    return form_page(
        request,
        form,
        lambda data: services.add_activity(
            request.user,
            agreement.pk,
            data,
            evidence_title=data.get("evidence_title", ""),
            upload=data.get("evidence"),
        ),
        success=gettext_lazy("共建活动已记录"),
        title=_("记录共建活动：%(title)s") % {"title": agreement.title},
        back=back,
    )


@require_perm(CHANGE)
def joint_evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Another evidence file of a joint activity ``pk``."""
    try:
        activity = services.activity_in_scope(request.user, pk)
    except Http404:
        raise Http404(_("对象不存在")) from None
    back = reverse("integration:joint_detail", args=[activity.joint_building_id])
    return form_page(
        request,
        EvidenceForm(posted(request), uploads(request)),
        lambda data: services.add_activity_evidence(request.user, activity.pk, data["title"], data["file"]),
        success=gettext_lazy("佐证材料已上传"),
        title=_("上传佐证材料：%(title)s") % {"title": activity.title},
        back=back,
    )
