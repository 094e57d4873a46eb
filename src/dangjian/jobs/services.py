"""Starting and running jobs.

``start`` records a ``Job`` and enqueues it on the configured django-tasks backend: the database backend in a
deployment (a worker process, ``dangjian worker``, runs it, on this machine or another sharing the database), the
immediate backend in tests (it runs before ``start`` returns). A job enqueued inside a transaction is committed
with it, so a worker never sees a job whose rows are not there yet.

``run`` is what the worker executes: it claims the job (pending → running, one more attempt), beats a heartbeat
from a side thread while the handler works (progress updates beat too), and records the end. A handler is a
function ``handler(job)`` named by its dotted path; ``job_handler(on_lost=...)`` names what to do to the domain row
when the reaper gives the job up.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from dangjian.core import context

from .models import Job

logger = logging.getLogger(__name__)
# Inline (tests): the exception of the job just run, re-raised by ``enqueue`` to its caller.
_raised: ContextVar[tuple | None] = ContextVar("dangjian_job_raised", default=None)


def job_handler(*, on_lost: Callable[[Job, str], None] | None = None):
    """Mark a function as a job handler; ``on_lost(job, reason)`` updates its domain row when the job is failed
    by the reaper (its process died and it will not be retried)."""

    def wrap(func):
        func.on_lost = on_lost
        return func

    return wrap


def handler_path(func) -> str:
    return f"{func.__module__}.{func.__qualname__}"


def start(kind: str, handler, owner, **options) -> Job:
    """Record a job and enqueue it at once (a job whose domain row must link to it first: ``create``, link,
    ``enqueue``)."""
    job = create(kind, handler, owner, **options)
    enqueue(job)
    return job


def create(
    kind: str,
    handler,
    owner,
    *,
    organization=None,
    url: str = "",
    retry: bool = False,
    total: int = 0,
    params: dict | None = None,
) -> Job:
    """Record a job, not yet enqueued. ``retry``: the job is all-or-nothing (one transaction), so running it again
    after its worker died is safe; it then gets ``JOBS_MAX_ATTEMPTS`` attempts."""
    ctx = context.current()
    job = Job.objects.create(
        kind=kind,
        handler=handler if isinstance(handler, str) else handler_path(handler),
        owner=owner,
        organization=organization,
        url=url,
        total=total,
        params=params or {},
        request_id=ctx.request_id,
        ip=ctx.ip,
        max_attempts=settings.JOBS_MAX_ATTEMPTS if retry else 1,
    )
    return job


def update_url(job: Job, url: str) -> None:
    """The job's page, once the domain row it shows exists."""
    job.url = url
    Job.objects.filter(pk=job.pk).update(url=url)


def enqueue(job: Job) -> None:
    from .tasks import run_job

    result = run_job.enqueue(str(job.pk))
    # The immediate backend has run the job by now: keep the finished row's fields, add only the task's id.
    Job.objects.filter(pk=job.pk).update(task_result_id=str(result.id))
    job.refresh_from_db()
    raised = _raised.get()
    if raised is not None and raised[0] == job.pk:
        # Run inline (tests): the backend recorded the error in its result; the caller sees it, as with a call.
        _raised.set(None)
        raise raised[1]


def run(job_id) -> None:
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.PENDING).update(
        status=Job.Status.RUNNING, started_at=now, heartbeat_at=now, attempts=F("attempts") + 1
    )
    if not claimed:  # finished, or given up by the reaper meanwhile: nothing to do
        return
    job = Job.objects.select_related("owner").get(pk=job_id)
    func = import_string(job.handler)
    beat = Heartbeat(job.pk) if settings.JOBS_HEARTBEAT_SECONDS > 0 else None
    try:
        try:
            with context.acting(job.owner, channel="web", ip=job.ip, request_id=job.request_id or None):
                func(job)
        finally:
            if beat is not None:
                beat.stop()  # its last progress is written while the job still counts as running
    except BaseException as exc:  # a bug, or MemoryError, must still end the job visibly
        reason = _("处理失败：%(error)s") % {"error": exc.__class__.__name__}
        Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
            status=Job.Status.FAILED, error=reason, finished_at=timezone.now()
        )
        if settings.TASKS_INLINE:
            _raised.set((job.pk, exc))
        raise
    else:
        Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
            status=Job.Status.DONE, finished_at=timezone.now()
        )


def fail(job: Job, reason: str) -> None:
    """End a job as failed with ``reason`` (a handler's own refusal, e.g. a bad file)."""
    job.status, job.error = Job.Status.FAILED, reason
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, error=reason, finished_at=timezone.now())


class Heartbeat:
    """Beats ``heartbeat_at`` from a thread, on its own database connection, while the job runs in this process: a
    handler busy in one long query or transaction still shows it is alive, and its progress reaches the page while
    the handler's own transaction is open (progress written by the handler's connection would show only at its
    commit). When the process dies, the beats stop."""

    FLUSH_SECONDS = 1.0  # how often progress reaches the page (it polls every 1-2 s)

    def __init__(self, job_id):
        self.job_id = job_id
        self.pending: dict | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"heartbeat-{job_id}", daemon=True)
        _beating[str(job_id)] = self
        self._thread.start()

    def progress(self, fields: dict) -> None:
        with self._lock:
            self.pending = fields

    def _loop(self) -> None:
        last_beat = time.monotonic()
        try:
            while True:
                stopping = self._stop.wait(min(self.FLUSH_SECONDS, settings.JOBS_HEARTBEAT_SECONDS))
                with self._lock:
                    fields, self.pending = self.pending, None
                if fields or time.monotonic() - last_beat >= settings.JOBS_HEARTBEAT_SECONDS:
                    self._write(fields or {})
                    last_beat = time.monotonic()
                if stopping:
                    return
        finally:
            connection.close()

    def _write(self, fields: dict) -> None:
        try:
            Job.objects.filter(pk=self.job_id, status=Job.Status.RUNNING).update(**fields, heartbeat_at=timezone.now())
        except DatabaseError:  # e.g. SQLite's one writer busy with the job's own transaction: the next beat will do
            logger.warning("heartbeat of job %s not recorded", self.job_id, exc_info=True)
            close_old_connections()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)
        _beating.pop(str(self.job_id), None)


# Jobs running in this process with a heartbeat thread, by id: their progress goes through it.
_beating: dict[str, Heartbeat] = {}


def record_progress(job: Job, fields: dict) -> None:
    beat = _beating.get(str(job.pk))
    if beat is not None:
        beat.progress(fields)
    else:
        Job.objects.filter(pk=job.pk).update(**fields, heartbeat_at=timezone.now())


def forget(finished) -> int:
    """Remove finished jobs (a queryset of ``Job``) with their rows in the task queue: for kinds whose result lives
    elsewhere (a cache) and whose rows would otherwise pile up. Only finished ones, whatever the queryset says."""
    from django_tasks_db.models import DBTaskResult

    finished = finished.filter(status__in=(Job.Status.DONE, Job.Status.FAILED))
    tasks = [t for t in finished.values_list("task_result_id", flat=True) if _is_task_id(t)]
    DBTaskResult.objects.filter(pk__in=tasks).delete()
    return finished.delete()[0]


def _is_task_id(text: str) -> bool:
    """The database backend's ids are UUIDs; the immediate backend's (tests) are not, and have no queue row."""
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True
