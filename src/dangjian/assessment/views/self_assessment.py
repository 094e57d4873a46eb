"""自评 pages (issue 14 §2): a unit's self-assessment in a cycle (every ``manual`` item under its 一级 indicator, with
the score, the narrative and the evidence files), its actions, and the office's overview of a cycle's units.

Scope: a unit's page opens for whoever may act for it (``self_assessment.may_act``) and, read-only, for whoever
reads its assessment; anyone else gets 404. The overview and the return are the office's (``office_only``). Every
page reads a constant number of queries; the services re-check everything inside their transaction.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from dangjian.core.downloads import attachment
from dangjian.core.paging import paginate
from dangjian.core.scoping import require_perm
from dangjian.core.uploads import accept_attribute

from .. import self_assessment as svc
from ..brands import EVIDENCE_TYPES
from ..cycles import leaves
from ..models import CycleStatus, CycleUnit, Evidence, Method, SelfAssessment, SelfScore
from .access import office_only
from .cycles import cycle_or_404

PAGE = 50


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _unit_or_404(request: HttpRequest, cycle: Any, unit: int) -> CycleUnit:
    if not svc.may_view(request.user, unit):
        raise Http404(_("对象不存在"))
    member = CycleUnit.objects.filter(cycle=cycle, organization_id=unit).select_related("organization").first()
    if member is None:
        raise Http404(_("对象不存在"))
    return member


def _sections(cycle: Any, scores: dict[int, SelfScore], files: dict[int, list[Evidence]]) -> list[dict[str, Any]]:
    """The manual leaves grouped under their 一级 indicator, in the system's order."""
    rows, top = leaves(cycle.system)
    names = {r.pk: r for r in rows}
    groups: OrderedDict[int, dict[str, Any]] = OrderedDict()
    for leaf in rows:
        if leaf.method != Method.MANUAL:
            continue
        section = groups.setdefault(top[leaf.pk], {"indicator": names[top[leaf.pk]], "items": []})
        parent = names.get(leaf.parent_id) if leaf.parent_id not in (None, top[leaf.pk]) else None
        section["items"].append(
            {"leaf": leaf, "parent": parent, "score": scores.get(leaf.pk), "files": files.get(leaf.pk, [])}
        )
    return list(groups.values())


@require_GET
@require_perm(svc.VIEW)
def self_unit(request: HttpRequest, pk: int, unit: int) -> HttpResponse:
    cycle = cycle_or_404(pk)
    member = _unit_or_404(request, cycle, unit)
    row = SelfAssessment.objects.filter(cycle=cycle, unit_id=unit).select_related("submitted_by").first()
    scores = {s.indicator_id: s for s in SelfScore.objects.filter(cycle=cycle, unit_id=unit)}
    files: dict[int, list[Evidence]] = {}
    live = Evidence.objects.filter(cycle=cycle, unit_id=unit, withdrawn_at__isnull=True).select_related("uploaded_by")
    for ev in live:
        files.setdefault(ev.indicator_id, []).append(ev)
    sections = _sections(cycle, scores, files)
    total = sum(len(s["items"]) for s in sections)
    submitted = row is not None and row.submitted_at is not None
    open_ = cycle.status == CycleStatus.SELF_ASSESSMENT
    today = timezone.localdate()
    context = {
        "cycle": cycle,
        "unit": member.organization,
        "row": row,
        "sections": sections,
        "filled": sum(1 for s in sections for i in s["items"] if i["score"] is not None),
        "total": total,
        "submitted": submitted,
        "open": open_,
        "editable": open_ and not submitted and svc.may_act(request.user, unit),
        "office": svc.may_manage(request.user),
        "days_left": (cycle.self_deadline - today).days,
        "accept": accept_attribute(EVIDENCE_TYPES),
    }
    return render(request, "assessment/self_assessment.html", context)


@require_POST
@require_perm(svc.VIEW)
def self_save(request: HttpRequest, pk: int, unit: int) -> HttpResponse:
    """The page's form: every item's score and narrative (``score_<id>``, ``narrative_<id>``) and the summary."""
    entries: dict[int, tuple[str, str]] = {}
    for key, value in request.POST.items():
        if key.startswith("score_") and key[6:].isdigit():
            entries[int(key[6:])] = (value, request.POST.get(f"narrative_{key[6:]}", ""))
    narrative = request.POST.get("narrative")
    try:
        n = svc.save(request.user, pk, unit, entries, narrative)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已保存 %(n)d 项自评分") % {"n": n})
    return redirect("assessment:self_unit", pk, unit)


