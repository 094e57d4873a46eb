"""The reaper: a job whose heartbeat stopped is retried or failed with its reason, never left "running".

django-tasks' database backend marks a task running when a worker claims it and never looks at it again; a worker
killed mid-job (a restart, an out-of-memory kill, a machine lost) leaves it so for ever. Every worker runs
``reap`` when it starts and every ``JOBS_REAP_SECONDS`` after (``dangjian worker``); ``dangjian reap-jobs`` runs
it once. Several reapers at once are safe: each job is taken over by one conditional update.

Two ways a job is lost: it is running and its heartbeat is older than ``JOBS_STALE_SECONDS``; or it is still
pending while its queued task was claimed (or ended) that long ago -- the worker died between taking the task and
starting the job, or the task failed before it could start it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from dangjian.audit.services import record
from dangjian.core import context

from .models import Job

logger = logging.getLogger(__name__)
# Pending jobs looked at per round: a queue longer than this is looked at over several rounds.
PENDING_BATCH = 1000


@dataclass
class Reaped:
    retried: list = field(default_factory=list)
    failed: list = field(default_factory=list)


def lost_reason(job: Job, stale_seconds: int) -> str:
    return _("处理进程中断（超过%(s)s秒无心跳），已尝试 %(n)s 次仍未完成") % {"s": stale_seconds, "n": job.attempts}


def reap(now=None) -> Reaped:
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.JOBS_STALE_SECONDS)
    out = Reaped()
    with context.acting(None, channel="system"):
        stale = Job.objects.filter(status=Job.Status.RUNNING, heartbeat_at__lt=cutoff)
        for job in stale.select_related("owner"):
            _take_over(job, Q(status=Job.Status.RUNNING, heartbeat_at=job.heartbeat_at), now, out)
        for job in _claimed_but_not_started(cutoff):
            # The lost claim counts as an attempt: a task that always dies before the job starts ends failed.
            Job.objects.filter(pk=job.pk, status=Job.Status.PENDING).update(attempts=F("attempts") + 1)
            job.attempts += 1
            _take_over(job, Q(status=Job.Status.PENDING, task_result_id=job.task_result_id), now, out)
    return out


def _take_over(job: Job, still: Q, now, out: Reaped) -> None:
    """Retry or fail ``job`` if it is still as the reaper found it (``still``); another reaper may have been first."""
    with transaction.atomic():
        if job.attempts < job.max_attempts:
            message = _("处理进程中断，已重新排队（第 %(n)s 次）") % {"n": job.attempts}
            if not Job.objects.filter(still, pk=job.pk).update(status=Job.Status.PENDING, message=message):
                return
            _close_task_result(job)
            from .services import enqueue

            enqueue(job)
            out.retried.append(job)
            outcome = "retried"
        else:
            reason = lost_reason(job, settings.JOBS_STALE_SECONDS)
            if not Job.objects.filter(still, pk=job.pk).update(status=Job.Status.FAILED, error=reason, finished_at=now):
                return
            _close_task_result(job)
            job.status, job.error = Job.Status.FAILED, reason
            on_lost = getattr(_handler(job), "on_lost", None)
            if on_lost is not None:
                on_lost(job, reason)
            out.failed.append(job)
            outcome = "failed"
        record(
            "update", job, detail={"kind": job.kind, "lost": outcome, "attempts": job.attempts}, object_repr=str(job)
        )
    logger.warning("job %s (%s) lost its worker: %s", job.pk, job.kind, outcome)


def _claimed_but_not_started(cutoff) -> list[Job]:
    if "django_tasks_db" not in settings.INSTALLED_APPS:
        return []
    from django_tasks_db.models import DBTaskResult

    pending = list(
        Job.objects.filter(status=Job.Status.PENDING, created_at__lt=cutoff)
        .exclude(task_result_id="")
        .select_related("owner")[:PENDING_BATCH]
    )
    if not pending:
        return []
    gone = DBTaskResult.objects.filter(pk__in=[j.task_result_id for j in pending]).exclude(status="READY")
    gone = gone.filter(Q(started_at__lt=cutoff) | Q(started_at__isnull=True, finished_at__lt=cutoff))
    lost = {str(pk) for pk in gone.values_list("pk", flat=True)}
    return [j for j in pending if j.task_result_id in lost]


def _handler(job: Job):
    try:
        return import_string(job.handler)
    except ImportError:
        return None


def _close_task_result(job: Job) -> None:
    """The database backend's row of the dead attempt stays "running" otherwise."""
    if not job.task_result_id or "django_tasks_db" not in settings.INSTALLED_APPS:
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(pk=job.task_result_id, status="RUNNING").update(
        status="FAILED",
        finished_at=timezone.now(),
        exception_class_path="dangjian.jobs.reaper.WorkerLost",
        traceback="worker lost (no heartbeat)",
    )
