"""Screening figures for leaders: counts per party organisation and per department, never a person.

Leaders, the office and secretaries have "health.aggregates" but not "health.values": they may see aggregate
figures over groups of at least five screened people and nothing else (HEALTH_MODELS.md §5, PIPL art. 28). A
smaller group shows only that it is too small, not even its size, so that a count of one cannot point at a
colleague.

Two grouped queries whatever the number of people: the year's results in the user's scope counted by the
organisation of each person's current membership, and by department; Python then adds each row to every shown
unit whose materialised path is a prefix of the row's path. A person has at most one current membership (a
database constraint) and one department, so a person counts once in each group.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Q, Subquery

from dangjian.orgs.models import Department, Organization
from dangjian.people.models import Membership

from .models import ScreeningResult

AGGREGATES = "health.aggregates"
MIN_GROUP = 5  # HEALTH_MODELS.md §5: aggregate figures only over groups of at least five people
ORG_KINDS = ("committee", "general_branch", "branch")

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


@dataclass
class GroupFigures:
    unit: Organization | Department
    counts: dict[str, int] = field(default_factory=dict)
    withheld: bool = False  # set by ``_protect`` for small groups and for those that would give one away

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


def _rows(results, path_expr) -> list[tuple[str, dict[str, int]]]:
    qs = results.order_by().annotate(unit_path=path_expr).values("unit_path").annotate(**COUNTS)
    return [(r.pop("unit_path"), r) for r in qs if r["unit_path"]]


def _roll_up(units, rows) -> list[GroupFigures]:
    out = []
    for unit in units:
        totals = dict.fromkeys(COUNTS, 0)
        for path, counts in rows:
            if path.startswith(unit.path):
                for k, n in counts.items():
                    totals[k] += n
        out.append(GroupFigures(unit, totals, withheld=totals["screened"] < MIN_GROUP))
    return _protect(out)


def _protect(groups: list[GroupFigures]) -> list[GroupFigures]:
    """Withhold more groups where a unit's figures minus the shown units beneath it would expose under five people.

    Without this a leader could subtract: a general branch of 9 screened with one shown branch of 5 gives away the
    other branch's 4 (HEALTH_MODELS.md §5). Bottom-up, for each shown unit the people not covered by the highest
    shown units beneath it (other branches' members, its own members) must be none or at least five; otherwise the
    smallest of those shown units are withheld in turn, and the unit itself when that is not enough. Differences
    across the two trees (organisations against departments) are not covered.
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
            if not 0 < uncovered < MIN_GROUP:
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


def aggregates(user, year: int) -> Aggregates:
    """The year's figures for each organisation and department in the user's "health.aggregates" scope."""
    orgs = list(Organization.objects.visible_to(user, AGGREGATES).filter(kind__in=ORG_KINDS).order_by("path"))
    departments = list(Department.objects.visible_to(user, AGGREGATES).order_by("path"))
    results = ScreeningResult.objects.visible_to(user, AGGREGATES).filter(year=year)
    membership_path = Subquery(
        Membership.objects.current().filter(person_id=OuterRef("person_id")).values("organization__path")[:1]
    )
    by_org = _rows(results, membership_path)
    by_department = _rows(results, F("person__department__path"))
    return Aggregates(year, _roll_up(orgs, by_org), _roll_up(departments, by_department))


def years_with_results(user) -> list[int]:
    return list(
        ScreeningResult.objects.visible_to(user, AGGREGATES)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()[:20]
    )
