"""党员示范岗 pages: the list (filters, paging), the 公示 list, a post's page with its history, the application
form (the branch), approval, rejection and withdrawal (the committee office) and the yearly review (the branch).
Scope: 404 outside (``core.scoping``); every action asks for confirmation on its form page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scope import can, scope_for
from dangjian.core.forms import apply_errors, narrow_people
from dangjian.core.paging import paginate
from dangjian.core.scoping import get_visible, require_perm
from dangjian.orgs.models import Organization
from dangjian.people.models import Membership

from .. import posts as svc
from ..models import ModelPost, ModelPostStatus
from ..posts_forms import ApproveForm, FilterForm, ModelPostForm, RejectForm, ReviewForm, WithdrawForm

PAGE = 30


def filters(request: HttpRequest) -> tuple[FilterForm, dict[str, Any]]:
    form = FilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    return form, {k: v for k, v in data.items() if v not in (None, "")}


def by_org(qs: QuerySet, user, org_id: int | None) -> QuerySet:
    """The rows of one organisation's subtree (one the user sees; another id shows nothing)."""
    if not org_id:
        return qs
    org = Organization.objects.visible_to(user, svc.VIEW).filter(pk=org_id).first()
    if org is None:
        return qs.none()
    return qs.filter(organization__path__startswith=org.path)


def in_year(qs: QuerySet, year: int | None) -> QuerySet:
    """Carriers whose span overlaps the year."""
    if not year:
        return qs
    return qs.filter(starts_on__lte=date(year, 12, 31)).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=date(year, 1, 1))
    )


def public(qs: QuerySet, user) -> QuerySet:
    """公示: what the user's scope covers; a member (whose own scope is their own person) sees their branch's."""
    scope = scope_for(user, svc.VIEW)
    if scope.everything or scope.has_orgs or scope.global_grant:
        return qs.visible_to(user, svc.VIEW)
    branches = Membership.objects.current().filter(person_id=user.person_id or 0).values("organization_id")
    return qs.filter(organization_id__in=branches)


def evidence_url(ev) -> str:
    """The download page of an evidence file (the matrix part's ``integration:evidence_download``)."""
    try:
        return reverse("integration:evidence_download", args=[ev.pk])
    except NoReverseMatch:
        return ""


def action_page(
    request: HttpRequest,
    form: forms.Form,
    act: Callable[[dict], Any],
    *,
    title: str,
    question: str,
    label: str,
    done: str,
    back: str,
) -> HttpResponse:
    """A confirmation page with the action's form: a valid POST acts (the service's refusal shows on the form)."""
    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(back)
    context = {"title": title, "question": question, "confirm_label": label, "form": form, "cancel_url": back}
    return render(request, "core/confirm.html", context)


@require_perm(svc.VIEW)
def post_list(request: HttpRequest) -> HttpResponse:
    form, f = filters(request)
    qs = ModelPost.objects.visible_to(request.user, svc.VIEW).select_related("organization", "holder", "project")
    if f.get("q"):
        q = f["q"]
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(collective__icontains=q)
            | Q(holder__name__icontains=q)
            | Q(organization__name__icontains=q)
            | Q(plate_no__icontains=q)
        )
    qs = by_org(qs, request.user, f.get("org"))
    if f.get("status") in ModelPostStatus.values:
        qs = qs.filter(status=f["status"])
    qs = in_year(qs, f.get("year"))
    page = paginate(request, qs.order_by("organization__path", "-starts_on", "pk"), PAGE, keep=f)
    context = {
        "page": page,
        "form": form,
        "statuses": ModelPostStatus.choices,
        "orgs": Organization.objects.visible_to(request.user, svc.VIEW).order_by("path")[:200],
        "can_apply": svc.branches(request.user).exists(),
    }
    return render(request, "integration/post_list.html", context)


@require_perm(svc.VIEW)
def post_public(request: HttpRequest) -> HttpResponse:
    """公示: the posts with a plate today, with the holder and the commitment."""
    today = timezone.localdate()
    qs = public(ModelPost.objects.filter(status=ModelPostStatus.APPROVED), request.user)
    qs = in_year(qs, today.year).select_related("organization", "holder", "project")
    page = paginate(request, qs.order_by("organization__path", "plate_no", "pk"), PAGE)
    return render(request, "integration/post_public.html", {"page": page})


