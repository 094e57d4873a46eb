"""Turning validated rows into database changes: first a plan, then bulk writes in one transaction.

The plan is computed for dry runs too, so a dry run reports exactly the counts
the real import will produce. New rows go through bulk_create, changed rows
through executemany of plain UPDATEs, and the audit trail through
``record_many`` in chunks, because row-by-row saves would make a 100,000-row
roster take many minutes instead of seconds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection
from django.utils import timezone

from dangjian.audit import services as audit
from dangjian.people.models import EndCause, Membership, Person, StartCause

from .columns import END_REASON, MEMBER_STATUSES
from .validate import DEFAULT_POLITICAL, MEMBERSHIP_DATES, ParsedRow, Validated

WRITE_BATCH = 2000
AUDIT_CHUNK = 5000
MEMBERSHIP_FIELDS = ("group_id", "status", *MEMBERSHIP_DATES)
_PERSON_DEFAULTS = {f: str(Person._meta.get_field(f).default) for f in ("ethnicity", "employment", "political_status")}


@dataclass
class Plan:
    creates: list[Person] = field(default_factory=list)
    updates: list[tuple[Person, list[str], dict[str, Any]]] = field(default_factory=list)
    membership_creates: list[Membership] = field(default_factory=list)
    membership_updates: list[tuple[Membership, list[str], dict[str, Any]]] = field(default_factory=list)
    membership_ends: list[tuple[Membership, dict[str, Any]]] = field(default_factory=list)
    updated: int = 0
    unchanged: int = 0
    memberships_changed: int = 0

    @property
    def created(self) -> int:
        return len(self.creates)

    @property
    def write_items(self) -> int:
        persons = len(self.creates) + len(self.updates)
        memberships = len(self.membership_creates) + len(self.membership_updates) + len(self.membership_ends)
        return persons + memberships


def make_plan(validated: Validated, today: date) -> Plan:
    plan = Plan()
    for row in validated.rows:
        person = validated.existing.get(row.id_number)
        if person is None:
            person = Person(**{**_PERSON_DEFAULTS, **row.person})
            plan.creates.append(person)
            membership_changed = _plan_membership(plan, row, person, None, today)
            plan.memberships_changed += membership_changed
            continue
        changed = [f for f, value in row.person.items() if getattr(person, f) != value]
        if changed:
            before = audit.snapshot(person)
            for f in changed:
                setattr(person, f, row.person[f])
            plan.updates.append((person, changed, before))
        membership_changed = _plan_membership(plan, row, person, validated.current.get(person.pk), today)
        plan.memberships_changed += membership_changed
        if changed or membership_changed:
            plan.updated += 1
        else:
            plan.unchanged += 1
    return plan


def _plan_membership(plan: Plan, row: ParsedRow, person: Person, current: Membership | None, today: date) -> bool:
    """Decide the membership change of one row; True when anything changes."""
    political = row.person.get("political_status") or person.political_status or DEFAULT_POLITICAL
    status = MEMBER_STATUSES.get(political)
    if status is None or row.branch is None:
        return False  # validation guarantees a non-member has no current membership to end
    target = {"group_id": row.group_id, "status": status, **row.dates}
    if current is not None:
        current.person = person  # cached, so that audit labels need no query
    if current is not None and current.organization_id == row.branch.pk:
        changed = [f for f in MEMBERSHIP_FIELDS if getattr(current, f) != target[f]]
        if not changed:
            return False
        before = audit.snapshot(current)
        for f in changed:
            setattr(current, f, target[f])
        plan.membership_updates.append((current, changed, before))
        return True
    if current is not None:
        before = audit.snapshot(current)
        current.ended_on = today
        current.end_reason = END_REASON
        current.end_cause = EndCause.MOVED  # to another branch of the tree: neither an increase nor a decrease
        plan.membership_ends.append((current, before))
    cause = StartCause.RECORDED if current is None else StartCause.MOVED
    new = Membership(person=person, organization_id=row.branch.pk, started_on=today, start_cause=cause, **target)
    new._roster_label = f"{person.name} @ {row.branch.name}"  # type: ignore[attr-defined]
    plan.membership_creates.append(new)
    return True


def write(plan: Plan, *, tick: Callable[[float], None] | None = None) -> int:
    """Apply the plan inside the caller's transaction; return the number of audit events written.

    ``tick`` receives the finished fraction (0..1) of the writing work, audit events included.
    """
    work = max(2 * plan.write_items, 1)
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if tick is not None:
            tick(min(done / work, 1.0))

    now = timezone.now()
    for batch in _batches(plan.creates):
        Person.objects.bulk_create(batch)
        advance(len(batch))
    _bulk_update(Person, plan.updates, now, advance)
    # End old memberships before starting new ones: one current membership per person is a constraint.
    ends = [(m, ["ended_on", "end_reason", "end_cause"], before) for m, before in plan.membership_ends]
    _bulk_update(Membership, ends, now, advance)
    _bulk_update(Membership, plan.membership_updates, now, advance)
    for membership in plan.membership_creates:
        membership.person_id = membership.person.pk  # persons created above now have their keys
    for batch in _batches(plan.membership_creates):
        Membership.objects.bulk_create(batch)
        advance(len(batch))
    return _audit(plan, advance)


def _batches(items: list, size: int = WRITE_BATCH):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _bulk_update(model, updates: list[tuple[Any, list[str], dict]], now, advance: Callable[[int], None]) -> None:
    """UPDATE ... WHERE id = %s through executemany, one statement per set of changed fields.

    Django's bulk_update builds a CASE WHEN per field and row; for 100,000 changed
    persons that took ~23 s, executemany of a plain UPDATE takes a fraction of it.
    Values go through each field's get_db_prep_save, as the ORM would prepare them.
    """
    by_fields: dict[tuple[str, ...], list[Any]] = defaultdict(list)
    for obj, changed, _ in updates:
        obj.updated_at = now  # auto_now is not applied outside save()
        by_fields[tuple(sorted(set(changed)))].append(obj)
    meta = model._meta
    quote = connection.ops.quote_name
    for names, objs in by_fields.items():
        fields = [meta.get_field(name) for name in names] + [meta.get_field("updated_at")]
        assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
        sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"
        for batch in _batches(objs):
            params = [
                [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] + [obj.pk] for obj in batch
            ]
            with connection.cursor() as cursor:
                cursor.executemany(sql, params)
            advance(len(batch))


def _audit(plan: Plan, advance: Callable[[int], None]) -> int:
    entries: list[dict[str, Any]] = []
    written = 0

    def flush() -> None:
        nonlocal written
        count = audit.record_many(entries)
        written += count
        entries.clear()
        advance(count)

    def add(entry: dict[str, Any]) -> None:
        entries.append(entry)
        if len(entries) >= AUDIT_CHUNK:
            flush()

    for person in plan.creates:
        add({"action": "create", "obj": person, "object_repr": person.name, "after": audit.snapshot(person)})
    for person, _, before in plan.updates:
        add(
            {
                "action": "update",
                "obj": person,
                "object_repr": person.name,
                "before": before,
                "after": audit.snapshot(person),
            }
        )
    for membership, before in plan.membership_ends:
        add(
            {
                "action": "update",
                "obj": membership,
                "object_repr": _membership_repr(membership),
                "before": before,
                "after": audit.snapshot(membership),
                "detail": {"reason": END_REASON},
            }
        )
    for membership, _, before in plan.membership_updates:
        add(
            {
                "action": "update",
                "obj": membership,
                "object_repr": _membership_repr(membership),
                "before": before,
                "after": audit.snapshot(membership),
            }
        )
    for membership in plan.membership_creates:
        add(
            {
                "action": "create",
                "obj": membership,
                "object_repr": _membership_repr(membership),
                "after": audit.snapshot(membership),
            }
        )
    flush()
    return written


def _membership_repr(membership: Membership) -> str:
    # From cached objects only: str(membership) would query person and organisation for every row.
    label = getattr(membership, "_roster_label", None)
    return label or f"{membership.person.name} @ {membership.organization.name}"
