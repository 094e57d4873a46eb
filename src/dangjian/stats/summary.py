"""The per-branch summary (分支部汇总): one row per organisation holding members, with its totals and changes,
and the subtree's own figures underneath. Moves between two branches are a 转出 of one and a 转入 of the other
and cancel out in the subtree's line."""

from __future__ import annotations

from dataclasses import dataclass

from dangjian.orgs.models import Organization

from . import flows
from .flows import Balance, BranchLine
from .scope import Period, Subtree


@dataclass
class Summary:
    lines: list[tuple[Organization, BranchLine]]
    total: Balance


def by_branch(org: Organization, year: int) -> Summary:
    """Constant queries: the organisations, two totals grouped by organisation, the changed rows (and the three
    of the subtree's own comparison)."""
    scope = Subtree((org.path,))
    period = Period(year)
    orgs = list(
        Organization.objects.filter(scope.q("path")).filter(flows.with_members_q(scope, period)).order_by("path")
    )
    lines = flows.by_branch(scope, period, {o.path: o.pk for o in orgs})
    return Summary([(o, lines[o.pk]) for o in orgs], flows.balance(scope, period))
