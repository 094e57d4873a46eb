"""The reaper: a job whose heartbeat stopped is retried or failed with its reason, never left "running".

django-tasks' database backend marks a task running when a worker claims it and never looks at it again; a worker
killed mid-job (a restart, an out-of-memory kill, a machine lost) leaves it so for ever. Every worker runs
``reap`` when it starts and every ``JOBS_REAP_SECONDS`` after (``dangjian worker``); ``dangjian reap-jobs`` runs
it once. Several reapers at once are safe: each job is taken over by one conditional update.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .models import Job

logger = logging.getLogger(__name__)


@dataclass
class Reaped:
    retried: list = field(default_factory=list)
    failed: list = field(default_factory=list)


def lost_reason(job: Job, stale_seconds: int) -> str:
    return _("处理进程中断（超过%(s)s秒无心跳），已尝试 %(n)s 次仍未完成") % {"s": stale_seconds, "n": job.attempts}


def reap(now=None) -> Reaped:
    now = now or timezone.now()
    stale_seconds = settings.JOBS_STALE_SECONDS
    cutoff = now - timedelta(seconds=stale_seconds)
    out = Reaped()
    for job in Job.objects.filter(status=Job.Status.RUNNING, heartbeat_at__lt=cutoff).select_related("owner"):
        with transaction.atomic():
            # Only the reaper whose update finds the job still stale takes it over.
            if job.attempts < job.max_attempts:
                taken = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, heartbeat_at=job.heartbeat_at).update(
                    status=Job.Status.PENDING,
                    message=_("处理进程中断，已重新排队（第 %(n)s 次）") % {"n": job.attempts},
                )
                if not taken:
                    continue
                _close_task_result(job)
                from .services import enqueue

                enqueue(job)
                out.retried.append(job)
            else:
                reason = lost_reason(job, stale_seconds)
                taken = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, heartbeat_at=job.heartbeat_at).update(
                    status=Job.Status.FAILED, error=reason, finished_at=now
                )
                if not taken:
                    continue
                _close_task_result(job)
                job.status, job.error = Job.Status.FAILED, reason
                on_lost = getattr(_handler(job), "on_lost", None)
                if on_lost is not None:
                    on_lost(job, reason)
                out.failed.append(job)
        logger.warning(
            "job %s (%s) lost its worker: %s", job.pk, job.kind, "retried" if job in out.retried else "failed"
        )
    return out


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
