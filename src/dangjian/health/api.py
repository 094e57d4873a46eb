"""Screening figures for other systems: the health app's aggregates and nothing else.

The answer is exactly what the aggregate page shows (``aggregates.aggregates``): counts per party organisation and
department in the user's ``health.aggregates`` scope, a group under five screened people withheld without even
its size, and further groups withheld so that no difference gives a small group away. No person, no individual
value: those stay in the health officers' pages.
"""

# No "from __future__ import annotations": django-ninja resolves these annotations when it builds the schema.
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from dangjian.api.common import ErrorOut, need

from .aggregates import AGGREGATES, FIGURES, MIN_GROUP, GroupFigures, aggregates, years_with_results

router = Router(tags=["health"])


class GroupOut(Schema):
    id: int
    name: str
    withheld: bool = Field(..., description="人数不足或为保护其他小组而不显示")
    screened: int | None = Field(None, description="筛查人数；不显示的组为空")
    figures: dict[str, int] | None = Field(None, description="、".join(FIGURES))


class AggregatesOut(Schema):
    year: int
    min_group: int
    years: list[int]
    organizations: list[GroupOut]
    departments: list[GroupOut]


class YearFilter(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="年度，默认最近有结果的年度")


def _group(g: GroupFigures) -> dict:
    out = {"id": g.unit.pk, "name": g.unit.name, "withheld": g.withheld}
    if g.shown:
        out.update(screened=g.screened, figures={k: g.counts.get(k, 0) for k in FIGURES})
    return out


@router.get("health/aggregates", response={200: AggregatesOut, 422: ErrorOut})
def get_aggregates(request, filters: Query[YearFilter]):
    need(request, AGGREGATES)
    years = years_with_results(request.user)
    year = filters.year or (years[0] if years else timezone.localdate().year)
    data = aggregates(request.user, year)
    return {
        "year": year,
        "min_group": MIN_GROUP,
        "years": years,
        "organizations": [_group(g) for g in data.orgs],
        "departments": [_group(g) for g in data.departments],
    }
