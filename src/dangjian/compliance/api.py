"""Compliance items for other systems: one organisation's obligations of a year (三会一课 and the rest), each
period with the meetings required and validly held, late minutes and its traffic light, as on the
organisation's compliance page. Read only: the obligations themselves are rules, edited where rules are."""

# No "from __future__ import annotations": django-ninja resolves these annotations when it builds the schema.
from datetime import date
from typing import Literal

from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from dangjian.api.common import BoundedLimitOffsetPagination, ErrorOut, need, visible_org
from dangjian.orgs.models import Organization

from . import engine

VIEW = "meetings.view"  # the compliance pages are read with the meetings' permission
FIRST_YEAR = 2018

router = Router(tags=["compliance"])

Light = Literal["done", "due_soon", "overdue", "not_due", "not_owed"]


class ItemOut(Schema):
    organization_id: int
    rule_id: int
    rule_title: str
    meeting_kind: str
    citation: str
    period: str
    period_start: date
    period_end: date
    required: int
    held: int
    valid: int
    quorum_failed: int
    minutes_missing: int
    light: str = Field(..., description="记录逾期未形成时记为 overdue（与热力图一致）")
    message: str


class ItemFilter(Schema):
    year: int | None = Field(None, ge=FIRST_YEAR, le=2100, description="年度，默认今年")
    light: Light | None = Field(None, description="按状态筛选：done、due_soon、overdue、not_due、not_owed")


@router.get("compliance/organizations/{int:org_id}/items", response={200: list[ItemOut], 422: ErrorOut})
@paginate(BoundedLimitOffsetPagination)
def list_items(request, org_id: int, filters: Query[ItemFilter]):
    """Three queries whatever the organisation: settings, rules and the engine's single statement."""
    need(request, VIEW)
    org = visible_org(request, VIEW, org_id)
    today = timezone.localdate()
    matrix = engine.compute(Organization.objects.filter(pk=org.pk), [filters.year or today.year], today)
    items = sorted(matrix.items, key=lambda i: (i.period.sort_key, matrix.rules[i.rule_id].title))
    out = []
    for item in items:
        light = item.severity_light
        if filters.light and light != filters.light:
            continue
        rule = matrix.rules[item.rule_id]
        out.append(
            {
                "organization_id": item.org_id,
                "rule_id": rule.pk,
                "rule_title": rule.title,
                "meeting_kind": rule.meeting_kind,
                "citation": rule.citation,
                "period": item.period.label,
                "period_start": item.period.start,
                "period_end": item.period.end,
                "required": item.required,
                "held": item.held,
                "valid": item.valid,
                "quorum_failed": item.quorum_failed,
                "minutes_missing": item.minutes_missing,
                "light": light,
                "message": matrix.message(item),
            }
        )
    return out
