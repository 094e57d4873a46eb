"""A reviewer's queue: the units × leaves of their departments, their own units left out, each with its status.

Set-wise whatever the number of units (the queue page and the home item read it): the reviewer's departments,
the manual leaves, the cycles' units, the user's own units (two), the items' entries and their counted scores —
a constant number of queries; the statuses are worked out here in Python.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from . import manual_scores
from .models import CycleUnit, EntryKind, Indicator, ManualScore, Method, ReviewEntry, Reviewer
from .review import department_of, own_units

TODO = "todo"
DONE = "done"
WAITING = "waiting"
DISPUTED = "disputed"
SETTLED = "settled"
STATUSES = [
    (TODO, _("未评")),
    (DONE, _("已评")),
    (WAITING, _("待他人")),
    (DISPUTED, _("有争议")),
    (SETTLED, _("已裁定")),
]
LABELS = dict(STATUSES)


@dataclass
class Item:
    cycle_id: int
    unit_id: int
    unit_name: str
    leaf: Indicator
    department: str
    status: str
    mine: Decimal | None  # my latest score
    counted: Decimal | None  # the score that counts (ManualScore)

    @property
    def status_label(self) -> Any:
        return LABELS[self.status]


def _status(mine: Decimal | None, counted: ManualScore | None, overridden: bool) -> str:
    if overridden:
        return SETTLED
    if counted is not None and counted.disputed:
        return DISPUTED
    if counted is not None:
        return DONE
    return TODO if mine is None else WAITING


def items(user: Any, cycle_ids: Iterable[int], unit_ids: Iterable[int] | None = None) -> list[Item]:
    """Every item of ``user``'s departments in the given cycles (units in the cycles' order of the tree), or of
    the given units only (a page of the queue: its queries then read those units' rows, not the cycle's)."""
    only = list(unit_ids) if unit_ids is not None else None
    reviewers = Reviewer.objects.filter(cycle_id__in=list(cycle_ids), user_id=user.pk, removed_at__isnull=True)
    mine_of: dict[int, set[str]] = defaultdict(set)
    systems: dict[int, int] = {}
    for cycle_id, department, system_id in reviewers.values_list("cycle_id", "department", "cycle__system_id"):
        mine_of[cycle_id].add(department)
        systems[cycle_id] = system_id
    if not mine_of:
        return []
    leaves_of: dict[int, list[Indicator]] = defaultdict(list)
    for leaf in Indicator.objects.filter(system_id__in=set(systems.values()), method=Method.MANUAL).order_by(
        "position", "pk"
    ):
        leaves_of[leaf.system_id].append(leaf)
    chosen = {
        cycle_id: [leaf for leaf in leaves_of[system_id] if department_of(leaf) in mine_of[cycle_id]]
        for cycle_id, system_id in systems.items()
    }
    chosen = {cycle_id: leaves for cycle_id, leaves in chosen.items() if leaves}
    if not chosen:
        return []
    own = own_units(user)
    units = [
        (cycle_id, unit_id, name)
        for cycle_id, unit_id, name, path in CycleUnit.objects.filter(cycle_id__in=list(chosen))
        .filter(**({"organization_id__in": only} if only is not None else {}))
        .order_by("cycle_id", "organization__path")
        .values_list("cycle_id", "organization_id", "organization__name", "organization__path")
        if not own.covers(unit_id, path)
    ]
    leaf_ids = [leaf.pk for leaves in chosen.values() for leaf in leaves]
    mine: dict[tuple[int, int, int], Decimal] = {}
    overridden: set[tuple[int, int, int]] = set()
    narrow = {"unit_id__in": only} if only is not None else {}
    entries = ReviewEntry.objects.filter(cycle_id__in=list(chosen), indicator_id__in=leaf_ids, **narrow).filter(
        kind__in=manual_scores.OVERRIDES
    ) | ReviewEntry.objects.filter(
        cycle_id__in=list(chosen), indicator_id__in=leaf_ids, entered_by_id=user.pk, kind=EntryKind.REVIEW, **narrow
    )
    for cycle_id, unit_id, leaf_id, kind, score, by in entries.order_by("entered_at", "pk").values_list(
        "cycle_id", "unit_id", "indicator_id", "kind", "score", "entered_by_id"
    ):
        key = (cycle_id, unit_id, leaf_id)
        if kind in manual_scores.OVERRIDES:
            overridden.add(key)
        elif by == user.pk:
            mine[key] = score
    counted = {
        (row.cycle_id, row.unit_id, row.indicator_id): row
        for row in ManualScore.objects.filter(cycle_id__in=list(chosen), indicator_id__in=leaf_ids, **narrow).only(
            "cycle_id", "unit_id", "indicator_id", "score", "disputed"
        )
    }
    out = []
    for cycle_id, unit_id, name in units:
        for leaf in chosen[cycle_id]:
            key = (cycle_id, unit_id, leaf.pk)
            row = counted.get(key)
            out.append(
                Item(
                    cycle_id=cycle_id,
                    unit_id=unit_id,
                    unit_name=name,
                    leaf=leaf,
                    department=department_of(leaf),
                    status=_status(mine.get(key), row, key in overridden),
                    mine=mine.get(key),
                    counted=row.score if row is not None else None,
                )
            )
    return out


def pending(rows: list[Item]) -> list[Item]:
    """What still waits for this reviewer: not scored by them, nor complete without them."""
    return [r for r in rows if r.status == TODO]


# --- at a group's scale: one reviewer may hold tens of thousands of items (6,000 branches × a dozen leaves), so
# the home page and the queue's figures count them in the database, and the queue page reads one page of units


def own_ids(user: Any, cycle_id: int) -> set[int]:
    """The cycle's units that are the user's own: role scopes and the organisations at or above their membership."""
    own = own_units(user)
    prefixes = {p[:n] for p in own.member_paths for n in range(1, len(p) + 1)}
    rows = CycleUnit.objects.filter(cycle_id=cycle_id).filter(
        Q(organization_id__in=own.role_units) | Q(organization__path__in=prefixes)
    )
    return {
        unit_id
        for unit_id, path in rows.values_list("organization_id", "organization__path")
        if own.covers(unit_id, path)
    }


def my_leaves(user: Any, cycle: Any) -> list[Indicator]:
    from .review import manual_leaves, my_departments

    mine = my_departments(user, cycle)
    return [leaf for leaf in manual_leaves(cycle) if department_of(leaf) in mine]


def counts(user: Any, cycle: Any, leaves: list[Indicator] | None = None) -> dict[str, int]:
    """How many of the user's items of ``cycle`` are in each status: a handful of counting queries."""
    leaves = my_leaves(user, cycle) if leaves is None else leaves
    if not leaves:
        return {key: 0 for key, _label in STATUSES}
    own = own_ids(user, cycle.pk)
    ids = [leaf.pk for leaf in leaves]
    total = (CycleUnit.objects.filter(cycle=cycle).exclude(organization_id__in=own).count()) * len(ids)
    scores = ManualScore.objects.filter(cycle=cycle, indicator_id__in=ids).exclude(unit_id__in=own)
    entries = ReviewEntry.objects.filter(cycle=cycle, indicator_id__in=ids).exclude(unit_id__in=own)
    settled = (
        entries.filter(kind__in=manual_scores.OVERRIDES).order_by().values_list("unit_id", "indicator_id").distinct()
    ).count()
    counted = scores.aggregate(n=Count("pk"), disputed=Count("pk", filter=Q(disputed=True)))
    waiting = (
        entries.filter(entered_by_id=user.pk, kind=EntryKind.REVIEW)
        .order_by()
        .values_list("unit_id", "indicator_id")
        .difference(scores.order_by().values_list("unit_id", "indicator_id"))
        .count()
    )
    return {
        TODO: total - counted["n"] - waiting,
        DONE: counted["n"] - counted["disputed"] - settled,
        WAITING: waiting,
        DISPUTED: counted["disputed"],
        SETTLED: settled,
    }


class Page(Sequence[Item]):
    """The queue without a status filter, read a page of units at a time (the paginator slices it)."""

    def __init__(self, user: Any, cycle: Any, units: list[int], leaves: list[Indicator], department: str = ""):
        self.user, self.cycle, self.units, self.department = user, cycle, units, department
        self.per_unit = len([leaf for leaf in leaves if not department or department_of(leaf) == department])

    def __len__(self) -> int:
        return len(self.units) * self.per_unit

    def __getitem__(self, index: Any) -> Any:
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _step = index.indices(len(self))
        if stop <= start:
            return []
        first, last = start // self.per_unit, (stop - 1) // self.per_unit
        rows = items(self.user, [self.cycle.pk], self.units[first : last + 1])
        if self.department:
            rows = [r for r in rows if r.department == self.department]
        offset = first * self.per_unit
        return rows[start - offset : stop - offset]
