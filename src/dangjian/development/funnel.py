"""The development funnel: how many people stand at each stage, for an organisation and each of its children.

One grouped query per path length (the rows of one page share a length, so in practice one query): the
branch path is cut to the row's path length in SQL and counted with FILTER aggregates, whatever the number
of cases or branches.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q
from django.db.models.functions import Substr

from dangjian.accounts.scope import scope_for
from dangjian.orgs.models import Organization

from .filters import SOON_DAYS, VIEW
from .models import CaseStatus, Development, DevelopmentStage

STAGES = list(DevelopmentStage)


@dataclass
class FunnelRow:
    org: Organization | None  # None: the total of several rows
    counts: dict[str, int] = field(default_factory=dict)  # stage value → people
    overdue: int = 0
    soon: int = 0

    @property
    def cells(self) -> list[tuple[DevelopmentStage, int]]:
        return [(stage, self.counts.get(stage.value, 0)) for stage in STAGES]

    @property
    def in_progress(self) -> int:
        return sum(n for s, n in self.counts.items() if s != DevelopmentStage.CONVERTED)


@dataclass
class Funnel:
    org: Organization | None
    total: FunnelRow
    rows: list[FunnelRow]


def top_orgs(user) -> list[Organization]:
    """The highest organisations of the user's scope: the roots for the office, the own branch for a secretary."""
    scope = scope_for(user, VIEW)
    if scope.everything:
        return list(Organization.objects.filter(depth=1).order_by("path"))
    paths = set(scope.subtree_paths) | set(scope.exact_paths)
    orgs = list(Organization.objects.filter(path__in=paths).order_by("path"))
    return [o for o in orgs if not any(o.path != p.path and o.path.startswith(p.path) for p in orgs)]


def _counts(user, orgs: list[Organization], today: date) -> dict[str, FunnelRow]:
    rows = {o.path: FunnelRow(o) for o in orgs}
    open_ = Q(status=CaseStatus.OPEN)
    aggregates = {
        s.value: Count("id", filter=Q(stage=s.value) & (Q() if s == DevelopmentStage.CONVERTED else open_))
        for s in STAGES
    }
    aggregates["overdue"] = Count("id", filter=open_ & Q(next_due_on__lt=today))
    aggregates["soon"] = Count(
        "id", filter=open_ & Q(next_due_on__gte=today, next_due_on__lte=today + timedelta(days=SOON_DAYS))
    )
    by_length: dict[int, list[str]] = defaultdict(list)
    for o in orgs:
        by_length[len(o.path)].append(o.path)
    for length, paths in by_length.items():
        qs = (
            Development.objects.visible_to(user, VIEW)
            .order_by()
            .annotate(prefix=Substr("branch__path", 1, length))
            .filter(prefix__in=paths)
            .values("prefix")
            .annotate(**aggregates)
        )
        for row in qs:
            target = rows[row["prefix"]]
            target.counts = {s.value: row[s.value] for s in STAGES}
            target.overdue, target.soon = row["overdue"], row["soon"]
    return rows


def funnel(user, org: Organization | None, today: date) -> Funnel:
    """``org``'s totals and one row per child organisation (party groups hold no cases and are left out).

    Without ``org``: one row per top organisation of the user's scope, and their sum.
    """
    if org is not None:
        children = list(Organization.objects.children_of(org).exclude(kind="group").order_by("order", "path"))
        counted = _counts(user, [org, *children], today)
        return Funnel(org, counted[org.path], [counted[c.path] for c in children])
    tops = top_orgs(user)
    if len(tops) == 1:
        return funnel(user, tops[0], today)
    counted = _counts(user, tops, today)
    total = FunnelRow(None)
    for row in counted.values():
        for stage, n in row.counts.items():
            total.counts[stage] = total.counts.get(stage, 0) + n
        total.overdue += row.overdue
        total.soon += row.soon
    return Funnel(None, total, [counted[o.path] for o in tops])
