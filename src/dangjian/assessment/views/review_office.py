"""The office's review pages: a cycle's reviewers per scoring department (add, remove with confirmation) and the
items it settles — disputed ones, and after the review deadline those still short of reviewers (issue 14 §2).
Office over the whole tree only (``office_only``: 404 for anyone else); the services re-check."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.paging import paginate

from .. import review
from ..models import CycleStatus, CycleUnit, ManualScore, ReviewEntry, Reviewer
from .access import office_only
from .cycles import cycle_or_404
from .review import reviewer_name

PAGE = 30
FOUND = 20


def _account_id(data: Any) -> int:
    """The account chosen from the search (its id) or typed (its username); 0 when neither names one."""
    raw = str(data.get("user", "")).strip()
    if raw.isdigit():
        return int(raw)
    username = str(data.get("username", "")).strip()
    if not username:
        return 0
    return get_user_model().objects.filter(username=username).values_list("pk", flat=True).first() or 0


@office_only
def reviewers(request: HttpRequest, pk: int) -> HttpResponse:
    """The departments of the cycle's manual leaves, their reviewers (current and removed), and the add form."""
    cycle = cycle_or_404(pk)
    if request.method == "POST":
        try:
            row = review.assign(request.user, cycle.pk, request.POST.get("department", ""), _account_id(request.POST))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已添加评分人：%(name)s") % {"name": reviewer_name(row.user)})
        return redirect("assessment:review_reviewers", pk)
    leaves = review.manual_leaves(cycle)
    names = review.departments(leaves)
    rows: dict[str, list[Reviewer]] = defaultdict(list)
    for r in Reviewer.objects.filter(cycle=cycle).select_related("user", "user__person").order_by("removed_at", "pk"):
        r.name = reviewer_name(r.user)  # type: ignore[attr-defined]
        rows[r.department].append(r)
    per_department = [
        {
            "name": name,
            "leaves": [leaf for leaf in leaves if review.department_of(leaf) == name],
            "current": [r for r in rows[name] if r.removed_at is None],
            "removed": [r for r in rows[name] if r.removed_at is not None],
        }
        for name in names
    ]
    q = request.GET.get("q", "").strip()[:50]
    found = []
    if q:
        accounts = get_user_model().objects.filter(is_active=True)
        accounts = accounts.filter(Q(username__icontains=q) | Q(person__name__icontains=q)).select_related("person")
        found = [(u.pk, f"{reviewer_name(u)}（{u.get_username()}）") for u in accounts.order_by("username")[:FOUND]]
    context = {
        "cycle": cycle,
        "departments": per_department,
        "q": q,
        "found": found,
        "closed": cycle.status in review.CLOSED,
        "office_department": review.OFFICE_DEPARTMENT,
    }
    return render(request, "assessment/review_reviewers.html", context)


@office_only
def reviewer_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST removes (the row and the reviewer's entries stay)."""
    row = Reviewer.objects.filter(pk=pk).select_related("user", "user__person", "cycle").first()
    if row is None:
        raise Http404(_("对象不存在"))
    back = reverse("assessment:review_reviewers", args=[row.cycle_id])
    if request.method == "POST":
        try:
            review.remove(request.user, row.pk)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已移除评分人，其评分记录保留"))
        return redirect(back)
    context = {
        "title": _("移除评分人"),
        "question": _("确定将 %(name)s 移出“%(department)s”的评分人吗？其已有评分记录保留。")
        % {"name": reviewer_name(row.user), "department": row.department},
        "confirm_label": _("移除"),
        "form": forms.Form(),
        "cancel_url": back,
    }
    return render(request, "core/confirm.html", context)


def _to_settle(cycle: Any) -> list[dict[str, Any]]:
    """Disputed items, then (after the deadline) items no reviewer's score completes yet: four queries."""
    leaves = {leaf.pk: leaf for leaf in review.manual_leaves(cycle)}
    units = dict(
        CycleUnit.objects.filter(cycle=cycle)
        .order_by("organization__path")
        .values_list("organization_id", "organization__name")
    )
    counted = {
        (unit_id, leaf_id): (score, disputed)
        for unit_id, leaf_id, score, disputed in ManualScore.objects.filter(cycle=cycle).values_list(
            "unit_id", "indicator_id", "score", "disputed"
        )
    }
    disputed = [
        {"unit_id": u, "unit": units.get(u, ""), "leaf": leaves[i], "score": s, "why": "disputed"}
        for (u, i), (s, d) in counted.items()
        if d and i in leaves
    ]
    order = {u: n for n, u in enumerate(units)}
    disputed.sort(key=lambda item: (order.get(item["unit_id"], 0), item["leaf"].position))
    short = []
    if cycle.status == CycleStatus.REVIEW and timezone.localdate() > cycle.review_deadline:
        short = [
            {"unit_id": u, "unit": name, "leaf": leaf, "score": None, "why": "short"}
            for u, name in units.items()
            for leaf in leaves.values()
            if (u, leaf.pk) not in counted
        ]
    return disputed + short


@office_only
def disputes(request: HttpRequest, pk: int) -> HttpResponse:
    """The items the office settles, each with every reviewer's score and reason; POST settles one."""
    cycle = cycle_or_404(pk)
    if request.method == "POST":
        unit, leaf = request.POST.get("unit", ""), request.POST.get("indicator", "")
        if not (unit.isdigit() and leaf.isdigit()):
            messages.error(request, _("请选择要裁定的项"))
            return redirect("assessment:review_disputes", pk)
        try:
            score, reason = request.POST.get("score", ""), request.POST.get("reason", "")
            review.settle(request.user, cycle.pk, int(unit), int(leaf), score, reason)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已裁定"))
        return redirect("assessment:review_disputes", pk)
    page = paginate(request, _to_settle(cycle), PAGE)
    items = list(page.object_list)
    entries: dict[tuple[int, int], list[ReviewEntry]] = defaultdict(list)
    if items:
        rows = ReviewEntry.objects.filter(
            cycle=cycle,
            unit_id__in={i["unit_id"] for i in items},
            indicator_id__in={i["leaf"].pk for i in items},
        ).select_related("entered_by", "entered_by__person")
        for e in rows:
            e.who = reviewer_name(e.entered_by)  # type: ignore[attr-defined]
            entries[(e.unit_id, e.indicator_id)].append(e)
    for item in items:
        item["entries"] = entries[(item["unit_id"], item["leaf"].pk)]
        item["department"] = review.department_of(item["leaf"])
    context = {"cycle": cycle, "page": page, "items": items, "open": cycle.status == CycleStatus.REVIEW}
    return render(request, "assessment/review_disputes.html", context)
