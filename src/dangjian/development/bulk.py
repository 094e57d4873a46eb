"""The status of many development cases at once, in a constant number of queries.

``bulk_status(cases, today)`` reads the cases with the step dates the rules need, the contacts and
memberships that the next steps check, the activist reviews and probation extensions, and the overrides in at
most four queries whatever their number, then
judges each case with the same windows and gates as the case page (``timeline``) on light row objects —
only the next step and the steps that can carry a deadline, which is all ``summarize`` looks at. The tests
check that the result equals ``summarize(timeline(...))`` case by case. ``refresh_all`` writes the result
back to the denormalised fields the lists filter on.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from typing import NamedTuple

from django.db.models import Count, Exists, F, FilteredRelation, IntegerField, Max, OuterRef, Q, QuerySet, Value

from dangjian.rules import services as rule_store

from .models import (
    ActivistReview,
    CaseStatus,
    Contact,
    Development,
    Override,
    ProbationCancellation,
    ProbationExtension,
    StepRecord,
)
from .steps import STEP_TABLES
from .timeline import (
    BLOCKED,
    DONE,
    DUE,
    OVERDUE,
    PENDING,
    StepStatus,
    Summary,
    gate,
    stage_for,
    table_of,
    window,
)


class _Person(NamedTuple):
    pk: int
    name: str
    birth_date: date | None = None


class _Record(NamedTuple):
    number: int
    done_on: date


class _Contact(NamedTuple):
    role: str
    person: _Person


class _Override(NamedTuple):
    step_code: str


@dataclass(frozen=True)
class _Case:
    pk: int
    rule_version: str
    started_on: date
    person: _Person
    branch_id: int | None = None  # the rule store's overrides are per subtree
    review_dates: tuple = ()  # read by ``timeline.review_dates`` / ``extension_months`` instead of a query
    extension_months: tuple = ()
    leaves_unit_on: date | None = None  # 细则 第19条, read by the admission gates
    cancelled: bool = False  # 取消预备党员资格 (第34条): nothing is due any more, as ``timeline`` says


@dataclass(frozen=True)
class CaseState:
    summary: Summary
    stage: str  # Development.stage the records give

    @property
    def status(self) -> str:
        return self.summary.status

    @property
    def next_step(self) -> int | None:
        return self.summary.next.step.number if self.summary.next else None

    @property
    def deadline(self) -> date | None:
        return self.summary.deadline


# Step dates the windows and gates read (the others only need to be known as done).
_GATE_CODES = (
    "submit_application",
    "confirm_activist",
    "train_and_review_activist",
    "admission_meeting",
    "conversion_meeting",
)
_CONTACT_CODES = ("assign_training_contacts", "assign_sponsors")
# steps whose gate reads the activist reviews or the probation extension
_FACT_CODES = ("confirm_candidate", "conversion_meeting")
NEEDED = sorted(
    {t.by_code(s.interval.after).number for t in STEP_TABLES.values() for s in t if s.interval}
    | {t.by_code(c).number for t in STEP_TABLES.values() for c in _GATE_CODES}
)
# A case waits for a contact step when its last recorded step is the one before it.
_BEFORE_CONTACTS = sorted({t.by_code(c).number - 1 for t in STEP_TABLES.values() for c in _CONTACT_CODES})
_BEFORE_FACTS = sorted({t.by_code(c).number - 1 for t in STEP_TABLES.values() for c in _FACT_CODES})


# Per table: the steps that can carry a deadline, with the number of the step it is counted from (0: the
# application date, known from the start); and the stage after the first n steps.
_DEADLINES = {
    v: [
        (s, 0 if s.interval.after == "submit_application" else t.by_code(s.interval.after).number)
        for s in t
        if s.interval is not None and s.interval.max_key
    ]
    for v, t in STEP_TABLES.items()
}
_STAGE_AT = {
    v: [stage_for({n: None for n in range(1, last + 1)}, t) for last in range(len(t) + 1)]
    for v, t in STEP_TABLES.items()
}


class _Done:
    """The records of a case whose steps 1..last are done (``record_step`` enforces the order), as a mapping."""

    __slots__ = ("dates", "last")

    def __init__(self, last: int, dates: dict[int, date]):
        self.last, self.dates = last, dates

    def get(self, number: int, default=None):
        return _Record(number, self.dates.get(number)) if number <= self.last else default

    def __contains__(self, number: int) -> bool:
        return number <= self.last


def _summary(case, today: date, records, contacts, overrides, members) -> Summary:
    """``summarize(timeline(...), today)`` computed on the next step and the steps that can have a deadline only."""
    if case.cancelled:
        return Summary(None, None, DONE)
    table = table_of(case)
    by_code = {o.step_code: o for o in overrides} if overrides else {}
    first = best = overdue = None
    if isinstance(records, _Done):
        # steps 1..last are done: the next step, then only the later steps whose deadline is already known
        last = records.last
        if last >= len(table.steps):
            return Summary(None, None, DONE)
        steps = [table.steps[last]]
        steps += [s for s, after in _DEADLINES[case.rule_version] if s.number > last + 1 and after <= last]
    else:
        steps = [s for s in table if s.number not in records]
    for step in steps:
        if first is None:
            earliest, deadline = window(case, step, records, today)
            override = by_code.get(step.code)
            check = gate(case, step, today, records, contacts, members=members)
            if check is not None and check.blocked and override is None:
                status = BLOCKED
            else:
                status = OVERDUE if deadline and today > deadline else DUE
            item = first = StepStatus(step, status, None, earliest, deadline, check, override)
        elif step.interval is not None and step.interval.max_key:
            earliest, deadline = window(case, step, records)
            if deadline is None:
                continue
            status = OVERDUE if today > deadline else PENDING
            item = StepStatus(step, status, None, earliest, deadline, None, by_code.get(step.code))
        else:
            continue
        if item.deadline is not None:
            if best is None or item.deadline < best.deadline:
                best = item
            if overdue is None and today > item.deadline:
                overdue = item
    if first is None:
        return Summary(None, None, DONE)
    status = OVERDUE if overdue else (BLOCKED if first.status == BLOCKED else DUE)
    return Summary(first, best.deadline if best else None, status, overdue, best)


def _stage(records, table) -> str:
    if not isinstance(records, _Done):
        return stage_for(records, table)
    return _STAGE_AT[table.version][records.last]


def _contacts(waiting: list[int]):
    """Contacts of the cases whose next step checks them, with each contact's current membership (one query,
    none when no case waits for a contact step)."""
    current = FilteredRelation(
        "person__memberships",
        condition=Q(person__memberships__ended_on__isnull=True, person__memberships__deleted_at__isnull=True),
    )
    rows = (
        Contact.objects.filter(development_id__in=waiting)
        .order_by()
        .annotate(m=current)
        .values_list(
            "development_id",
            "role",
            "person_id",
            "person__name",
            "m__status",
            "m__discipline_probation_from",
            "m__discipline_probation_until",
        )
    )
    contacts: dict[int, list[_Contact]] = defaultdict(list)
    members: dict[int, tuple] = {}
    for dev_id, role, pid, name, status, start, until in rows if waiting else ():
        contacts[dev_id].append(_Contact(role, _Person(pid, name)))
        if status is not None:
            members[pid] = (status, start, until)
    return contacts, members


def _facts(waiting: list[int]) -> tuple[dict[int, list], dict[int, list]]:
    """Review dates and extension months of the cases whose next step reads them, in one query (a union; none
    when no case waits for those steps)."""
    reviews: dict[int, list] = defaultdict(list)
    extensions: dict[int, list] = defaultdict(list)
    if not waiting:
        return reviews, extensions
    r = (
        ActivistReview.objects.filter(development_id__in=waiting)
        .order_by()
        .annotate(kind=Value(0, IntegerField()), day=F("reviewed_on"), n=Value(0, IntegerField()))
        .values_list("development_id", "kind", "day", "n")
    )
    e = (
        ProbationExtension.objects.filter(development_id__in=waiting)
        .order_by()
        .annotate(kind=Value(1, IntegerField()), day=F("decided_on"), n=F("months"))
        .values_list("development_id", "kind", "day", "n")
    )
    for dev_id, kind, day, n in r.union(e, all=True):
        if kind == 0:
            reviews[dev_id].append(day)
        else:
            extensions[dev_id].append(n)
    return reviews, extensions


@rule_store.holding()
def bulk_status(cases: QuerySet[Development], today: date) -> dict[int, CaseState]:
    """Every case of ``cases`` (a queryset, already limited to the user's scope) → its state on ``today``.

    At most four queries whatever the number of cases (a fifth only if some case's steps are not 1..n, which
    the services do not let happen), besides the one read of the rule store that the request shares: the cases
    with their last step and the step dates the rules read, grouped in SQL; the contacts of the cases waiting
    for a contact step with their memberships (skipped when none waits); the reviews and extensions of the
    cases waiting for steps 7 or 23 (skipped when none waits); the
    overrides.
    """
    cases = cases.order_by().annotate(
        cancelled=Exists(ProbationCancellation.objects.filter(development_id=OuterRef("pk")))
    )
    dates = {f"d{n}": Max("steps__done_on", filter=Q(steps__number=n)) for n in NEEDED}
    rows = cases.values_list(
        "pk",
        "rule_version",
        "started_on",
        "person_id",
        "person__name",
        "person__birth_date",
        "branch_id",
        "leaves_unit_on",
        "cancelled",
    ).annotate(last=Max("steps__number"), n=Count("steps"), **dates)
    facts: dict[int, _Case] = {}
    records: dict[int, object] = {}
    gaps = []
    for pk, version, started, pid, name, born, branch_id, leaves, cancelled, last, n, *found in rows:
        person = _Person(pid, name, born)
        facts[pk] = _Case(pk, version, started, person, branch_id, leaves_unit_on=leaves, cancelled=cancelled)
        records[pk] = _Done(last or 0, {k: d for k, d in zip(NEEDED, found, strict=True) if d is not None})
        if n != (last or 0):
            gaps.append(pk)
    if not facts:
        return {}
    rule_store.prefetch_paths({f.branch_id for f in facts.values()})
    if gaps:  # not recorded in order (e.g. imported): read those cases' records in full
        full: dict[int, dict[int, _Record]] = defaultdict(dict)
        for dev_id, number, done_on in StepRecord.objects.filter(development_id__in=gaps).values_list(
            "development_id", "number", "done_on"
        ):
            full[dev_id][number] = _Record(number, done_on)
        records.update(full)
    # a case waits for a contact step (training contacts, sponsors) when the step before it is its last one
    waiting = [pk for pk, recs in records.items() if not isinstance(recs, _Done) or recs.last in _BEFORE_CONTACTS]
    contacts, members = _contacts(waiting)
    fact_waiting = [pk for pk, recs in records.items() if not isinstance(recs, _Done) or recs.last in _BEFORE_FACTS]
    reviews, extensions = _facts(fact_waiting)
    for pk in fact_waiting:
        facts[pk] = replace(
            facts[pk], review_dates=tuple(reviews.get(pk, ())), extension_months=tuple(extensions.get(pk, ()))
        )
    overrides: dict[int, list[_Override]] = defaultdict(list)
    for dev_id, code in (
        Override.objects.filter(development__in=cases.values("pk"))
        .order_by("at", "id")
        .values_list("development_id", "step_code")
    ):
        overrides[dev_id].append(_Override(code))
    out: dict[int, CaseState] = {}
    for pk, case in facts.items():
        recs = records[pk]
        summary = _summary(case, today, recs, contacts.get(pk, ()), overrides.get(pk, ()), members)
        out[pk] = CaseState(summary, _stage(recs, table_of(case)))
    return out


@rule_store.holding()
def refresh_all(cases: QuerySet[Development], today: date) -> int:
    """Recompute stage, status, next step and nearest deadline of ``cases`` (the demo and repairs use it)."""
    states = bulk_status(cases, today)
    objs = []
    for dev in Development.all_objects.filter(pk__in=list(states)).only("pk"):
        state = states[dev.pk]
        dev.stage = state.stage
        dev.next_step = state.next_step
        dev.next_due_on = state.deadline
        dev.status = CaseStatus.CLOSED if state.status == DONE else CaseStatus.OPEN
        objs.append(dev)
    Development.all_objects.bulk_update(objs, ["stage", "next_step", "next_due_on", "status"], batch_size=1000)
    return len(objs)
