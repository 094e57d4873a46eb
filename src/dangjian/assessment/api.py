"""The assessment cycles for other systems: the list of cycles and a cycle's results, scoped like the pages.

The office over the whole tree gets every cycle and every unit's result; anyone else gets the cycles covering an
organisation they may read results of (``assessment.view``: secretaries, leaders, committee members — not health or
care officers) and, in a cycle's results, exactly those organisations — a branch secretary their own branch. Each
result carries its total, band, ranks (overall and within its kind, computed over all the cycle's units) and every
leaf's score with the words that explain it; manual leaves not yet scored say 未评.
"""

# No "from __future__ import annotations": django-ninja resolves these annotations when it builds the schema.
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from dangjian.api.common import BoundedLimitOffsetPagination, need
from dangjian.orgs.models import Organization

from . import manual_scores, results
from .models import AssessmentCycle, AutoScore, CycleUnit, Method
from .services import may_manage

VIEW = "assessment.view"

router = Router(tags=["assessment"])


class CycleOut(Schema):
    id: int
    title: str
    year: int
    half: int | None = Field(None, description="1 上半年、2 下半年；全年为空")
    status: str
    system_id: int
    system_name: str
    system_version: int

    @staticmethod
    def resolve_system_name(c: AssessmentCycle) -> str:
        return c.system.name

    @staticmethod
    def resolve_system_version(c: AssessmentCycle) -> int:
        return c.system.version


class OrganizationOut(Schema):
    id: int
    name: str
    kind: str


class IndicatorRef(Schema):
    id: int
    name: str


class ScoreOut(Schema):
    indicator: IndicatorRef
    points: Decimal = Field(..., description="分值")
    score: Decimal | None = Field(None, description="得分；人工评分项未评时为空")
    explanation: str


class ResultOut(Schema):
    organization: OrganizationOut
    total: Decimal
    band: str
    rank: int
    rank_in_kind: int
    veto: bool
    change: Decimal | None = Field(None, description="较上一周期（同名指标体系）总分的变化")
    scores: list[ScoreOut]


def _visible_cycles(request: Any):
    qs = AssessmentCycle.objects.select_related("system")
    if may_manage(request.user):
        return qs
    visible = Organization.objects.visible_to(request.user, VIEW).values("pk")
    return qs.filter(pk__in=CycleUnit.objects.filter(organization__in=visible).values("cycle"))


@router.get("assessment/cycles", response=list[CycleOut])
@paginate(BoundedLimitOffsetPagination)
def list_cycles(request):
    need(request, VIEW)
    return _visible_cycles(request).order_by("-year", "-pk")


class _Items(Sequence):
    """The cycle's result rows, read lazily: a page's slice fetches its units' scores in one query."""

    def __init__(self, out: results.CycleResults, rows: list[results.Row]):
        self.out, self.rows = out, rows
        self.leaves = [i for i in out.indicators if i.method]

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: Any) -> Any:
        rows = self.rows[index] if isinstance(index, slice) else [self.rows[index]]
        scores: dict[tuple[int, int], tuple[Decimal, str]] = {}
        units = [r.organization.pk for r in rows]
        if self.out.snapshot is not None and rows:
            for s in AutoScore.objects.filter(snapshot=self.out.snapshot, unit_id__in=units).only(
                "unit_id", "indicator_id", "score", "explanation"
            ):
                scores[(s.unit_id, s.indicator_id)] = (s.score, s.explanation)
        for key, (manual, text) in manual_scores.explained(self.out.cycle, units).items():
            scores[key] = (manual.score, text)
        items = [self._item(r, scores) for r in rows]
        return items if isinstance(index, slice) else items[0]

    def _item(self, row: results.Row, scores: dict[tuple[int, int], tuple[Decimal, str]]) -> dict[str, Any]:
        org, r = row.organization, row.result
        leaf_scores = []
        for leaf in self.leaves:
            found = scores.get((org.pk, leaf.pk))
            if found is not None:
                score, text = found
            elif leaf.method == Method.MANUAL:
                score, text = None, _("未评")
            else:
                score, text = None, ""
            leaf_scores.append(
                {
                    "indicator": {"id": leaf.pk, "name": leaf.name},
                    "points": leaf.points,
                    "score": score,
                    "explanation": text,
                }
            )
        return {
            "organization": {"id": org.pk, "name": org.name, "kind": r.kind},
            "total": r.total,
            "band": r.band,
            "rank": r.rank,
            "rank_in_kind": r.rank_in_kind,
            "veto": r.veto,
            "change": row.change,
            "scores": leaf_scores,
        }


@router.get("assessment/cycles/{int:cycle_id}/results", response=list[ResultOut])
@paginate(BoundedLimitOffsetPagination)
def cycle_results(request, cycle_id: int):
    """Best first. The office: every unit; anyone else: the units they see (none: 404)."""
    need(request, VIEW)
    cycle = _visible_cycles(request).filter(pk=cycle_id).first()
    if cycle is None:
        raise Http404
    out = results.results(cycle)
    rows = out.rows
    if not may_manage(request.user):
        units = CycleUnit.objects.filter(cycle=cycle).values("organization_id")
        visible = set(
            Organization.objects.visible_to(request.user, VIEW).filter(pk__in=units).values_list("pk", flat=True)
        )
        rows = [r for r in rows if r.organization.pk in visible]
    return _Items(out, rows)
