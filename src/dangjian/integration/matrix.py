"""The integration matrix (融合矩阵) of a year, as one user sees it: business work × party-work carriers.

Rows are the key tasks of the year (grouped by business line and stage) and, for each stage of a business line
that has them, one row for the carriers that serve the whole stage rather than a task. Columns are the eight
carrier codes (``active.CODES``). A cell is the number of carriers of its column active in the year on its row's
work, counting only the carriers the user sees (``visible_to``): a branch secretary's matrix shows their branch's
carriers.

Queries: one grouped count per column, one for the stages and one for the tasks, whatever the number of tasks and
carriers; the members per task four more (one per carrier kind that has people).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.facts.rollup import percent

from . import active
from .active import CODES, VIEW
from .models import BusinessLine, ProcessStage, Project, Taskforce, TaskforceMember

NO_LINE = 10**9  # tasks without a business line sort last


@dataclass
class Row:
    id: str  # "p12" for a key task, "s3" for the carriers on a stage without a task
    line: str
    stage: str
    project: str | None
    project_id: int | None = None
    stage_id: int | None = None
    line_id: int | None = None
    code: str = ""
    sort: tuple = ()
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def is_task(self) -> bool:
        return self.project_id is not None

    @property
    def is_gap(self) -> bool:
        return self.is_task and not self.total

    def cells(self) -> list[tuple[str, int]]:
        return [(code, self.counts.get(code, 0)) for code in CODES]


@dataclass
class IntegrationMatrix:
    year: int
    rows: list[Row]
    coverage: dict[str, Any]

    @property
    def gaps(self) -> list[Row]:
        return [r for r in self.rows if r.is_gap]

    def as_api(self) -> dict[str, Any]:
        """The shape of ``GET /api/v1/integration/matrix`` (issue 15 §6); cells only where the count is not 0."""
        return {
            "rows": [{"id": r.id, "line": r.line, "stage": r.stage, "project": r.project} for r in self.rows],
            "columns": list(CODES),
            "cells": [{"row": r.id, "column": c, "count": n} for r in self.rows for c, n in r.cells() if n],
            "coverage": self.coverage,
        }


def parse_row(row_id: str) -> tuple[str, int] | None:
    """("p", 12) for "p12", ("s", 3) for "s3"; None for anything else."""
    if len(row_id) > 1 and row_id[0] in "ps" and row_id[1:].isdigit():
        return row_id[0], int(row_id[1:])
    return None


def _counts(year: int, user: Any) -> tuple[dict[int, dict[str, int]], dict[int, dict[str, int]]]:
    """Per column, the active carriers the user sees by task and, for those on no task, by stage: 8 queries."""
    by_project: dict[int, dict[str, int]] = defaultdict(dict)
    by_stage: dict[int, dict[str, int]] = defaultdict(dict)
    for code in CODES:
        rows = (
            active.active(code, year, user)
            .filter(Q(project__isnull=False) | Q(stage__isnull=False))
            .order_by()
            .values_list("project_id", "stage_id")
            .annotate(n=Count("pk"))
        )
        for project_id, stage_id, n in rows:
            if project_id is not None:
                by_project[project_id][code] = by_project[project_id].get(code, 0) + n
            else:
                by_stage[stage_id][code] = by_stage[stage_id].get(code, 0) + n
    return by_project, by_stage


def build(year: int, user: Any, line_id: int | None = None) -> IntegrationMatrix:
    """The year's matrix for ``user``, narrowed to one business line when ``line_id`` is given. 11 queries; rows
    read as plain values (a group's 2,000 tasks would otherwise build 6,000 model instances)."""
    by_project, by_stage = _counts(year, user)
    none = _("未归类")
    lines = {
        pk: (order, code, name)
        for pk, order, code, name in BusinessLine.objects.values_list("pk", "order", "code", "name")
    }
    no_line = (NO_LINE, "", none)
    stages = {}
    rows: list[Row] = []
    for pk, line, name, order in ProcessStage.objects.filter(line__deleted_at__isnull=True).values_list(
        "pk", "line_id", "name", "order"
    ):
        stages[pk] = (line, name, order)
        # a stage's own row only where carriers serve the stage as a whole: an empty stage is no gap (only a key
        # task is), and a group's thousands of empty stage rows buried the tasks (and cost half the page's time)
        if (line_id and line != line_id) or pk not in by_stage:
            continue
        lo, lc, ln = lines.get(line, no_line)
        rows.append(
            Row(
                id=f"s{pk}",
                line=ln,
                stage=name,
                project=None,
                stage_id=pk,
                line_id=line,
                sort=(lo, lc, order, pk, 0, ""),
                counts=by_stage.get(pk, {}),
            )
        )
    # the key tasks the user sees, and those outside their sight that carry a carrier they see: the year's tasks
    # read once and chosen here (a list of 2,000 carrier task ids as SQL parameters cost more than the reading)
    seen = set(active.key_tasks(year, user).order_by().values_list("pk", flat=True))
    tasks = active.key_tasks(year).order_by().values_list("pk", "name", "code", "line_id", "stage_id")
    for pk, name, code, line, stage in tasks:
        if pk not in seen and pk not in by_project:
            continue
        st = stages.get(stage)
        if line is None and st is not None:
            line = st[0]
        if line_id and line != line_id:
            continue
        lo, lc, ln = lines.get(line, no_line) if line is not None else no_line
        rows.append(
            Row(
                id=f"p{pk}",
                line=ln,
                stage=st[1] if st else "",
                project=name,
                project_id=pk,
                stage_id=stage if st else None,
                line_id=line,
                code=code,
                sort=(lo, lc, st[2] if st else -1, stage if st else 0, 1, code),
                counts=by_project.get(pk, {}),
            )
        )
    rows.sort(key=lambda r: r.sort)
    tasks_n = sum(1 for r in rows if r.is_task)
    covered = sum(1 for r in rows if r.is_task and r.total)
    coverage = {"key_tasks": tasks_n, "with_carrier": covered, "rate": percent(covered, tasks_n)}
    return IntegrationMatrix(year, rows, coverage)


def taskforces(year: int, user: Any = None) -> QuerySet:
    """Commando and tackling teams active in the year (both columns)."""
    qs = Taskforce.objects.filter(active.spans(year))
    return qs.visible_to(user, VIEW) if user is not None else qs


def people_pairs(year: int, user: Any = None, project_ids: list[int] | None = None) -> set[tuple[int, int]]:
    """(task, person) for every person in an active carrier on a task: post holders, zone members, team rosters
    (those on the team during the year) and pledgers. Four queries."""
    first, last = active.year_bounds(year)
    roster = TaskforceMember.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gte=first),
        joined_on__lte=last,
        taskforce__in=taskforces(year, user).values("pk"),
    )
    sources: list[tuple[QuerySet, str, str]] = [
        (active.active(active.MODEL_POST, year, user), "project_id", "holder_id"),
        (active.active(active.ZONE, year, user), "project_id", "member_id"),
        (active.active(active.PLEDGE, year, user), "project_id", "person_id"),
        (roster, "taskforce__project_id", "person_id"),
    ]
    pairs: set[tuple[int, int]] = set()
    for qs, task, person in sources:
        qs = qs.filter(**{f"{task}__isnull": False, f"{person}__isnull": False})
        if project_ids is not None:
            qs = qs.filter(**{f"{task}__in": project_ids})
        pairs.update(qs.order_by().values_list(task, person).distinct())
    return pairs


