"""Screening figures for leaders: counts per party organisation and per department, never a person.

Leaders, the office and secretaries have "health.aggregates" but not "health.values": they may see aggregate
figures over groups of at least five screened people and nothing else (HEALTH_MODELS.md §5, PIPL art. 28). A
smaller group shows only that it is too small, not even its size, so that a count of one cannot point at a
colleague.

Shown figures must not give a small group away by subtraction either, so more groups are withheld until none of
these differences is 1–4 people:

- within a tree: a unit minus the highest shown units beneath it (``_protect``), e.g. a general branch of 9 minus
  its shown branch of 5 would give the other branch's 4 away;
- across the two trees: for every shown organisation O and shown department D that share people, O \\ D and
  D \\ O must each be none or at least five (``_protect_across``). A branch of 7 (2 high risk) minus a department
  of 5 all from that branch (0 high risk) would otherwise give the other 2 away, both high risk. Non-members count
  only in the department tree and members without a department only in the organisation tree, so they are in
  these differences too (the party committee against the whole institute). Of a pair that fails, the smaller
  group is withheld (the department when both are as large); then both checks run again until nothing changes.

One grouped query whatever the number of people: the year's results in the user's scope counted by (organisation
of the person's current membership, person's department), a missing one being its own bucket. A person has at
most one current membership (a database constraint) and one department, so a person counts once in each group.
Python adds each cell to every shown unit on its two materialised paths and to the overlap of each pair of them,
so only pairs that share people are ever looked at: cells × depth², not organisations × departments.

Still not protected: differences of three or more shown figures across the trees (a branch minus two disjoint
departments), differences between years (a group gaining one screened person between two years), and
differences between users' pages (a branch leader's department figure counts only the people in his scope, the
committee leader's counts everyone). Groups of five or more are not anonymous either: a group whose five all
have the same category reveals it for each of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Q, Subquery

from dangjian.orgs.models import Department, Organization
from dangjian.people.models import Membership

from .models import ScreeningResult
from .services import units_in_scope

AGGREGATES = "health.aggregates"
MIN_GROUP = 5  # HEALTH_MODELS.md §5: aggregate figures only over groups of at least five people

COUNTS = {
    "screened": Count("id"),
    "cvd_low": Count("id", filter=Q(cvd_category="low")),
    "cvd_medium": Count("id", filter=Q(cvd_category="medium")),
    "cvd_high": Count("id", filter=Q(cvd_category="high")),
    "gastric_raised": Count("id", filter=Q(gastric_category__in=("medium", "high"))),
    "apcs_high": Count("id", filter=Q(apcs_category="high")),
    "colonoscopy": Count("id", filter=Q(colonoscopy_referral=True)),
    "follow_up": Count("id", filter=Q(follow_up_needed=True)),
}
FIGURES = tuple(k for k in COUNTS if k != "screened")

Cell = tuple[str | None, str | None, dict[str, int]]  # (organisation path, department path, counts)


@dataclass(eq=False)
class GroupFigures:
    unit: Organization | Department
    counts: dict[str, int] = field(default_factory=dict)
    withheld: bool = False  # set for small groups and by ``_protect``/``_protect_across`` for those giving one away
    across: bool = False  # withheld because of a group of the other table (the page says so)

    @property
    def screened(self) -> int:
        return self.counts.get("screened", 0)

    @property
    def shown(self) -> bool:
        return not self.withheld

    @property
    def small(self) -> bool:
        """Fewer than five screened; a withheld group that is not small was withheld to protect another."""
        return self.screened < MIN_GROUP

    @property
    def cells(self) -> list[int]:
        """The figures in column order; empty for a group too small to show (not even a zero)."""
        return [self.counts.get(k, 0) for k in FIGURES] if self.shown else []


@dataclass
class Aggregates:
    year: int
    orgs: list[GroupFigures]
    departments: list[GroupFigures]


def _exposes(difference: int) -> bool:
    return 0 < difference < MIN_GROUP


def _cells(results, membership_path) -> list[Cell]:
    qs = (
        results.order_by()
        .annotate(org_path=membership_path, dept_path=F("person__department__path"))
        .values("org_path", "dept_path")
        .annotate(**COUNTS)
    )
    return [(r.pop("org_path"), r.pop("dept_path"), r) for r in qs]


class _Tree:
    """The shown units of one tree by path, and each path's units above it (memoised: cells repeat paths)."""

    def __init__(self, units: Iterable[Organization | Department]):
        self.groups = [GroupFigures(u, dict.fromkeys(COUNTS, 0)) for u in units]
        self.by_path = {g.unit.path: g for g in self.groups}
        self.steplen = self.groups[0].unit.steplen if self.groups else 1
        self._above: dict[str, list[GroupFigures]] = {}

    def above(self, path: str | None) -> list[GroupFigures]:
        """The units whose subtree holds ``path`` (itself included), top first; none for the no-unit bucket."""
        if not path:
            return []
        if path not in self._above:
            prefixes = (path[:n] for n in range(self.steplen, len(path) + 1, self.steplen))
            self._above[path] = [g for p in prefixes if (g := self.by_path.get(p))]
        return self._above[path]


