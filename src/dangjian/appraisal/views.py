from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.core.forms import apply_errors
from dangjian.core.paging import paginate
from dangjian.core.scoping import get_visible, require_perm
from dangjian.integration.pledges import pledges_for
from dangjian.orgs.models import Organization

from . import services
from .forms import ConfirmForm, OpenForm, ProposeForm, RatingsForm, SelfReviewForm, StartVoteForm, VoteForm
from .models import Appraisal, AppraisalStatus, Participant


def _manageable(request: HttpRequest, pk: int) -> Appraisal:
    return get_visible(Appraisal.objects.select_related("organization"), request.user, services.MANAGE, pk=pk)


def _can_manage(request: HttpRequest, appraisal: Appraisal) -> bool:
    return Appraisal.objects.visible_to(request.user, services.MANAGE).filter(pk=appraisal.pk).exists()


@require_perm("appraisal.view")
def appraisal_list(request: HttpRequest) -> HttpResponse:
    qs = Appraisal.objects.visible_to(request.user).select_related("organization")
    year = request.GET.get("year", "")
    if year.isdigit():
        qs = qs.filter(year=int(year))
    page = paginate(request, qs, 50, keep={"year": year})
    can_open = Organization.objects.visible_to(request.user, services.MANAGE).filter(kind="branch").exists()
    return render(
        request,
        "appraisal/list.html",
        {"page": page, "year": year, "can_open": can_open},
    )