@require_POST
@require_perm(svc.VIEW)
def self_evidence_add(request: HttpRequest, pk: int, unit: int, indicator: int) -> HttpResponse:
    try:
        svc.add_evidence(
            request.user,
            pk,
            unit,
            indicator,
            title=request.POST.get("title", ""),
            upload=request.FILES.get("file"),
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("佐证材料已上传"))
    return redirect("assessment:self_unit", pk, unit)


def _evidence_or_404(request: HttpRequest, pk: int) -> Evidence:
    ev = Evidence.objects.filter(pk=pk).first()
    if ev is None or not svc.may_view(request.user, ev.unit_id):
        raise Http404(_("对象不存在"))
    return ev


@require_GET
@require_perm(svc.VIEW)
def self_evidence_file(request: HttpRequest, pk: int) -> HttpResponse:
    """Always a download named after the title (never rendered in the page); a withdrawn file is kept, not served."""
    ev = _evidence_or_404(request, pk)
    if ev.withdrawn_at is not None or not ev.file:
        raise Http404(_("文件不存在"))
    try:
        with ev.file.open("rb") as handle:
            content = handle.read()
    except (FileNotFoundError, ValueError):
        raise Http404(_("文件不存在")) from None
    response = attachment(content, ev.title + os.path.splitext(ev.file.name)[1].lower())
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@require_perm(svc.VIEW)
def self_evidence_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    ev = _evidence_or_404(request, pk)
    try:
        svc.withdraw_evidence(request.user, ev.pk, request.POST.get("reason", ""))
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("佐证材料已撤回，记录保留备查"))
    return redirect("assessment:self_unit", ev.cycle_id, ev.unit_id)


@require_POST
@require_perm(svc.VIEW)
def self_submit(request: HttpRequest, pk: int, unit: int) -> HttpResponse:
    try:
        svc.submit(request.user, pk, unit)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("自评已提交"))
    return redirect("assessment:self_unit", pk, unit)


@require_POST
@office_only
def self_return(request: HttpRequest, pk: int, unit: int) -> HttpResponse:
    try:
        svc.return_submission(request.user, pk, unit, request.POST.get("reason", ""))
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已退回该单位补充自评"))
    if request.POST.get("next") == "unit":
        return redirect("assessment:self_unit", pk, unit)
    return redirect("assessment:self_overview", pk)


class OverviewFilter(forms.Form):
    state = forms.ChoiceField(
        label=gettext_lazy("提交情况"),
        required=False,
        choices=[
            ("", gettext_lazy("全部")),
            ("submitted", gettext_lazy("已提交")),
            ("pending", gettext_lazy("未提交")),
            ("returned", gettext_lazy("已退回")),
        ],
    )


@require_GET
@office_only
def self_overview(request: HttpRequest, pk: int) -> HttpResponse:
    """Each unit of the cycle with its filled count and submission; five queries whatever the number of units."""
    cycle = cycle_or_404(pk)
    total = len(svc.manual_leaves(cycle))
    own = SelfAssessment.objects.filter(cycle=cycle, unit=OuterRef("organization"))
    filled = (
        SelfScore.objects.filter(cycle=cycle, unit=OuterRef("organization"))
        .order_by()
        .values("unit")
        .annotate(n=Count("pk"))
        .values("n")
    )
    units = CycleUnit.objects.filter(cycle=cycle).annotate(
        filled=Coalesce(Subquery(filled, output_field=IntegerField()), 0),
        submitted_at=Subquery(own.values("submitted_at")[:1]),
        submitted_by=Subquery(own.values("submitted_by__username")[:1]),
        returned_reason=Subquery(own.values("returned_reason")[:1]),
    )
    form = OverviewFilter(request.GET or None)
    state = form.cleaned_data["state"] if form.is_valid() else ""
    done = Exists(SelfAssessment.objects.filter(cycle=cycle, unit=OuterRef("organization"), submitted_at__isnull=False))
    if state == "submitted":
        units = units.filter(done)
    elif state in ("pending", "returned"):
        units = units.exclude(done)
    if state == "returned":
        units = units.filter(returned_reason__gt="")
    page = paginate(
        request, units.select_related("organization").order_by("organization__path"), PAGE, keep={"state": state}
    )
    context = {
        "cycle": cycle,
        "page": page,
        "form": form,
        "total": total,
        "open": cycle.status == CycleStatus.SELF_ASSESSMENT,
    }
    return render(request, "assessment/self_overview.html", context)
