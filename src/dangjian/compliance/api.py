"""Compliance items for other systems: one organisation's obligations of a year (三会一课 and the rest), each
period with the meetings required and validly held, late minutes and its traffic light, as on the
organisation's compliance page; and the obligations themselves, every version, as the rule store keeps them.
Read only: the obligations are rules, edited where rules are.

An item's ``rule_id`` is the id of the obligation's version in the rule store. Ids handed out before the
obligations moved into the store (the old table's) still find their version: ``GET compliance/rules?legacy_id=``."""

# No "from __future__ import annotations": django-ninja resolves these annotations when it builds the schema.
from datetime import date
from typing import Annotated, Literal

from django.db.models import Q
from django.utils import timezone
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate

from dangjian.api.common import BoundedLimitOffsetPagination, ErrorOut, need, visible_org
from dangjian.orgs.models import Organization
from dangjian.rules.models import RuleVersion

from . import engine
from .obligations import LEGACY_ORIGIN, PREFIX, ObligationTerms, key_of, terms_of_row

VIEW = "meetings.view"  # the compliance pages are read with the meetings' permission
FIRST_YEAR = 2018

router = Router(tags=["compliance"])

Light = Literal["done", "due_soon", "overdue", "not_due", "not_owed"]


class ItemOut(Schema):
    organization_id: int
    rule_id: int = Field(..., description="规则版本编号（规则库）")
    rule_key: str
    rule_version: int
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


class ItemQuery(Schema):
    """Not a FilterSchema: the items are computed by the engine's statement, not rows a queryset could filter; the
    year chooses what is computed and the light is read off each computed item."""

    year: int | None = Field(None, ge=FIRST_YEAR, le=2100, description="年度，默认今年")
    light: Light | None = Field(None, description="按状态筛选：done、due_soon、overdue、not_due、not_owed")


@router.get("compliance/organizations/{int:org_id}/items", response={200: list[ItemOut], 422: ErrorOut})
@paginate(BoundedLimitOffsetPagination)
def list_items(request, org_id: int, filters: Query[ItemQuery]):
    """Two queries whatever the organisation: the rule store and the engine's single statement."""
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
                "rule_key": rule.key,
                "rule_version": rule.version,
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


class RuleOut(Schema):
    rule_id: int = Field(..., description="规则版本编号（规则库），即合规事项的 rule_id")
    legacy_id: int | None = Field(None, description="迁入规则库之前的旧编号（如有）")
    key: str
    code: str
    version: int
    title: str
    org_kind: str
    condition: str
    meeting_kind: str
    period: str
    required_count: int
    counts_group_meetings: bool
    active: bool
    citation: str
    confidence: str
    note: str
    effective_from: date
    effective_to: date | None


class RuleFilter(FilterSchema):
    code: str | None = Field(None, max_length=60, description="规则代码")
    rule_id: Annotated[int | None, FilterLookup("pk")] = Field(None, ge=1, le=2**63 - 1, description="规则版本编号")
    legacy_id: int | None = Field(None, ge=1, le=2**63 - 1, description="迁入规则库之前的旧编号")
    on: date | None = Field(None, description="只列出该日有效的版本")

    # django-ninja calls these for an absent parameter too (None): no condition then
    def filter_code(self, code: str | None) -> Q:
        return Q(key=key_of(code)) if code else Q()

    def filter_legacy_id(self, legacy_id: int | None) -> Q:
        return Q(origin=f"{LEGACY_ORIGIN}{legacy_id}") if legacy_id else Q()

    def filter_on(self, on: date | None) -> Q:
        if on is None:
            return Q()
        return Q(effective_from__lte=on) & (Q(effective_to__isnull=True) | Q(effective_to__gt=on))


def _rule_out(terms: ObligationTerms, origin: str) -> dict:
    legacy = int(origin[len(LEGACY_ORIGIN) :]) if origin.startswith(LEGACY_ORIGIN) else None
    return {
        "rule_id": terms.pk,
        "legacy_id": legacy,
        "key": terms.key,
        "code": terms.code,
        "version": terms.version,
        **terms.value(),
        "citation": terms.citation,
        "confidence": terms.confidence,
        "note": terms.note,
        "effective_from": terms.effective_from,
        "effective_to": terms.effective_to,
    }


@router.get("compliance/rules", response={200: list[RuleOut], 422: ErrorOut})
@paginate(BoundedLimitOffsetPagination)
def list_rules(request, filters: Query[RuleFilter]):
    """Every version of every obligation (the rules bind everyone, and every signed-in user may read them, as on
    规则与依据); one query, filtered in the database."""
    rows = filters.filter(RuleVersion.objects.filter(key__startswith=PREFIX, organization__isnull=True))
    return [_rule_out(terms_of_row(row), row.origin) for row in rows.order_by("key", "version")]