@require_perm(services.MANAGE)
def appraisal_open(request: HttpRequest) -> HttpResponse:
    branches = Organization.objects.visible_to(request.user, services.MANAGE).active().filter(kind="branch")
    form = OpenForm(request.POST or None, branches=branches.order_by("path"))
    if request.method == "POST" and form.is_valid():
        try:
            appraisal = services.open_appraisal(
                request.user, form.cleaned_data["organization"].pk, form.cleaned_data["year"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已开展民主评议，党员可登录填写自评和互评"))
            return redirect("appraisal:detail", pk=appraisal.pk)
    return render(
        request, "core/form.html", {"form": form, "title": "开展民主评议", "cancel_url": reverse("appraisal:list")}
    )


@require_perm("appraisal.view")
def appraisal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = get_visible(Appraisal.objects.select_related("organization"), request.user, "appraisal.view", pk=pk)
    manage = _can_manage(request, appraisal)
    participants = list(appraisal.participants.select_related("person"))
    mine = next((p for p in participants if p.person_id == request.user.person_id), None)
    context = {"appraisal": appraisal, "manage": manage, "mine": mine, "participants": participants}
    if manage:
        review = services.mutual_review(appraisal)
        tallies = review.tallies or {}
        graded = [p for p in participants if p.graded]
        proposed = [p.proposed_grade for p in graded if p.proposed_grade]
        limit = services.excellent_share_max(appraisal)
        from .rules import excellent_share_exceeded

        # the year's published pledges and their fulfilment (践诺), as information for the appraisal
        pledged = pledges_for([p.person_id for p in participants], appraisal.year)
        for p in participants:
            p.pledge = pledged.get(p.person_id)
        context.update(
            rows=[(p, tallies.get(p.pk)) for p in participants],
            review=review,
            missing=[p.person.name for p in participants if not p.self_review],
            excellent_warning=excellent_share_exceeded(proposed, limit.value),
            limit=limit,
            vote_form=VoteForm(participants=participants) if appraisal.status == AppraisalStatus.VOTING else None,
            propose_form=ProposeForm(participants=participants)
            if appraisal.status in (AppraisalStatus.VOTING, AppraisalStatus.PROPOSED)
            else None,
            confirm_form=ConfirmForm(organization=appraisal.organization)
            if appraisal.status == AppraisalStatus.PROPOSED
            else None,
            reviewed=sum(1 for p in participants if p.self_review),
        )
    elif mine is None:
        raise Http404
    return render(request, "appraisal/detail.html", context)


@require_perm("appraisal.view")
def my_review(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's own self-review and anonymous ratings of the others, on a phone."""
    entry = (
        Participant.objects.select_related("appraisal__organization")
        .filter(appraisal_id=pk, person_id=request.user.person_id or -1)
        .first()
    )
    if entry is None:
        raise Http404
    appraisal = entry.appraisal
    ratees = list(appraisal.participants.filter(graded=True).exclude(pk=entry.pk).select_related("person"))
    self_form = SelfReviewForm(
        request.POST if "self_review" in request.POST else None, initial={"self_review": entry.self_review}
    )
    ratings_form = RatingsForm(request.POST if "rate" in request.POST else None, ratees=ratees)
    if request.method == "POST":
        try:
            if "self_review" in request.POST and self_form.is_valid():
                services.save_self_review(request.user, pk, self_form.cleaned_data["self_review"])
                messages.success(request, _("自评已保存"))
                return redirect("appraisal:mine", pk=pk)
            if "rate" in request.POST and ratings_form.is_valid():
                n = services.rate_others(request.user, pk, ratings_form.grades())
                messages.success(request, _("已提交对 %(n)s 名党员的互评（匿名）") % {"n": n})
                return redirect("appraisal:mine", pk=pk)
        except ValidationError as exc:
            apply_errors(self_form if "self_review" in request.POST else ratings_form, exc)
    return render(
        request,
        "appraisal/mine.html",
        {"appraisal": appraisal, "entry": entry, "self_form": self_form, "ratings_form": ratings_form},
    )


@require_perm(services.MANAGE)
def start_vote(request: HttpRequest, pk: int) -> HttpResponse:
    """Close self and mutual review. When self-reviews are missing the page names who, and the stage moves only
    once the secretary ticks the confirmation (a second step)."""
    appraisal = _manageable(request, pk)
    missing = services.missing_self_reviews(appraisal)
    total = appraisal.participants.count()
    form = StartVoteForm(request.POST if request.method == "POST" else None, missing=missing, total=total)
    # the detail page's button posts without the box: the service then refuses, naming who has not written a
    # self-review, and this page asks for the tick (a second step)
    if request.method == "POST" and form.is_valid():
        confirmed = form.cleaned_data.get("confirm_missing", False)
        try:
            services.start_vote(request.user, appraisal.pk, confirm_missing=confirmed)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已结束自评互评，进入民主测评"))
            return redirect("appraisal:detail", pk=pk)
    url = reverse("appraisal:detail", args=[pk])
    return render(
        request,
        "core/form.html",
        {"form": form, "title": _("%(a)s · 进入民主测评") % {"a": appraisal}, "cancel_url": url},
    )


def _step(request: HttpRequest, pk: int, form_class, action, success: str) -> HttpResponse:
    appraisal = _manageable(request, pk)
    participants = list(appraisal.participants.select_related("person"))
    if form_class is ConfirmForm:
        form = form_class(request.POST or None, organization=appraisal.organization)
    else:
        form = form_class(request.POST or None, participants=participants)
    if request.method == "POST" and form.is_valid():
        try:
            result = action(request.user, appraisal.pk, form)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, success)
            if result is True:
                limit = services.excellent_share_max(appraisal).value
                messages.warning(
                    request, _("提出的「优秀」等次超过参评人数的 %(limit)s，请再斟酌（不影响保存）") % {"limit": limit}
                )
            return redirect("appraisal:detail", pk=pk)
    url = reverse("appraisal:detail", args=[pk])
    return render(request, "core/form.html", {"form": form, "title": str(appraisal), "cancel_url": url})


@require_perm(services.MANAGE)
def record_vote(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, VoteForm, lambda u, a, f: services.record_vote(u, a, f.counts()), _("民主测评票数已保存"))


@require_perm(services.MANAGE)
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, ProposeForm, lambda u, a, f: services.propose_grades(u, a, f.grades()), _("已提出等次"))


@require_perm(services.MANAGE)
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        ConfirmForm,
        lambda u, a, f: services.confirm(u, a, f.cleaned_data["meeting"].pk) and None,
        _("评议结果已确认并归档"),
    )