def members_per_task(year: int, user: Any, project_ids: list[int]) -> dict[int, int]:
    """How many distinct people each task's active carriers hold (the user's carriers only)."""
    counts: dict[int, int] = defaultdict(int)
    for task, _person in people_pairs(year, user, project_ids):
        counts[task] += 1
    return counts


SELECT = {
    active.MODEL_POST: ("organization", "project", "stage", "holder"),
    active.ZONE: ("organization", "project", "stage", "member"),
    active.COMMANDO: ("organization", "project", "stage"),
    active.TACKLING: ("organization", "project", "stage"),
    active.PLEDGE: ("organization", "project", "stage", "person"),
    active.JOINT: ("organization", "project", "stage", "partner"),
    active.CONTACT_POINT: ("contact_point__organization", "contact_point__leader", "project", "stage"),
    active.ACTIVITY: ("meeting__organization", "project", "stage"),
}
ORDER = {
    active.CONTACT_POINT: ("-contact_point__since", "pk"),
    active.ACTIVITY: ("-meeting__starts_at", "pk"),
}


def carriers(code: str, year: int, user: Any, row: tuple[str, int] | None = None) -> QuerySet:
    """The active carriers of one column (in one cell when ``row`` is given), ready to describe."""
    qs = active.active(code, year, user).select_related(*SELECT[code])
    if code in (active.COMMANDO, active.TACKLING):
        current = TaskforceMember.objects.filter(left_on__isnull=True).select_related("person")
        qs = qs.prefetch_related(Prefetch("roster", queryset=current.order_by("role", "pk"), to_attr="current"))
    if row is not None:
        kind, pk = row
        qs = qs.filter(project_id=pk) if kind == "p" else qs.filter(project__isnull=True, stage_id=pk)
    return qs.order_by(*ORDER.get(code, ("-starts_on", "pk")))