def _tables(
    orgs: Sequence[Organization], departments: Sequence[Department], cells: Iterable[Cell]
) -> tuple[list[GroupFigures], list[GroupFigures]]:
    """Both tables rolled up from the cells, then withheld until no shown difference exposes a small group."""
    org_tree, dept_tree = _Tree(orgs), _Tree(departments)
    overlap: dict[tuple[str, str], int] = defaultdict(int)  # (org path, department path) → people in both
    for org_path, dept_path, counts in cells:
        above_org, above_dept = org_tree.above(org_path), dept_tree.above(dept_path)
        for g in (*above_org, *above_dept):
            for k, n in counts.items():
                g.counts[k] += n
        for o in above_org:
            for d in above_dept:
                overlap[o.unit.path, d.unit.path] += counts["screened"]
    for g in (*org_tree.groups, *dept_tree.groups):
        g.withheld = g.small
    # deepest pairs first, as ``_protect`` goes bottom-up: small units' pairs are settled before their parents'
    order = sorted(overlap, key=lambda od: (-len(od[0]) - len(od[1]), od))
    pairs = [(org_tree.by_path[o], dept_tree.by_path[d], overlap[o, d]) for o, d in order]
    while True:
        _protect(org_tree.groups)
        _protect(dept_tree.groups)
        if not _protect_across(pairs):
            break
    return org_tree.groups, dept_tree.groups


def _protect(groups: list[GroupFigures]) -> list[GroupFigures]:
    """Withhold more groups where a unit's figures minus the shown units beneath it would expose under five people.

    Without this a leader could subtract: a general branch of 9 screened with one shown branch of 5 gives away the
    other branch's 4 (HEALTH_MODELS.md §5). Bottom-up, for each shown unit the people not covered by the highest
    shown units beneath it (other branches' members, its own members) must be none or at least five; otherwise the
    smallest of those shown units are withheld in turn, and the unit itself when that is not enough. Differences
    across the two trees are ``_protect_across``'s.
    """
    ordered = sorted(groups, key=lambda g: g.unit.path)  # a unit's subtree follows it in path order
    subtree = {}
    for i, g in enumerate(ordered):
        j = i + 1
        while j < len(ordered) and ordered[j].unit.path.startswith(g.unit.path):
            j += 1
        subtree[g.unit.path] = ordered[i + 1 : j]
    for g in sorted(groups, key=lambda g: -len(g.unit.path)):
        if g.withheld:
            continue
        while True:
            cover = _highest_shown(subtree[g.unit.path])
            uncovered = g.screened - sum(c.screened for c in cover)
            if not _exposes(uncovered):
                break
            if not cover:
                g.withheld = True
                break
            min(cover, key=lambda c: (c.screened, c.unit.path)).withheld = True
    return groups


def _highest_shown(descendants: list[GroupFigures]) -> list[GroupFigures]:
    """The shown units with no shown unit between them and the top (``descendants`` in path order)."""
    out: list[GroupFigures] = []
    for d in descendants:
        if d.shown and not (out and d.unit.path.startswith(out[-1].unit.path)):
            out.append(d)
    return out


def _protect_across(pairs: list[tuple[GroupFigures, GroupFigures, int]]) -> bool:
    """Withhold one of each shown organisation and department whose differences would expose under five people.

    ``pairs`` holds only the organisation/department pairs that share people, with how many; a pair sharing none
    gives nothing away (its differences are the two figures themselves). Returns whether anything was withheld,
    in which case the caller checks everything again (HEALTH_MODELS.md §5, PIPL art. 28).
    """
    changed = False
    for org, dept, both in pairs:
        if org.withheld or dept.withheld:
            continue
        if _exposes(org.screened - both) or _exposes(dept.screened - both):
            smaller = org if org.screened < dept.screened else dept
            smaller.withheld = smaller.across = True
            changed = True
    return changed


def aggregates(user, year: int) -> Aggregates:
    """The year's figures for each organisation and department in the user's "health.aggregates" scope."""
    orgs, departments = (list(units) for units in units_in_scope(user, AGGREGATES))
    results = ScreeningResult.objects.visible_to(user, AGGREGATES).filter(year=year)
    membership_path = Subquery(
        Membership.objects.current().filter(person_id=OuterRef("person_id")).values("organization__path")[:1]
    )
    org_groups, dept_groups = _tables(orgs, departments, _cells(results, membership_path))
    return Aggregates(year, org_groups, dept_groups)


def years_with_results(user) -> list[int]:
    return list(
        ScreeningResult.objects.visible_to(user, AGGREGATES)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()[:20]
    )
