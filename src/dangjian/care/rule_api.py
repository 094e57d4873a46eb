"""The care list (五必问、五必谈、五必访 and the institute's own lines) for other systems: a new line, or new terms
for a line from a date, through the page's service (``services.save_rule``: a new version in the rule store, never
an overwrite, audited). The care list binds every organisation, so only ``rules.edit`` over the whole tree writes
it; anyone else is told it does not exist."""

# No "from __future__ import annotations": django-ninja resolves these annotations when it builds the schema.
from datetime import date

from ninja import Field, Router, Schema, Status

from dangjian.api.common import ErrorOut, need

from . import services
from .models import CareRule, EventKind, ObligationKind, Responsible
from .services import CHANGE

router = Router(tags=["care"])


class RuleOut(Schema):
    id: int
    key: str
    trigger: str
    kind: str
    responsible: str
    deadline_days: int | None
    active: bool
    confidence: str
    source: str


class TermsPatch(Schema):
    """The terms to change; those left out (or null) stay as the line's latest version has them."""

    deadline_days: int | None = Field(None, ge=0, le=365, description="期限（天）")
    active: bool | None = None
    confidence: str | None = Field(None, max_length=1, description="依据类别：S 参考做法、L 本单位设置、U 待核实")
    source: str | None = Field(None, max_length=200, description="依据；空为本单位设置")
    effective_from: date | None = Field(None, description="生效日期，空为今天")
    reason: str = Field("", max_length=200, description="修改原因")


class RuleIn(Schema):
    trigger: EventKind
    kind: ObligationKind
    responsible: Responsible
    deadline_days: int = Field(..., ge=0, le=365, description="期限（天）")
    active: bool = True
    confidence: str = Field("L", max_length=1, description="依据类别：S 参考做法、L 本单位设置、U 待核实")
    source: str = Field("", max_length=200, description="依据；空为本单位设置")
    effective_from: date | None = Field(None, description="生效日期，空为今天")
    reason: str = Field("", max_length=200, description="修改原因")


def _out(rule: CareRule) -> dict:
    terms = services.latest_terms(rule) or {"deadline_days": None, "active": False, "confidence": "", "source": ""}
    return {"id": rule.pk, "key": rule.key, **{f: getattr(rule, f) for f in services.LINE_FIELDS}, **terms}


@router.post("care/rules", response={201: RuleOut, 422: ErrorOut})
def add_rule(request, body: RuleIn):
    """A new line of the care list, in force from ``effective_from``."""
    need(request, CHANGE)
    rule = services.save_rule(request.user, None, body.dict())
    return Status(201, _out(rule))


@router.patch("care/rules/{int:rule_id}", response={200: RuleOut, 422: ErrorOut})
def revise_rule(request, rule_id: int, body: TermsPatch):
    """New terms for a line from ``effective_from``: events before that day keep being judged by the old ones."""
    need(request, CHANGE)
    data = {k: v for k, v in body.dict(exclude_unset=True).items() if v is not None}
    rule = services.save_rule(request.user, rule_id, data)
    return Status(200, _out(rule))
