"""The reviewer's pages (审核评分): the queue of their departments' items, one unit's scoring page, the evidence.

A reviewer is any active account the office named for a department of the cycle (``review.assign``), with or
without a role; anyone else — a branch secretary, the office itself when not named — is told the pages do not
exist (404), as is a reviewer for their own units. ``review.review`` re-checks everything inside its transaction.
Each page reads a constant number of queries (``review_queue`` is set-wise).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from functools import wraps
from pathlib import PurePath
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.core.downloads import attachment
from dangjian.core.paging import paginate

from .. import review, review_queue
from ..models import (
    CycleStatus,
    CycleUnit,
    EntryKind,
    Evidence,
    ManualScore,
    ReviewEntry,
    SelfAssessment,
    SelfScore,
)
from .cycles import cycle_or_404

PAGE = 50


def signed_in(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous users log in; who may see what is the view's own check (404)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


def reviewer_name(user: Any) -> str:
    person = getattr(user, "person", None)
    return getattr(person, "name", "") or user.get_full_name() or user.get_username()


@signed_in
def queue(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = cycle_or_404(pk)
    mine = review.my_departments(request.user, cycle)
    if not mine:
        raise Http404(_("页面不存在"))
    leaves = review_queue.my_leaves(request.user, cycle)
    counts = review_queue.counts(request.user, cycle, leaves)
    q = request.GET.get("q", "").strip()[:100]
    department = request.GET.get("department", "")
    department = department if department in mine else ""
    status = request.GET.get("status", "")
    rows: Any
    if status in review_queue.LABELS:
        # a status is known item by item: the whole queue is read (at a group's scale, a second or so)
        rows = review_queue.items(request.user, [cycle.pk])
        if q:
            rows = [r for r in rows if q in r.unit_name]
        if department:
            rows = [r for r in rows if r.department == department]
        rows = [r for r in rows if r.status == status]
    else:
        # every unit × leaf in order: only the page's units are read
        own = review_queue.own_ids(request.user, cycle.pk)
        units = CycleUnit.objects.filter(cycle=cycle).exclude(organization_id__in=own)
        if q:
            units = units.filter(organization__name__contains=q)
        unit_ids = list(units.order_by("organization__path").values_list("organization_id", flat=True))
        rows = review_queue.Page(request.user, cycle, unit_ids, leaves, department)
    params = {"q": q, "department": department, "status": status}
    context = {
        "cycle": cycle,
        "page": paginate(request, rows, PAGE, keep=params),
        "params": params,
        "departments": sorted(mine),
        "statuses": [(key, label, counts[key]) for key, label in review_queue.STATUSES],
        "open": cycle.status == CycleStatus.REVIEW,
    }
    return render(request, "assessment/review_queue.html", context)


def _my_leaves(request: HttpRequest, cycle: Any, unit: int) -> tuple[Any, list[Any]]:
    """The unit (404 unless in the cycle and not the reviewer's own) and the leaves the user reviews for it."""
    mine = review.my_departments(request.user, cycle)
    member = CycleUnit.objects.filter(cycle=cycle, organization_id=unit).select_related("organization").first()
    if not mine or member is None or review.own_units(request.user).covers(unit, member.organization.path):
        raise Http404(_("对象不存在"))
    leaves = [leaf for leaf in review.manual_leaves(cycle) if review.department_of(leaf) in mine]
    if not leaves:
        raise Http404(_("对象不存在"))
    return member.organization, leaves


@signed_in
def unit_page(request: HttpRequest, pk: int, unit: int) -> HttpResponse:
    """Each of my leaves for the unit: its rule, the unit's self-score and evidence, my entries and the office's,
    and the score form. POST scores one leaf."""
    cycle = cycle_or_404(pk)
    organization, leaves = _my_leaves(request, cycle, unit)
    errors: dict[int, list[str]] = {}
    posted: dict[int, dict[str, str]] = {}
    if request.method == "POST":
        raw = request.POST.get("indicator", "")
        leaf_id = int(raw) if raw.isdigit() else 0
        if leaf_id not in {leaf.pk for leaf in leaves}:
            messages.error(request, _("请选择评分项"))
            return redirect("assessment:review_unit", pk, unit)
        try:
            review.review(
                request.user, cycle.pk, unit, leaf_id, request.POST.get("score", ""), request.POST.get("reason", "")
            )
        except ValidationError as exc:
            errors[leaf_id] = exc.messages
            posted[leaf_id] = {"score": request.POST.get("score", ""), "reason": request.POST.get("reason", "")}
        else:
            messages.success(request, _("评分已保存"))
            return redirect(reverse("assessment:review_unit", args=[pk, unit]) + f"#leaf-{leaf_id}")
    ids = [leaf.pk for leaf in leaves]
    scope = {"cycle": cycle, "unit_id": unit, "indicator_id__in": ids}
    selfs = {s.indicator_id: s for s in SelfScore.objects.filter(**scope)}
    files: dict[int, list[Evidence]] = defaultdict(list)
    for ev in Evidence.objects.filter(withdrawn_at__isnull=True, **scope):
        files[ev.indicator_id].append(ev)
    # a reviewer sees their own entries and the office's, not the other reviewer's score (independent review)
    entries: dict[int, list[ReviewEntry]] = defaultdict(list)
    for e in ReviewEntry.objects.filter(**scope).select_related("entered_by", "entered_by__person"):
        if e.entered_by_id == request.user.pk or e.kind != EntryKind.REVIEW:
            e.who = reviewer_name(e.entered_by)  # type: ignore[attr-defined]
            entries[e.indicator_id].append(e)
    counted = {m.indicator_id: m for m in ManualScore.objects.filter(**scope)}
    rows = [
        {
            "leaf": leaf,
            "counted": counted.get(leaf.pk),
            "department": review.department_of(leaf),
            "self": selfs.get(leaf.pk),
            "files": files[leaf.pk],
            "entries": entries[leaf.pk],
            "settled": any(e.kind != EntryKind.REVIEW for e in entries[leaf.pk]),
            "errors": errors.get(leaf.pk, []),
            "posted": posted.get(leaf.pk, {}),
        }
        for leaf in leaves
    ]
    context = {
        "cycle": cycle,
        "unit": organization,
        "rows": rows,
        "assessment": SelfAssessment.objects.filter(cycle=cycle, unit_id=unit).first(),
        "open": cycle.status == CycleStatus.REVIEW,
    }
    return render(request, "assessment/review_unit.html", context)


@signed_in
def evidence_file(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit's evidence file, for the reviewers of its leaf for that unit and the office (404 for anyone else)."""
    ev = Evidence.objects.filter(pk=pk, withdrawn_at__isnull=True).select_related("cycle", "indicator").first()
    if ev is None or not (
        review.is_office(request.user) or review.may_review(request.user, ev.cycle, ev.unit_id, ev.indicator)
    ):
        raise Http404(_("对象不存在"))
    try:
        with ev.file.open("rb") as handle:
            content = handle.read()
    except (FileNotFoundError, ValueError):
        raise Http404(_("文件不存在")) from None
    suffix = PurePath(ev.file.name).suffix
    name = ev.title if not suffix or ev.title.lower().endswith(suffix.lower()) else ev.title + suffix
    return attachment(content, name or PurePath(ev.file.name).name)
