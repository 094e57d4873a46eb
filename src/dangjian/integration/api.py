"""The integration matrix for other systems (issue 15 §6): the year's matrix and the carriers of one column, scoped
like the pages (a branch secretary's matrix counts only their branch's carriers)."""

# No "from __future__ import annotations": django-ninja resolves these annotations when it builds the schema.
from datetime import date

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from dangjian.api.common import BoundedLimitOffsetPagination, ErrorOut, need

from . import matrix as matrix_module
from .active import CODES, VIEW

router = Router()


class MatrixQuery(Schema):
    year: int = Field(..., ge=2000, le=2100, description="年度")


class CarriersQuery(Schema):
    kind: str = Field(..., pattern="^(" + "|".join(CODES) + ")$", description="载体类型：" + "、".join(CODES))
    year: int = Field(..., ge=2000, le=2100, description="年度")


class RowOut(Schema):
    id: str
    line: str
    stage: str
    project: str | None


class CellOut(Schema):
    row: str
    column: str
    count: int


class CoverageOut(Schema):
    key_tasks: int
    with_carrier: int
    rate: float | None


class MatrixOut(Schema):
    rows: list[RowOut]
    columns: list[str]
    cells: list[CellOut]
    coverage: CoverageOut


class CarrierOut(Schema):
    id: int
    kind: str
    name: str
    organization: str
    project: str | None
    stage: str | None
    starts_on: date | None
    ends_on: date | None
    people: list[str]


@router.get("integration/matrix", response={200: MatrixOut, 422: ErrorOut}, tags=["integration"])
def get_matrix(request: HttpRequest, q: Query[MatrixQuery]):
    """Rows (key tasks of the year, and each stage's work without a task), the eight carrier columns, the cells
    whose count is not 0, and the coverage of the key tasks."""
    need(request, VIEW)
    return matrix_module.build(q.year, request.user).as_api()


class DescribedPagination(BoundedLimitOffsetPagination):
    """Pages the carriers' queryset, then describes only the page's rows."""

    def paginate_queryset(self, queryset, pagination, request=None, **params):
        out = super().paginate_queryset(queryset, pagination, request=request, **params)
        code = request.GET.get("kind", "") if request is not None else ""
        out[self.items_attribute] = [matrix_module.describe(code, c) for c in out[self.items_attribute]]
        return out


@router.get("integration/carriers", response={200: list[CarrierOut], 422: ErrorOut}, tags=["integration"])
@paginate(DescribedPagination)
def list_carriers(request: HttpRequest, q: Query[CarriersQuery]):
    """The carriers of one column active in the year, newest first."""
    need(request, VIEW)
    return matrix_module.carriers(q.kind, q.year, request.user)
