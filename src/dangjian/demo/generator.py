"""The deterministic demo loader: ``generate(scale, seed)`` fills an empty database.

One ``random.Random(seed)`` drives everything and every date is reckoned from one reference day
(``spec.reference_date()``: the day of the build unless told otherwise), so the same seed and day give the
same rows on SQLite and PostgreSQL, and a demo built today is current today. Rows go
in with ``bulk_create`` in one transaction (paths computed in ``treepaths``), which loads the
group scale (150,000 people) in minutes; the load writes one audit event, not one per row.
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from collections.abc import Iterable
from datetime import date
from importlib import import_module
from typing import Any

from django.conf import settings
from django.db import transaction

from dangjian.audit.services import record
from dangjian.orgs.models import CommitteePost, CommitteeTerm, Department, Organization
from dangjian.people.models import Membership, Person

from .accounts import create_demo_accounts
from .committees import CommitteeRows, institute_committees, upper_committee
from .history import generate_history
from .population import InstituteRows, Population
from .scales import SCALES, build_plan
from .spec import Plan, dated
from .treepaths import make_dept, make_org, materialize

BATCH = 2000
# Meeting history is generated for the institute that `make run` shows; benchmarks build their own at scale.
HISTORY_SCALES = {"institute"}
# Each app's own demo rows, loaded after the people and meetings, in this order: transfers end and start
# memberships, and dues are kept for the members as they stand afterwards; the appraisals are confirmed at the
# members' meetings of the history; the business lines and key tasks come before the plan items that serve them;
# the assessment, computed last, reads every app's facts (the plan's completion, the matrix's coverage…).
DEMO_APPS = (
    "dangjian.people.demo",  # first: the roster's past changes, before the apps pick their members
    "dangjian.development.demo",
    "dangjian.transfers.demo",
    "dangjian.dues.demo",
    "dangjian.health.demo",
    "dangjian.care.demo",
    "dangjian.talks.demo",
    "dangjian.appraisal.demo",
    "dangjian.talent.demo",
    "dangjian.integration.demo",
    "dangjian.workplan.demo",
    "dangjian.submissions.demo",
    "dangjian.assessment.demo",
)
# At the academy and group scales (no history, no app demos): lean, proportionate business work, carriers and plans,
# so the integration matrix, the plan facts and their benchmarks have material.
SCALED_APPS = ("dangjian.integration.demo_scaled", "dangjian.workplan.demo_scaled")

__all__ = ["SCALES", "DemoRefused", "db_digest", "generate", "plan_digest"]


class DemoRefused(RuntimeError):
    """The demo must not be loaded here (production mode, or a database that already has data)."""


def generate(scale: str, seed: int = 2026, *, apps: bool = True, on: date | None = None) -> dict[str, int]:
    """Load the demo at ``scale`` into an empty database, dated from ``on`` (today when None); return the row counts.

    ``apps=False`` stops after the people and the meeting history, before each app's own rows (``DEMO_APPS``):
    the population's own tests check what the population generator made.

    Benchmarks import this to build their datasets, so it checks its own preconditions
    rather than relying on the management command.
    """
    if settings.PRODUCTION:
        raise DemoRefused("生产模式下禁止装入演示数据：演示账号使用公开的密码，只可用于演示和测试环境。")
    if scale not in SCALES:
        raise DemoRefused(f"未知的规模：{scale}（可选 {'、'.join(SCALES)}）")
    if Organization.objects.exists() or Department.objects.exists() or Person.all_objects.exists():
        raise DemoRefused("数据库中已有党组织、部门或职工数据，演示数据只能装入空数据库。")
    with dated(on) as day, transaction.atomic():
        sink = _DbSink()
        plan = _run(scale, seed, sink)
        users = create_demo_accounts(plan.org_root.instance)
        counts = {**dict(sorted(sink.counts.items())), "users": len(users)}
        if scale in HISTORY_SCALES:
            counts.update(generate_history(seed))
            for module in DEMO_APPS if apps else ():
                counts.update(import_module(module).generate_demo(seed))
        elif apps:
            for module in SCALED_APPS:
                counts.update(import_module(module).generate_scaled(seed))
        record(
            "import",
            object_type_label="demo",
            object_repr=f"演示数据（{scale}，种子 {seed}，基准日 {day.isoformat()}）",
            detail={"scale": scale, "seed": seed, "reference_date": day.isoformat(), "counts": counts},
        )
    return counts


def plan_digest(scale: str, seed: int = 2026, on: date | None = None) -> str:
    """The digest ``db_digest`` will give after loading this scale, seed and day, computed without a database."""
    sink = _DigestSink()
    with dated(on):
        _run(scale, seed, sink)
    return sink.hash.hexdigest()


def db_digest() -> str:
    """SHA-256 over (name, ID number) of every person in insertion order."""
    rows = Person.all_objects.order_by("id").values_list("name", "id_number").iterator(chunk_size=BATCH)
    return _digest(rows).hexdigest()


def _digest(rows: Iterable[tuple[str, str]], h: Any = None) -> Any:
    h = h or hashlib.sha256()
    for name, number in rows:
        h.update(f"{name}|{number}\n".encode())
    return h


def _run(scale: str, seed: int, sink: _Sink) -> Plan:
    rng = random.Random(seed)
    plan = build_plan(scale, rng)
    orgs = materialize(plan.org_root, 1, make_org)  # the tables are empty: the root is the first root
    depts = materialize(plan.dept_root, 1, make_dept)
    links = [(o.instance, d.instance) for o in plan.org_root.walk() for d in o.departments]
    sink.tree(orgs, depts, links)
    population = Population(rng)
    seniors = {}
    for inst in plan.institutes:
        rows = population.institute(inst)
        sink.people(rows, institute_committees(inst, rows, rng))
        seniors[inst.org] = rows.seniors
    upper = CommitteeRows()
    for node in plan.org_root.walk():
        if node.kind == "committee" and node not in seniors:
            pool = [p for n in node.walk() if n in seniors for p in seniors[n]]
            upper_committee(node, pool, rng, upper)
    sink.committees(upper)
    return plan


class _Sink:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def tree(self, orgs: list[Organization], depts: list[Department], links: list[tuple]) -> None:
        self.counts.update(f"org_{o.kind}" for o in orgs)
        self.counts["organizations"] += len(orgs)
        self.counts["departments"] += len(depts)

    def people(self, rows: InstituteRows, committees: CommitteeRows) -> None:
        self.counts["people"] += len(rows.persons)
        self.counts["retirees"] += sum(1 for p in rows.persons if p.employment == "retired")
        self.counts["memberships"] += len(rows.memberships)
        current = [m for ms in rows.current.values() for m in ms]
        self.counts["members"] += len(current)
        self.counts["probationary"] += sum(1 for m in current if m.status == "probationary")
        self.committees(committees)

    def committees(self, rows: CommitteeRows) -> None:
        self.counts["terms"] += len(rows.terms)
        self.counts["posts"] += len(rows.posts)


class _DigestSink(_Sink):
    def __init__(self) -> None:
        super().__init__()
        self.hash = hashlib.sha256()

    def people(self, rows: InstituteRows, committees: CommitteeRows) -> None:
        super().people(rows, committees)
        _digest(((p.name, p.id_number) for p in rows.persons), self.hash)


class _DbSink(_Sink):
    def tree(self, orgs: list[Organization], depts: list[Department], links: list[tuple]) -> None:
        super().tree(orgs, depts, links)
        Organization.objects.bulk_create(orgs, batch_size=BATCH)
        Department.objects.bulk_create(depts, batch_size=BATCH)
        through = Organization.departments.through
        through.objects.bulk_create(
            [through(organization_id=o.pk, department_id=d.pk) for o, d in links], batch_size=BATCH
        )

    def people(self, rows: InstituteRows, committees: CommitteeRows) -> None:
        Person.objects.bulk_create(rows.persons, batch_size=BATCH)
        Membership.objects.bulk_create(rows.memberships, batch_size=BATCH)
        super().people(rows, committees)

    def committees(self, rows: CommitteeRows) -> None:
        CommitteeTerm.objects.bulk_create(rows.terms, batch_size=BATCH)
        CommitteePost.objects.bulk_create(rows.posts, batch_size=BATCH)
        super().committees(rows)
