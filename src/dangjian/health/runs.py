"""Screening runs: score a year for everyone in the runner's scope with consent and a checkup, store the results.

``start_run`` records the run and hands the work to a background job (``core.tasks``; inline in tests);
``execute`` does it: one query reads and decrypts the year's consented checkups (``data.inputs_for_year``), the
models score each person (``screening.score``), the people's earlier results for that year are replaced in one
transaction, and the run keeps its counts (never values). A person whose consent was withdrawn is not read, so a
new run drops their result (PIPL art. 15). The run is audited with its counts.
"""

from __future__ import annotations

import json
from collections import Counter
from itertools import islice

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from dangjian.audit.services import record
from dangjian.core import context
from dangjian.core.tasks import run_in_background
from dangjian.people.models import Person

from .data import inputs_for_year
from .models import RunStatus, ScreeningResult, ScreeningRun
from .screening import MODELS, Scored, score
from .services import VALUES, check_year

BATCH = 5000
ANALYZE_FROM = 10_000
LOCK_NAMESPACE = 0x4A48  # pg_advisory_xact_lock(namespace, year): screening runs of a year


def start_run(user, year: int) -> ScreeningRun:
    year = check_year(year, timezone.localdate())
    if ScreeningRun.objects.filter(started_by=user, year=year, status=RunStatus.RUNNING).exists():
        raise ValidationError(f"您发起的{year}年度筛查正在进行，请等待完成")
    run = ScreeningRun.objects.create(year=year, started_by=user, scope_label=_scope_label(user))
    ctx = context.current()
    run_in_background(_execute_job, run.pk, ctx.request_id, ctx.ip)
    return run


def _scope_label(user) -> str:
    """The organisations of the runner's health-officer assignments, as the run page shows them."""
    from dangjian.accounts.roles import ROLE_PERMISSIONS
    from dangjian.accounts.scope import assignments_of

    names = [str(a.organization) for a in assignments_of(user) if VALUES in ROLE_PERMISSIONS.get(a.role, ())]
    return "、".join(dict.fromkeys(n for n in names if n))[:200]


def _execute_job(run_id: int, request_id: str, ip: str) -> None:
    run = ScreeningRun.objects.select_related("started_by").get(pk=run_id)
    with context.acting(run.started_by, channel="web", ip=ip, request_id=request_id):
        try:
            execute(run)
        except Exception as exc:  # the run must end visibly rather than stay "running"
            ScreeningRun.objects.filter(pk=run_id).update(
                status=RunStatus.FAILED, error=f"筛查失败：{exc.__class__.__name__}", finished_at=timezone.now()
            )
            record("update", run, detail={"year": run.year, "failed": exc.__class__.__name__}, object_repr=str(run))
            raise


def execute(run: ScreeningRun) -> ScreeningRun:
    people = Person.objects.visible_to(run.started_by, VALUES)
    inputs = inputs_for_year(run.year, people=people)
    tally = _Tally()
    with transaction.atomic():
        _lock_year(run.year)
        # Every earlier result of the year for people in scope goes, including those who withdrew consent.
        ScreeningResult.objects.filter(year=run.year, person__in=people).delete()
        # Scored lazily while the rows stream to the database, so that PostgreSQL stores them on one core while
        # Python scores on the other.
        _insert(tally.rows(run, inputs))
        run.status = RunStatus.DONE
        run.finished_at = timezone.now()
        run.counts = tally.counts()
        run.save(update_fields=["status", "finished_at", "counts"])
        record("create", run, detail={"year": run.year, "counts": run.counts}, object_repr=str(run))
    if connection.vendor == "postgresql" and tally.people >= ANALYZE_FROM:
        # A large run replaces most of the table: refresh the planner's statistics now rather than when
        # autovacuum next passes, or the queue page plans for the old table until then (seen: 0.2 s → 0.6 s).
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {ScreeningResult._meta.db_table}")
    return run


def _lock_year(year: int) -> None:
    """Two officers with overlapping scopes running the same year take turns (the later one's results stand)
    instead of the second failing on the one-result-per-person-year constraint. SQLite serialises writers anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, year])


class _Tally:
    """Scores inputs into result rows and counts what a run page shows: scored per model, missing fields."""

    def __init__(self):
        self.people = self.follow_up = 0
        self.unscored: Counter = Counter()
        self.missing: dict[str, Counter] = {m: Counter() for m in MODELS}

    def rows(self, run: ScreeningRun, inputs):
        for inp in inputs:
            s = score(inp)
            for model, fields in s.missing.items():
                self.missing[model].update(fields)
                self.unscored[model] += 1
            self.people += 1
            self.follow_up += s.follow_up_needed
            yield (run.pk, inp.person_id, run.year, inp.age, *s[:-1], json.dumps(s.missing) if s.missing else "{}")

    def counts(self) -> dict:
        scored = {m: self.people - self.unscored[m] for m in MODELS}
        missing = {m: dict(c) for m, c in self.missing.items() if c}
        return {"people": self.people, "follow_up": self.follow_up, **scored, "missing": missing}


COLUMNS = ("run_id", "person_id", "year", "age", *Scored._fields)


def _insert(rows) -> None:
    """Rows in ``COLUMNS`` order, from any iterable. PostgreSQL: one COPY (150,000 model instances through
    bulk_create take ~10 s, COPY about one); other databases: executemany in batches."""
    table = ScreeningResult._meta.db_table
    columns = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(COLUMNS))
        batch = list(islice(rows, BATCH))
        while batch:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", batch)
            batch = list(islice(rows, BATCH))
