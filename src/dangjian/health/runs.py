"""Screening runs: score a year for everyone in the runner's scope with consent and a checkup, store the results.

``start_run`` records the run and hands the work to a background job (``dangjian.jobs``: a worker process runs it;
inline in tests);
``execute`` does it: one query reads the year's consented checkups (``data.checkup_rows``), ``batch`` decrypts
and scores them (in worker processes for a large run), the people's earlier results for that year are replaced
in one transaction, and the run keeps its counts (never values). A person whose consent was withdrawn is not read, so a
new run drops their result (PIPL art. 15). The run is audited with its counts.

A run is all-or-nothing (one transaction), so a run whose worker died is retried by the reaper, and failed with
the reason once its attempts are spent (``_lost``): never left "running".
"""

from __future__ import annotations

import logging
from itertools import islice

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.models import User
from dangjian.audit.services import record
from dangjian.crypto import ring
from dangjian.jobs import services as jobs
from dangjian.people.models import Person

from . import batch
from .data import checkup_rows
from .locks import lock_year
from .models import Checkup, RunStatus, ScreeningResult, ScreeningRun
from .services import VALUES, check_year

logger = logging.getLogger(__name__)

BATCH = 5000
ANALYZE_FROM = 10_000
KIND = "health.screening"


class RunExpired(Exception):
    """The run was marked failed (stale) before it finished; its transaction is rolled back."""


def start_run(user, year: int) -> ScreeningRun:
    year = check_year(year, timezone.localdate())
    with transaction.atomic():
        # A double submit waits here, then sees the run. NO KEY: a plain FOR UPDATE would conflict with the
        # foreign-key check of an audit event this user's other transaction commits (deadlock, seen in review).
        User.objects.select_for_update(no_key=True).filter(pk=user.pk).first()
        if ScreeningRun.objects.filter(started_by=user, year=year, status=RunStatus.RUNNING).exists():
            raise ValidationError(_("您发起的%(year)s年度筛查正在进行，请等待完成") % {"year": year})
        run = ScreeningRun.objects.create(year=year, started_by=user, scope_label=_scope_label(user))
        run.job = jobs.create(KIND, run_screening, user, retry=True)
        run.save(update_fields=["job"])
        jobs.update_url(run.job, reverse("health:run", args=[run.pk]))
        record("create", run, detail={"year": year, "status": run.status}, object_repr=str(run))
    jobs.enqueue(run.job)
    run.refresh_from_db()
    return run


def _lost(job, reason: str) -> None:
    """The reaper gave the run up (its worker died, attempts spent): it ends failed with the reason."""
    for run in ScreeningRun.objects.filter(job=job, status=RunStatus.RUNNING):
        ScreeningRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
            status=RunStatus.FAILED, error=reason, finished_at=timezone.now()
        )
        record("update", run, detail={"year": run.year, "failed": "lost"}, object_repr=str(run))


def _scope_label(user) -> str:
    """The organisations of the runner's health-officer assignments, as the run page shows them."""
    from dangjian.accounts.roles import ROLE_PERMISSIONS
    from dangjian.accounts.scope import assignments_of

    names = [str(a.organization) for a in assignments_of(user) if VALUES in ROLE_PERMISSIONS.get(a.role, ())]
    return "、".join(dict.fromkeys(n for n in names if n))[:200]


@jobs.job_handler(on_lost=_lost)
def run_screening(job) -> None:
    run = ScreeningRun.objects.select_related("started_by", "job").get(job=job)
    try:
        execute(run)
    except Exception as exc:  # the run must end visibly rather than stay "running"
        ScreeningRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
            status=RunStatus.FAILED, error=f"筛查失败：{exc.__class__.__name__}", finished_at=timezone.now()
        )
        record("update", run, detail={"year": run.year, "failed": exc.__class__.__name__}, object_repr=str(run))
        raise


def execute(run: ScreeningRun) -> ScreeningRun:
    people = Person.objects.visible_to(run.started_by, VALUES)
    checkups = Checkup.objects.filter(year=run.year, person__in=people).count()
    large = checkups >= batch.PARALLEL_FROM
    if run.job is not None:  # the run page shows how many checkups are being scored
        run.job.progress(0, checkups, _("正在评分 %(n)s 份体检结果") % {"n": checkups})
    with batch.Scorer(ring(), parallel=large) as scorer, transaction.atomic():  # workers warm up meanwhile
        lock_year(run.year)
        rows = checkup_rows(run.year, people)  # after the lock: no withdrawal slips in between
        results = scorer.rows(rows, run.pk, run.year)  # workers start scoring now
        # Every earlier result of the year for people in scope goes, including those who withdrew consent.
        ScreeningResult.objects.filter(year=run.year, person__in=people).delete()
        # Stored as they are scored, so that PostgreSQL writes while the workers score.
        _insert(results)
        run.status = RunStatus.DONE
        run.finished_at = timezone.now()
        run.counts = scorer.tally.counts()
        # unless marked failed meanwhile (by the reaper: its worker presumed dead): then its results roll back too
        if not ScreeningRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
            status=run.status, finished_at=run.finished_at, counts=run.counts
        ):
            raise RunExpired(f"screening run {run.pk} was marked failed while running")
        record("update", run, detail={"year": run.year, "counts": run.counts}, object_repr=str(run))
    if connection.vendor == "postgresql" and run.counts["people"] >= ANALYZE_FROM:
        # A large run replaces most of the table: refresh the planner's statistics now rather than when
        # autovacuum next passes, or the queue page plans for the old table until then (seen: 0.2 s → 0.6 s).
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {ScreeningResult._meta.db_table}")
        except DatabaseError:  # the run is committed and done; statistics will follow with autovacuum
            logger.warning("ANALYZE after screening run %s failed", run.pk, exc_info=True)
    return run


def _insert(rows) -> None:
    """Rows in ``batch.COLUMNS`` order, from any iterable. PostgreSQL: one COPY (150,000 model instances through
    bulk_create take ~10 s, COPY about one); other databases: executemany in batches."""
    table = ScreeningResult._meta.db_table
    columns = ", ".join(connection.ops.quote_name(c) for c in batch.COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(batch.COLUMNS))
        rows = iter(rows)
        chunk = list(islice(rows, BATCH))
        while chunk:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", chunk)
            chunk = list(islice(rows, BATCH))
