"""Pledges (亮身份、守承诺、作表率): a member's own page, the branch's review page, the public list (公示), a pledge's
page and its actions. Out of scope → 404."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scope import can
from dangjian.core.forms import narrow_people
from dangjian.core.paging import paginate
from dangjian.core.scoping import get_visible, require_perm
from dangjian.orgs.models import Organization
from dangjian.people.models import Membership

from .. import pledges
from ..models import Pledge, PledgeStatus
from ..pledges import CHANGE, EDITABLE, MEMBER_STATUSES, VIEW
from ..team_forms import FulfilmentForm, PledgeForm, ReturnForm
from .taskforces import form_page

PAGE = 50
MISSING = "missing"


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


def _work(request: HttpRequest) -> dict:
    """The key tasks and process stages the user's pledge may name (their own branch's, and those in scope)."""
    branch = pledges.current_branch(request.user.person_id) if request.user.person_id else None
    org = branch.organization if branch else None
    return {"projects": pledges.work_projects(request.user, org), "stages": pledges.work_stages(request.user, org)}


def _detail_url(pledge: Pledge | int) -> str:
    return reverse("integration:pledge_detail", args=[pledge if isinstance(pledge, int) else pledge.pk])


@require_perm(VIEW)
def pledge_mine(request: HttpRequest) -> HttpResponse:
    """The member's own pledges, this year's first, with what they can do next."""
    year = timezone.localdate().year
    mine = list(
        Pledge.objects.filter(person_id=request.user.person_id).select_related("project").order_by("-year")
        if request.user.person_id
        else []
    )
    this_year = next((p for p in mine if p.year == year), None)
    member = bool(request.user.person_id) and pledges.current_branch(request.user.person_id) is not None
    return render(
        request,
        "integration/pledge_mine.html",
        {"pledges": mine, "this_year": this_year, "year": year, "member": member, "editable": EDITABLE},
    )


@require_perm(VIEW)
def pledge_write(request: HttpRequest) -> HttpResponse:
    form = PledgeForm(request.POST or None, **_work(request))
    return form_page(
        request,
        form,
        lambda data: pledges.write_own(request.user, data),
        success=_("承诺已保存为草稿，确认无误后请提交党支部审核"),
        title=_("作出承诺"),
        intro=_("亮身份、守承诺、作表率：结合岗位和重点任务，写明本年度的具体承诺。"),
        cancel_url=reverse("integration:pledge_mine"),
    )


def _own(request: HttpRequest, pk: int) -> Pledge:
    pledge = Pledge.objects.filter(pk=pk).select_related("person").first()
    if pledge is None or not request.user.person_id or pledge.person_id != request.user.person_id:
        raise Http404
    return pledge


@require_perm(VIEW)
def pledge_edit(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = _own(request, pk)
    form = PledgeForm(request.POST or None, instance=pledge, **_work(request), fixed_year=True)
    return form_page(
        request,
        form,
        lambda data: pledges.edit_own(request.user, pledge.pk, data),
        success=_("承诺已修改"),
        title=_("修改%(year)d年度承诺") % {"year": pledge.year},
        intro=pledge.review_note and _("退回原因：%(reason)s") % {"reason": pledge.review_note},
        cancel_url=reverse("integration:pledge_mine"),
    )


def _confirm(request: HttpRequest, pledge: Pledge, *, title, question, label, act, done, back: str) -> HttpResponse:
    form = forms.Form(request.POST or None)
    if request.method == "POST":
        try:
            act()
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, done)
        return redirect(back)
    context = {"title": title, "question": question, "confirm_label": label, "form": form, "cancel_url": back}
    return render(request, "core/confirm.html", context)


@require_perm(VIEW)
def pledge_submit(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = _own(request, pk)
    return _confirm(
        request,
        pledge,
        title=_("提交%(year)d年度承诺") % {"year": pledge.year},
        question=_("提交后由党支部审核，审核通过即予公示。确认提交？"),
        label=_("提交"),
        act=lambda: pledges.submit(request.user, pledge.pk),
        done=_("承诺已提交党支部审核"),
        back=reverse("integration:pledge_mine"),
    )


@require_perm(VIEW)
def pledge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = get_visible(
        Pledge.objects.select_related("person", "organization", "project", "reviewed_by", "fulfilment_by"),
        request.user,
        VIEW,
        pk=pk,
    )
    review = can(request.user, CHANGE, pledge) and pledge.person_id != request.user.person_id
    today = timezone.localdate()
    return render(
        request,
        "integration/pledge_detail.html",
        {
            "pledge": pledge,
            "review": review,
            "own": pledge.person_id == request.user.person_id,
            "editable": pledge.status in EDITABLE,
            "fulfilment_open": today.year > pledge.year or today.month >= pledges.FULFILMENT_FROM_MONTH,
        },
    )


def _reviewable(request: HttpRequest, pk: int) -> Pledge:
    return get_visible(Pledge.objects.select_related("person"), request.user, CHANGE, pk=pk)


@require_perm(CHANGE)
def pledge_approve(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = _reviewable(request, pk)
    return _confirm(
        request,
        pledge,
        title=_("审核通过 %(pledge)s") % {"pledge": pledge},
        question=_("审核通过后承诺予以公示。确认通过？"),
        label=_("审核通过"),
        act=lambda: pledges.approve(request.user, pledge.pk),
        done=_("承诺已审核通过并公示"),
        back=_detail_url(pledge),
    )


@require_perm(CHANGE)
def pledge_return(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = _reviewable(request, pk)
    return form_page(
        request,
        ReturnForm(request.POST or None),
        lambda data: pledges.return_(request.user, pledge.pk, data["reason"]),
        success=_("承诺已退回"),
        title=_("退回 %(pledge)s") % {"pledge": pledge},
        cancel_url=_detail_url(pledge),
    )


@require_perm(CHANGE)
def pledge_fulfil(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = _reviewable(request, pk)
    initial = {"fulfilment": pledge.fulfilment, "fulfilment_note": pledge.fulfilment_note}
    return form_page(
        request,
        FulfilmentForm(request.POST or None, initial=initial),
        lambda data: pledges.review_fulfilment(request.user, pledge.pk, data["fulfilment"], data["fulfilment_note"]),
        success=_("践诺评议已保存"),
        title=_("践诺评议 %(pledge)s") % {"pledge": pledge},
        intro=pledge.promise,
        cancel_url=_detail_url(pledge),
    )


@require_perm(CHANGE)
def pledge_enter(request: HttpRequest) -> HttpResponse:
    people, search = narrow_people(request, pledges.branch_members(request.user))
    form = PledgeForm(request.POST or None, **_work(request), people=people)
    return form_page(
        request,
        form,
        lambda data: pledges.enter_for(request.user, data),
        success=_("承诺已录入，待审核"),
        title=_("代党员录入承诺"),
        cancel_url=reverse("integration:pledge_review"),
        next_url=_detail_url,
        search=search,
    )


def _branches(request: HttpRequest):
    return Organization.objects.visible_to(request.user, CHANGE).filter(kind="branch").order_by("path")


@require_perm(CHANGE)
def pledge_review(request: HttpRequest) -> HttpResponse:
    """A branch's pledges of a year: every current member with their pledge's state (missing: none written or
    only a draft), filtered by branch, state and name."""
    year = _year(request)
    branches = _branches(request)
    org_raw = request.GET.get("org", "")
    org = branches.filter(pk=int(org_raw)).first() if org_raw.isdigit() else None
    status = request.GET.get("status", "")
    q = (request.GET.get("q") or "").strip()[:50]
    memberships = Membership.objects.current().filter(
        organization__in=[org.pk] if org else branches.values("pk"), person__political_status__in=MEMBER_STATUSES
    )
    pledged = Pledge.objects.filter(year=year, person_id__in=memberships.values("person_id"))
    counts = dict(pledged.values("status").annotate(n=Count("id")).values_list("status", "n"))
    members_total = memberships.count()
    shown_statuses = (PledgeStatus.SUBMITTED, PledgeStatus.APPROVED, PledgeStatus.RETURNED)
    counts[MISSING] = members_total - sum(counts.get(s, 0) for s in shown_statuses)
    rows = memberships.select_related("person", "organization").order_by(
        "organization__path", "person__sort_key", "person__name", "pk"
    )
    if q:
        rows = rows.filter(person__name__contains=q)
    if status in shown_statuses:
        rows = rows.filter(person_id__in=pledged.filter(status=status).values("person_id"))
    elif status == MISSING:
        rows = rows.exclude(person_id__in=pledged.filter(status__in=shown_statuses).values("person_id"))
    page = paginate(request, rows, PAGE, keep={"year": year, "org": org_raw, "status": status, "q": q})
    found = {p.person_id: p for p in pledged.filter(person_id__in=[m.person_id for m in page.object_list])}
    items = [(m, found.get(m.person_id)) for m in page.object_list]
    return render(
        request,
        "integration/pledge_review.html",
        {
            "page": page,
            "items": items,
            "year": year,
            "branches": branches,
            "org": org,
            "status": status,
            "q": q,
            "counts": counts,
            "members_total": members_total,
            "statuses": [(s.value, s.label) for s in shown_statuses] + [(MISSING, _("未提交"))],
        },
    )


@require_perm(VIEW)
def pledge_public(request: HttpRequest) -> HttpResponse:
    """公示: the approved pledges of the year — of the organisations the user sees, and of the member's own branch."""
    year = _year(request)
    q = (request.GET.get("q") or "").strip()[:50]
    seen = Q(pk__in=Pledge.objects.visible_to(request.user, VIEW).values("pk"))
    if request.user.person_id:
        own_branch = Membership.objects.current().filter(person_id=request.user.person_id).values("organization_id")
        seen |= Q(organization_id__in=own_branch)
    qs = (
        Pledge.objects.filter(seen, year=year, status=PledgeStatus.APPROVED)
        .select_related("person", "organization", "project")
        .order_by("organization__path", "person__sort_key", "person__name", "pk")
    )
    if q:
        qs = qs.filter(Q(person__name__contains=q) | Q(promise__contains=q) | Q(organization__name__contains=q))
    page = paginate(request, qs, PAGE, keep={"year": year, "q": q})
    return render(request, "integration/pledge_public.html", {"page": page, "year": year, "q": q})
