"""The write side of indicator systems: create (or import), publish, new version, retire.

Each function is one user intention in one transaction with its audit event. A published version is never
edited: ``new_version`` copies it into a draft n+1, and publishing that draft retires the version it supersedes,
so one version of a system is in force at a time while the cycles run with older ones keep theirs.
Systems bind the whole tree: only the committee office over the whole tree (``assessment.manage``) keeps them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scope import WHOLE_TREE, can
from dangjian.audit.services import record, snapshot
from dangjian.core.contributions import fact_definitions

from . import scoring
from .models import AppliesTo, Indicator, IndicatorSystem, SystemStatus
from .tree import Node, as_mapping, from_rows, problems, walk

MANAGE = "assessment.manage"


@dataclass
class SystemData:
    """A system's own fields, as a form, the import or the default module gives them."""

    name: str
    applies_to: str
    valid_from: int
    total_points: Decimal
    bands: list[list[Any]]
    valid_to: int | None = None
    bonus_cap: Decimal = Decimal(0)
    quotas: dict[str, Any] = field(default_factory=dict)
    note: str = ""


def may_manage(user: Any) -> bool:
    return can(user, MANAGE, WHOLE_TREE)


def require_manage(user: Any) -> None:
    """A user without the office's power over the whole tree is told the page does not exist (404, not 403)."""
    if user is not None and not may_manage(user):
        raise Http404(_("页面不存在"))


def header_problems(data: SystemData) -> list[str]:
    errors: list[str] = []
    if not data.name.strip():
        errors.append(_("请填写指标体系名称"))
    if data.applies_to not in AppliesTo.values:
        errors.append(_("适用对象应为 党委 / 党总支 / 党支部 / 书记述职 之一"))
    if data.valid_to is not None and data.valid_to < data.valid_from:
        errors.append(_("截止年度不能早于起始年度"))
    if data.total_points <= 0:
        errors.append(_("总分应大于 0"))
    errors += scoring.validate_bands(data.bands)
    errors += scoring.validate_quotas(data.quotas, data.bands)
    return errors


def check(data: SystemData, nodes: list[Node]) -> list[str]:
    """Every problem of a system and its tree; empty when it can be stored."""
    return header_problems(data) + problems(
        nodes, total_points=data.total_points, bonus_cap=data.bonus_cap, fact_keys=fact_definitions()
    )


def _store_tree(system: IndicatorSystem, nodes: list[Node]) -> int:
    """The tree's rows, parents before children (a parent's id is needed by its children): one insert per level."""
    level: list[tuple[Indicator | None, Node]] = [(None, n) for n in nodes]
    positions: dict[int, int] = {}
    for index, (_depth, node) in enumerate(walk(nodes)):
        positions[id(node)] = index
    count = 0
    while level:
        rows = [
            Indicator(system=system, parent=parent, position=positions[id(node)], **as_mapping(node))
            for parent, node in level
        ]
        Indicator.objects.bulk_create(rows)
        count += len(rows)
        level = [(row, child) for row, (_p, node) in zip(rows, level, strict=True) for child in node.children]
    return count


def create_system(
    user: Any, data: SystemData, nodes: list[Node], *, supersedes: IndicatorSystem | None = None, action: str = "create"
) -> IndicatorSystem:
    """A new draft system (or draft version n+1 of ``supersedes``) with its tree; nothing is stored unless every
    check passes, and then every problem is raised at once."""
    require_manage(user)
    errors = check(data, nodes)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if supersedes is None:
            if IndicatorSystem.objects.filter(name=data.name.strip()).exists():
                raise ValidationError(
                    _("已有名为“%(name)s”的指标体系；修改已发布的体系请在其页面“修订为新版本”") % {"name": data.name}
                )
            version = 1
        else:
            version = (IndicatorSystem.objects.filter(name=supersedes.name).aggregate(m=Max("version"))["m"] or 0) + 1
        system = IndicatorSystem.objects.create(
            name=data.name.strip(),
            applies_to=data.applies_to,
            valid_from=data.valid_from,
            valid_to=data.valid_to,
            total_points=data.total_points,
            bonus_cap=data.bonus_cap,
            bands=[[_json_number(m), str(n).strip()] for m, n in data.bands],
            quotas={str(k): _json_number(v) for k, v in data.quotas.items()},
            note=data.note,
            version=version,
            supersedes=supersedes,
            created_by=user,
        )
        count = _store_tree(system, nodes)
        record(action, system, after={**snapshot(system), "indicators": count})
    return system


