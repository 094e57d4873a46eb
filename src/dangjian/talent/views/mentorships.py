"""导师带徒: pairs with goals, periodic reviews and an outcome."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from dangjian.accounts.scope import can, has_perm
from dangjian.core.paging import paginate
from dangjian.core.scoping import get_visible, require_perm

from .. import services
from ..forms import MentorshipCloseForm, MentorshipForm, MentorshipReviewForm
from ..models import Mentorship, MentorshipStatus
from ..services import CHANGE, VIEW
from .common import PAGE, form_page, post_action


@require_perm(VIEW)
def mentorship_list(request: HttpRequest) -> HttpResponse:
    rows = (
        Mentorship.objects.visible_to(request.user, VIEW)
        .select_related("mentor", "apprentice", "organization")
        .annotate(review_count=Count("reviews"))
    )
    status = request.GET.get("status", "")
    if status in MentorshipStatus.values:
        rows = rows.filter(status=status)
    q = request.GET.get("q", "").strip()
    if q:
        rows = rows.filter(Q(mentor__name__icontains=q) | Q(apprentice__name__icontains=q))
    page = paginate(request, rows.order_by("status", "-starts_on", "pk"), PAGE)
    return render(
        request,
        "talent/mentorship_list.html",
        {
            "page": page,
            "status": status,
            "q": q,
            "statuses": MentorshipStatus.choices,
            "today": timezone.localdate(),
            "can_change": has_perm(request.user, CHANGE),
        },
    )


@require_perm(CHANGE)
def mentorship_add(request: HttpRequest) -> HttpResponse:
    form = MentorshipForm(
        request.POST or None, user=request.user, perm=CHANGE, initial={"starts_on": timezone.localdate()}
    )
    return form_page(
        request,
        form,
        lambda data: services.pair(request.user, data),
        success=_("师徒结对已登记"),
        title=_("登记导师带徒"),
        done=lambda row: reverse("talent:mentorship_detail", args=[row.pk]),
        cancel=reverse("talent:mentorship_list"),
    )


@require_perm(VIEW)
def mentorship_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_visible(
        Mentorship.objects.select_related("mentor", "apprentice", "organization"), request.user, VIEW, pk=pk
    )
    today = timezone.localdate()
    return render(
        request,
        "talent/mentorship_detail.html",
        {
            "row": row,
            "reviews": row.reviews.select_related("reviewed_by"),
            "can_change": can(request.user, CHANGE, row.organization) and row.status == MentorshipStatus.ACTIVE,
            "review_form": MentorshipReviewForm(initial={"reviewed_on": today}),
            "close_form": MentorshipCloseForm(initial={"on": today}),
        },
    )


def _changeable(request: HttpRequest, pk: int) -> Mentorship:
    row = get_visible(Mentorship.objects.select_related("organization"), request.user, VIEW, pk=pk)
    if not can(request.user, CHANGE, row.organization):
        raise Http404
    return row


@require_POST
@require_perm(CHANGE)
def mentorship_review(request: HttpRequest, pk: int) -> HttpResponse:
    row = _changeable(request, pk)
    return post_action(
        request,
        MentorshipReviewForm(request.POST),
        lambda data: services.review_mentorship(request.user, row.pk, data),
        success=_("带教评价已保存"),
        back=reverse("talent:mentorship_detail", args=[row.pk]),
    )


@require_POST
@require_perm(CHANGE)
def mentorship_close(request: HttpRequest, pk: int) -> HttpResponse:
    row = _changeable(request, pk)
    return post_action(
        request,
        MentorshipCloseForm(request.POST),
        lambda data: services.close_mentorship(request.user, row.pk, data["status"], data["on"], data["outcome"]),
        success=_("带教已结束"),
        back=reverse("talent:mentorship_detail", args=[row.pk]),
    )