def post_or_404(request: HttpRequest, pk: int, perm: str = svc.VIEW) -> ModelPost:
    related = ("organization", "holder", "project", "stage", "applied_by", "decided_by")
    return get_visible(ModelPost.objects.select_related(*related), request.user, perm, pk=pk)


@require_perm(svc.VIEW)
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = post_or_404(request, pk)
    change, manage = can(request.user, svc.CHANGE, post), can(request.user, svc.MANAGE, post)
    approved = post.status == ModelPostStatus.APPROVED
    context = {
        "post": post,
        "reviews": post.reviews.select_related("reviewed_by").order_by("-year", "-reviewed_on", "pk"),
        "can_decide": manage and post.status == ModelPostStatus.APPLIED,
        "can_withdraw": manage and approved,
        "can_review": change and approved,
        "threshold": svc.fmt(svc.threshold(post, timezone.localdate())),
    }
    return render(request, "integration/post_detail.html", context)


@require_perm(svc.CHANGE)
def post_create(request: HttpRequest) -> HttpResponse:
    people, search = narrow_people(request, svc.members_of(svc.branches(request.user)), field="holder")
    form = ModelPostForm(request.POST or None, user=request.user, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            post = svc.apply(request.user, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("示范岗申请已提交，待党委审批"))
            return redirect("integration:post_detail", pk=post.pk)
    context = {
        "form": form,
        "title": _("申请党员示范岗"),
        "cancel_url": reverse("integration:post_list"),
        "search": search,
    }
    return render(request, "core/form.html", context)


@require_perm(svc.MANAGE)
def post_approve(request: HttpRequest, pk: int) -> HttpResponse:
    post = post_or_404(request, pk, svc.MANAGE)
    return action_page(
        request,
        ApproveForm(request.POST or None),
        lambda d: svc.approve(
            request.user, post.pk, plate_no=d["plate_no"], decided_on=d["decided_on"], note=d["note"]
        ),
        title=_("批准示范岗并授牌"),
        question=_("批准“%(name)s”（%(org)s）为党员示范岗并授牌。") % {"name": post, "org": post.organization},
        label=_("批准授牌"),
        done=_("已批准并授牌"),
        back=reverse("integration:post_detail", args=[post.pk]),
    )


@require_perm(svc.MANAGE)
def post_reject(request: HttpRequest, pk: int) -> HttpResponse:
    post = post_or_404(request, pk, svc.MANAGE)
    return action_page(
        request,
        RejectForm(request.POST or None),
        lambda d: svc.reject(request.user, post.pk, reason=d["reason"], decided_on=d["decided_on"]),
        title=_("不予批准"),
        question=_("不批准“%(name)s”的示范岗申请，理由将告知支部。") % {"name": post},
        label=_("不予批准"),
        done=_("已不予批准"),
        back=reverse("integration:post_detail", args=[post.pk]),
    )


@require_perm(svc.MANAGE)
def post_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    post = post_or_404(request, pk, svc.MANAGE)
    return action_page(
        request,
        WithdrawForm(request.POST or None),
        lambda d: svc.withdraw(request.user, post.pk, reason=d["reason"], withdrawn_on=d["withdrawn_on"]),
        title=_("撤销示范岗"),
        question=_("撤销“%(name)s”（授牌编号 %(no)s），评议和审批记录保留。") % {"name": post, "no": post.plate_no},
        label=_("撤销"),
        done=_("示范岗已撤销"),
        back=reverse("integration:post_detail", args=[post.pk]),
    )


@require_perm(svc.CHANGE)
def post_review(request: HttpRequest, pk: int) -> HttpResponse:
    post = post_or_404(request, pk, svc.CHANGE)
    least = svc.threshold(post, timezone.localdate())
    back = reverse("integration:post_detail", args=[post.pk])
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            row = svc.review(
                request.user,
                post.pk,
                year=d["year"],
                score=d["score"],
                comment=d["comment"],
                reviewed_on=d["reviewed_on"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if row.kept:
                messages.success(request, _("评议已记录"))
            else:
                messages.warning(request, _("评议已记录；得分低于%(min)s分，示范岗已撤销") % {"min": svc.fmt(least)})
            return redirect(back)
    question = _("评议“%(name)s”。得分低于 %(min)s 分（本单位设置）的示范岗将被撤销。") % {
        "name": post,
        "min": svc.fmt(least),
    }
    context = {
        "title": _("示范岗年度评议"),
        "question": question,
        "confirm_label": _("记录评议"),
        "form": form,
        "cancel_url": back,
    }
    return render(request, "core/confirm.html", context)