def describe(code: str, c: Any) -> dict[str, Any]:
    """One carrier as the drill-down and the API show it."""
    org, starts, ends, people = getattr(c, "organization", None), getattr(c, "starts_on", None), None, []
    ends = getattr(c, "ends_on", None)
    if code == active.MODEL_POST:
        name = c.name
        people = [c.holder.name] if c.holder else ([c.collective] if c.collective else [])
    elif code == active.ZONE:
        name, people = c.name, [c.member.name]
    elif code in (active.COMMANDO, active.TACKLING):
        name, people = c.name, [m.person.name for m in c.current]
    elif code == active.PLEDGE:
        name = _("%(person)s %(year)d年承诺") % {"person": c.person.name, "year": c.year}
        people = [c.person.name]
    elif code == active.JOINT:
        name = f"{c.title}（{c.partner.name}）"
    elif code == active.CONTACT_POINT:
        point = c.contact_point
        org, starts, ends = point.organization, point.since, point.until
        name = _("%(leader)s的联系点") % {"leader": point.leader.name}
        people = [point.leader.name]
    else:
        meeting = c.meeting
        org, name = meeting.organization, meeting.title
        starts = ends = timezone.localtime(meeting.starts_at).date()
    return {
        "id": c.pk,
        "kind": code,
        "name": str(name),
        "organization": org.name if org else "",
        "project": c.project.name if c.project_id else None,
        "stage": c.stage.name if c.stage_id else None,
        "starts_on": starts,
        "ends_on": ends,
        "people": people,
        "object": c,
    }


def project_of(pk: int) -> Project | None:
    return Project.objects.filter(pk=pk).select_related("line", "stage__line").first()


def people_in_carriers(year: int, user: Any = None) -> set[int]:
    """Everyone in at least one active carrier, on a task or not: post holders, zone members, those on a team's
    roster during the year and pledgers. Four queries."""
    first, last = active.year_bounds(year)
    roster = TaskforceMember.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gte=first),
        joined_on__lte=last,
        taskforce__in=taskforces(year, user).values("pk"),
    )
    sources: list[tuple[QuerySet, str]] = [
        (active.active(active.MODEL_POST, year, user), "holder_id"),
        (active.active(active.ZONE, year, user), "member_id"),
        (active.active(active.PLEDGE, year, user), "person_id"),
        (roster, "person_id"),
    ]
    people: set[int] = set()
    for qs, person in sources:
        people.update(qs.filter(**{f"{person}__isnull": False}).order_by().values_list(person, flat=True).distinct())
    return people
