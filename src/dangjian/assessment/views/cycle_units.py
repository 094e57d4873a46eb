"""One unit's result in a cycle, and the office's occurrences (deductions, bonuses, vetoes) on it.

The result page is the unit's own: a branch secretary opens their branch's (any other is 404), the office every
unit's. It shows the explanation tree — each leaf's points, score and the words stored with the snapshot, with the
link to the records — the per-一级 subtotals, and a snapshot picker to compare two computations.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dangjian.core.scoping import require_perm
from dangjian.orgs.models import Organization

from .. import cycles, radar, results
from ..models import CycleUnit, Method, Occurrence, Snapshot
from ..services import may_manage
from .access import office_only
from .cycles import VIEW, cycle_or_404

OCCURRING = (Method.DEDUCTION, Method.BONUS, Method.VETO)


def _snapshot(cycle: Any, snapshots: list[Snapshot], raw: str | None) -> Snapshot | None:
    if raw and raw.isdigit():
        return next((s for s in snapshots if s.number == int(raw)), None)
    return next((s for s in snapshots if s.current), None)


def _tree(indicators: list[Any], scores: dict[int, Any], other: dict[int, Any]) -> list[dict[str, Any]]:
    depth: dict[int, int] = {}
    rows = []
    for i in indicators:
        depth[i.pk] = 0 if i.parent_id is None else depth.get(i.parent_id, 0) + 1
        score = scores.get(i.pk)
        before = other.get(i.pk)
        rows.append(
            {
                "indicator": i,
                "depth": depth[i.pk] + 1,
                "score": score,
                "other": before,
                "differs": score is not None and before is not None and before.score != score.score,
            }
        )
    return rows


def _radar(out: results.CycleResults, row: results.Row | None) -> radar.Radar | None:
    """The unit's 一级 scores against the average of all the cycle's units, each axis a share of its points."""
    if row is None or not out.rows:
        return None
    # a section with no points of its own (加分和扣分: bonus and deduction leaves sit outside the total) has no scale
    sections = [s for s in out.sections if s.points > 0]
    average = [out.averages.get(s.pk, Decimal(0)) for s in sections]
    return radar.radar(
        [s.name for s in sections],
        [s.points for s in sections],
        [row.result.sections.get(s.pk) for s in sections],
        average,
    )


def member_or_404(request: HttpRequest, cycle: Any, unit: int) -> CycleUnit:
    """The unit in the cycle, if the user may see its result: the office any unit's, others their own (404)."""
    visible = Organization.objects.visible_to(request.user, VIEW)
    if not may_manage(request.user) and not visible.filter(pk=unit).exists():
        raise Http404(_("对象不存在"))
    member = CycleUnit.objects.filter(cycle=cycle, organization_id=unit).select_related("organization").first()
    if member is None:
        raise Http404(_("对象不存在"))
    return member


@require_GET
@require_perm(VIEW)
def cycle_unit(request: HttpRequest, pk: int, unit: int) -> HttpResponse:
    cycle = cycle_or_404(pk)
    office = may_manage(request.user)
    member = member_or_404(request, cycle, unit)
    snapshots = list(cycle.snapshots.order_by("-number"))
    snapshot = _snapshot(cycle, snapshots, request.GET.get("snapshot"))
    compare = _snapshot(cycle, snapshots, request.GET.get("compare")) if request.GET.get("compare") else None
    out = results.results(cycle, snapshot)
    row = out.row_of(unit)
    occurrences = list(Occurrence.objects.filter(cycle=cycle, unit_id=unit).select_related("indicator"))
    return render(
        request,
        "assessment/cycle_unit.html",
        {
            "cycle": cycle,
            "unit": member.organization,
            "office": office,
            "row": row,
            "out": out,
            "sections": [(s, row.result.sections.get(s.pk) if row else None) for s in out.sections],
            "radar": _radar(out, row),
            "tree": _tree(
                out.indicators,
                results.unit_scores(snapshot, unit),
                results.unit_scores(compare, unit) if compare else {},
            ),
            "snapshots": snapshots,
            "snapshot": snapshot,
            "compare": compare,
            "occurrences": occurrences,
            "occurring": [i for i in out.indicators if i.method in OCCURRING],
        },
    )


@require_POST
@office_only
def occurrence_add(request: HttpRequest, pk: int, unit: int) -> HttpResponse:
    cycle_or_404(pk)
    if not CycleUnit.objects.filter(cycle_id=pk, organization_id=unit).exists():
        raise Http404(_("对象不存在"))
    try:
        magnitude = Decimal(request.POST.get("points", "") or "0")
    except InvalidOperation:
        magnitude = Decimal(-1)
    try:
        cycles.record_occurrence(
            request.user,
            pk,
            unit_id=unit,
            indicator_id=int(request.POST.get("indicator") or 0),
            magnitude=magnitude,
            reason=request.POST.get("reason", ""),
            evidence=request.FILES.get("evidence"),
        )
    except (ValidationError, ValueError) as exc:
        text = "；".join(exc.messages) if isinstance(exc, ValidationError) else _("请选择指标")
        messages.error(request, text)
    else:
        messages.success(request, _("已记录"))
    return redirect("assessment:cycle_unit", pk, unit)


@require_POST
@office_only
def occurrence_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    occurrence = Occurrence.objects.filter(pk=pk).first()
    if occurrence is None:
        raise Http404(_("对象不存在"))
    try:
        cycles.withdraw_occurrence(request.user, pk, request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已撤销，该记录保留备查"))
    return redirect("assessment:cycle_unit", occurrence.cycle_id, occurrence.unit_id)
