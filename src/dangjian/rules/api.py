"""Rule edits for other systems: a new version of an institute's rule (an L/S/U rule with a plain value), for the
whole institute or as an override for one organisation's subtree, through the same service as the 规则与依据 page
(``services.revise``: who may, what the value may be, audit, the version in force closed that day).

Only ``rules.edit`` may: over the whole tree for an institute's rule, over the organisation for its override;
anyone else, like an unknown rule, gets 404. A rule the regulations set (P) is refused with its reason.
"""

# No "from __future__ import annotations": django-ninja resolves these annotations when it builds the schema.
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from ninja import Field, Router, Schema, Status

from dangjian.api.common import ErrorOut, need
from dangjian.orgs.models import Organization

from . import services
from .describe import describe

router = Router(tags=["rules"])


class VersionIn(Schema):
    value: str = Field(..., max_length=50, description="新数值，如 6、1/3、是")
    effective_from: date = Field(..., description="生效日期（不早于今天）")
    organization_id: int | None = Field(None, description="只对该组织及其下级适用；为空时为全单位")
    reason: str = Field(..., min_length=1, max_length=200, description="修改原因")


class VersionOut(Schema):
    key: str
    version: int
    value: Any
    value_text: str
    organization_id: int | None
    effective_from: date
    effective_to: date | None
    citation: str
    confidence: str
    note: str


@router.post("rules/{key}/versions", response={201: VersionOut, 422: ErrorOut})
def revise(request, key: str, body: VersionIn):
    need(request, services.PERM)
    organization = None
    if body.organization_id is not None:
        organization = Organization.objects.filter(pk=body.organization_id).first()
        if organization is None:
            raise Http404
    if not services.may_edit(request.user, organization):
        raise Http404
    services.code_table(key)  # an unknown rule: 404
    if not services.is_editable(key):
        raise ValidationError(services.NOT_EDITABLE)
    try:
        value = services.parse_value(key, body.value)
    except ValidationError as exc:
        raise ValidationError({"value": exc.messages}) from None
    with transaction.atomic():
        new = services.revise(
            request.user, key, value, body.effective_from, organization=organization, reason=body.reason.strip()
        )
    return Status(
        201,
        {
            **{f: getattr(new, f) for f in ("key", "version", "value", "effective_from", "effective_to")},
            **{f: getattr(new, f) for f in ("citation", "confidence", "note", "organization_id")},
            "value_text": str(describe(key, value)),
        },
    )
