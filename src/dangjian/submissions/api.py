"""请示报告 for other systems: ``GET /api/v1/submissions?year=&organization=``, scoped like the pages (a
个人有关事项 only to its author and the office that answers it); ``organization`` narrows to the sending
organisation's subtree (an organisation outside the caller's scope is 404)."""

# No "from __future__ import annotations": django-ninja resolves these annotations when it builds the schema.
from datetime import date, datetime

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from dangjian.api.common import BoundedLimitOffsetPagination, ErrorOut, need, subtree_q

from .queries import VIEW, visible

router = Router()


class SubmissionOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    addressee_id: int
    addressee_name: str
    kind: str
    category: str
    title: str
    year: int
    document_number: str
    status: str
    sent_at: datetime | None
    deadline: date | None
    received_at: datetime | None
    answered_at: datetime | None
    answer_text: str
    version: int
    previous_id: int | None

    @staticmethod
    def resolve_organization_name(s) -> str:
        return s.organization.name

    @staticmethod
    def resolve_addressee_name(s) -> str:
        return s.addressee.name


class SubmissionFilter(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="年度")
    organization: int | None = Field(None, description="报送组织（含下级）")


@router.get("submissions", response={200: list[SubmissionOut], 422: ErrorOut}, tags=["submissions"])
@paginate(BoundedLimitOffsetPagination)
def list_submissions(request, filters: Query[SubmissionFilter]):
    """The requests and reports the caller sees, newest first."""
    need(request, VIEW)
    qs = visible(request.user).filter(subtree_q(request, VIEW, "organization", filters.organization))
    if filters.year:
        qs = qs.filter(year=filters.year)
    return qs.select_related("organization", "addressee").order_by("-year", "-sent_at", "-pk")