def _json_number(value: Any) -> int | float:
    """A number as JSON keeps it: an int when whole (90, not 90.0), else a float (validated before, so finite)."""
    d = scoring.number(value)
    return int(d) if d == d.to_integral_value() else float(d)


def _locked(pk: int) -> IndicatorSystem:
    system = IndicatorSystem.objects.select_for_update().filter(pk=pk).first()
    if system is None:
        raise Http404(_("对象不存在"))
    return system


def publish(user: Any, pk: int) -> IndicatorSystem:
    """A draft becomes the version in force; the version it supersedes, if published, is retired. The draft is
    checked again (a fact it reads may have been withdrawn since it was drafted)."""
    require_manage(user)
    with transaction.atomic():
        system = _locked(pk)
        if system.status != SystemStatus.DRAFT:
            raise ValidationError(_("只有草稿可以发布"))
        rows = list(system.indicators.all())
        errors = check(data_of(system), from_rows(rows))
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        before = snapshot(system)
        system.status, system.published_at = SystemStatus.PUBLISHED, now
        system.save(update_fields=["status", "published_at", "updated_at"])
        record("update", system, before=before, after=snapshot(system), detail={"change": "publish"})
        previous = system.supersedes
        if previous is not None and previous.status == SystemStatus.PUBLISHED:
            _retire(previous, reason="superseded")
    return system


def new_version(user: Any, pk: int) -> IndicatorSystem:
    """A draft copy (version n+1) of a published system, to edit in place of the published one, never edited."""
    require_manage(user)
    with transaction.atomic():
        system = _locked(pk)
        if system.status != SystemStatus.PUBLISHED:
            raise ValidationError(_("只有已发布的指标体系可以修订为新版本"))
        draft = IndicatorSystem.objects.filter(supersedes=system, status=SystemStatus.DRAFT).first()
        if draft is not None:
            message = _("已有待发布的新版本（第%(version)d版），请先发布或停用它")
            raise ValidationError(message % {"version": draft.version})
        return create_system(user, data_of(system), from_rows(system.indicators.all()), supersedes=system)


def retire(user: Any, pk: int) -> IndicatorSystem:
    """No longer in force (a draft: discarded). Its rows stay: the cycles run with it keep their scores."""
    require_manage(user)
    with transaction.atomic():
        system = _locked(pk)
        if system.status == SystemStatus.RETIRED:
            raise ValidationError(_("该指标体系已停用"))
        return _retire(system, reason="retired")


def _retire(system: IndicatorSystem, *, reason: str) -> IndicatorSystem:
    before = snapshot(system)
    system.status, system.retired_at = SystemStatus.RETIRED, timezone.now()
    system.save(update_fields=["status", "retired_at", "updated_at"])
    record("update", system, before=before, after=snapshot(system), detail={"change": reason})
    return system


def data_of(system: IndicatorSystem) -> SystemData:
    return SystemData(
        name=system.name,
        applies_to=system.applies_to,
        valid_from=system.valid_from,
        valid_to=system.valid_to,
        total_points=system.total_points,
        bonus_cap=system.bonus_cap,
        bands=[list(b) for b in system.bands],
        quotas=dict(system.quotas or {}),
        note=system.note,
    )


def default_nodes() -> tuple[SystemData, list[Node]]:
    """The shipped system (``default_system``) as the services take it."""
    from . import default_system

    def node(d: dict[str, Any]) -> Node:
        if "children" in d:
            return Node(name=d["name"], children=[node(c) for c in d["children"]])
        fields = {k: v for k, v in d.items() if k != "points"}
        return Node(points=Decimal(str(d["points"])), **fields)

    s = default_system.SYSTEM
    data = SystemData(
        name=s["name"],
        applies_to=s["applies_to"],
        valid_from=s["valid_from"],
        valid_to=s["valid_to"],
        total_points=Decimal(s["total_points"]),
        bonus_cap=Decimal(s["bonus_cap"]),
        bands=[list(b) for b in s["bands"]],
        quotas=dict(s["quotas"]),
        note=s["note"],
    )
    return data, [node(d) for d in default_system.TREE]


def install_default(user: Any = None) -> tuple[IndicatorSystem, bool]:
    """Install and publish the shipped system once; a second call finds it (any version) and changes nothing."""
    data, nodes = default_nodes()
    with transaction.atomic():
        existing = IndicatorSystem.objects.filter(name=data.name).order_by("-version").first()
        if existing is not None:
            return existing, False
        system = create_system(user, data, nodes)
        return publish(user, system.pk), True
