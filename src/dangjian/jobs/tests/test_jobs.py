"""The job model, the runner and the reaper (stale heartbeat → retried or failed with the reason)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.jobs import services as jobs
from dangjian.jobs.models import Job
from dangjian.jobs.reaper import reap

from . import handlers

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return User.objects.create_user("owner")


@pytest.fixture
def database_backend(settings):
    """Jobs queued for a worker, as in a deployment (tests otherwise run them at once)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_INLINE = False


def _running(job: Job, *, beat_seconds_ago: int, attempts: int) -> Job:
    beat = timezone.now() - timedelta(seconds=beat_seconds_ago)
    Job.objects.filter(pk=job.pk).update(status="running", heartbeat_at=beat, started_at=beat, attempts=attempts)
    job.refresh_from_db()
    return job


def test_a_job_runs_at_once_in_tests_and_records_its_progress(owner):
    job = jobs.start("test.count", handlers.count, owner, url="/somewhere/")
    assert (job.status, job.done, job.total, job.percent, job.attempts) == ("done", 3, 3, 100, 1)
    assert job.finished and job.started_at and job.finished_at and job.task_result_id and job.url == "/somewhere/"


def test_a_failing_job_ends_failed_with_its_reason_and_the_caller_sees_the_error(owner):
    with pytest.raises(KeyError):
        jobs.start("test.broken", handlers.broken, owner)
    job = Job.objects.get()
    assert job.status == "failed" and job.error == "处理失败：KeyError" and job.finished


def test_progress_is_a_heartbeat(owner, database_backend):
    job = _running(jobs.start("test.count", handlers.count, owner), beat_seconds_ago=600, attempts=1)
    job.progress(5, 10, "第 5 行")
    job.refresh_from_db()
    assert (job.done, job.total, job.percent, job.message) == (5, 10, 50, "第 5 行")
    assert timezone.now() - job.heartbeat_at < timedelta(seconds=5)
    assert reap().failed == [] and reap().retried == []


# A worker closes a connection left inside a transaction (close_old_connections): it needs committed data.
@pytest.mark.django_db(transaction=True)
def test_the_reaper_retries_a_stale_retryable_job(owner, database_backend, settings):
    from django_tasks_db.models import DBTaskResult

    job = jobs.start("test.count", handlers.count, owner, retry=True)
    first_task = job.task_result_id
    DBTaskResult.objects.filter(pk=first_task).update(status="RUNNING")
    _running(job, beat_seconds_ago=settings.JOBS_STALE_SECONDS + 1, attempts=1)
    reaped = reap()
    job.refresh_from_db()
    assert [j.pk for j in reaped.retried] == [job.pk] and reaped.failed == []
    assert job.status == "pending" and job.task_result_id != first_task and "重新排队" in job.message
    # The dead attempt's task is closed; the new one waits for a worker, which runs it.
    assert DBTaskResult.objects.get(pk=first_task).status == "FAILED"
    assert DBTaskResult.objects.get(pk=job.task_result_id).status == "READY"
    call_command("worker", batch=True, startup_delay=False, interval=0, verbosity=0, stdout=io.StringIO())
    job.refresh_from_db()
    assert (job.status, job.attempts, job.percent) == ("done", 2, 100)


def test_the_reaper_fails_a_stale_job_out_of_attempts_with_the_reason_and_tells_its_domain(
    owner, database_backend, settings
):
    handlers.LOST.clear()
    job = jobs.start("test.count", handlers.count, owner, retry=True)
    _running(job, beat_seconds_ago=settings.JOBS_STALE_SECONDS + 1, attempts=settings.JOBS_MAX_ATTEMPTS)
    out = io.StringIO()
    call_command("reap_jobs", stdout=out)
    job.refresh_from_db()
    reason = (
        f"处理进程中断（超过{settings.JOBS_STALE_SECONDS}秒无心跳），已尝试 {settings.JOBS_MAX_ATTEMPTS} 次仍未完成"
    )
    assert job.status == "failed" and job.error == reason and job.finished_at
    assert [(job.pk, reason)] == handlers.LOST
    assert "标记失败 1 个" in out.getvalue()


def test_a_job_that_may_not_run_twice_is_failed_after_one_lost_attempt(owner, database_backend, settings):
    job = jobs.start("test.count", handlers.count, owner)  # no retry
    _running(job, beat_seconds_ago=settings.JOBS_STALE_SECONDS + 1, attempts=1)
    assert [j.pk for j in reap().failed] == [job.pk]


def test_a_live_job_and_a_waiting_job_are_left_alone(owner, database_backend, settings):
    waiting = jobs.start("test.count", handlers.count, owner, retry=True)
    live = _running(jobs.start("test.count", handlers.count, owner, retry=True), beat_seconds_ago=1, attempts=1)
    reaped = reap()
    assert reaped.retried == [] and reaped.failed == []
    assert Job.objects.get(pk=waiting.pk).status == "pending" and Job.objects.get(pk=live.pk).status == "running"


def test_a_job_given_up_is_not_run_by_a_late_worker(owner, database_backend, settings):
    job = jobs.start("test.count", handlers.count, owner)
    Job.objects.filter(pk=job.pk).update(status="failed", error="x")
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and job.done == 0 and job.attempts == 0


def test_a_job_whose_worker_died_between_taking_the_task_and_starting_it_is_queued_again(
    owner, database_backend, settings
):
    from django_tasks_db.models import DBTaskResult

    job = jobs.start("test.count", handlers.count, owner, retry=True)
    long_ago = timezone.now() - timedelta(seconds=settings.JOBS_STALE_SECONDS + 1)
    Job.objects.filter(pk=job.pk).update(created_at=long_ago)
    DBTaskResult.objects.filter(pk=job.task_result_id).update(status="RUNNING", started_at=long_ago)
    assert [j.pk for j in reap().retried] == [job.pk]
    job.refresh_from_db()
    assert job.status == "pending" and job.attempts == 1
    assert DBTaskResult.objects.get(pk=job.task_result_id).status == "READY"


def test_reaping_is_audited(owner, database_backend, settings):
    from dangjian.audit.models import AuditEvent

    job = jobs.start("test.count", handlers.count, owner)
    _running(job, beat_seconds_ago=settings.JOBS_STALE_SECONDS + 1, attempts=1)
    reap()
    event = AuditEvent.objects.get(object_type="jobs.job")
    assert event.detail == {"kind": "test.count", "lost": "failed", "attempts": 1} and event.channel == "system"


@pytest.mark.django_db(transaction=True)  # the worker closes the database connection when it ends
def test_a_worker_run_inside_a_process_gives_the_process_its_signal_handlers_back(database_backend):
    # db_worker installs handlers that turn SIGTERM into SystemExit; left behind, a later SIGTERM to the
    # process that ran a batch (a test run, a script) would exit it from inside whatever it was doing
    import signal

    def mine(signum, frame):  # pragma: no cover - never called
        pass

    before = signal.signal(signal.SIGTERM, mine)
    try:
        call_command("worker", batch=True, startup_delay=False, interval=0, verbosity=0, stdout=io.StringIO())
        assert signal.getsignal(signal.SIGTERM) is mine
    finally:
        signal.signal(signal.SIGTERM, before)
