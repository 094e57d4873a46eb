"""A job whose worker is killed mid-run (kill -9) is retried by the next worker, or failed with its reason.

Real worker processes (``dangjian worker``) against the test database: on PostgreSQL the test database itself; on
SQLite (in memory for tests) a file copy of it, which the workers share and which is copied back to be read.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from dangjian.accounts.models import User
from dangjian.jobs import services as jobs
from dangjian.jobs.models import Job

from . import handlers

STALE = 3  # seconds without a heartbeat before the reaper takes a job over


def _dangjian() -> str:
    return shutil.which("dangjian", path=str(Path(sys.executable).parent)) or "dangjian"


class SharedDatabase:
    """The test database as a subprocess can open it."""

    def __init__(self, tmp_path: Path):
        self.sqlite = connection.vendor == "sqlite"
        if self.sqlite:
            self.file = tmp_path / "shared.sqlite3"
            target = sqlite3.connect(self.file)
            connection.ensure_connection()
            connection.connection.backup(target)
            target.close()
            self.url = f"sqlite:///{self.file}"
        else:
            s = connection.settings_dict
            self.url = (
                f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"
            )

    def status(self, job_id) -> tuple[str, int]:
        if self.sqlite:
            with sqlite3.connect(self.file, timeout=20) as db:
                row = db.execute("SELECT status, attempts FROM jobs_job WHERE id = ?", (job_id.hex,)).fetchone()
            return row[0], row[1]
        job = Job.objects.get(pk=job_id)
        return job.status, job.attempts

    def read_back(self) -> None:
        """The workers' writes, into the test database (SQLite); PostgreSQL's are there already."""
        if self.sqlite:
            source = sqlite3.connect(self.file)
            source.backup(connection.connection)
            source.close()


def _env(db: SharedDatabase, tmp_path: Path) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": db.url,
        "DANGJIAN_VAR": str(tmp_path / "var"),
        "DANGJIAN_TASKS_INLINE": "0",
        "DANGJIAN_JOBS_HEARTBEAT_SECONDS": "1",
        "DANGJIAN_JOBS_STALE_SECONDS": str(STALE),
        "DANGJIAN_JOBS_REAP_SECONDS": "1",
    }


def _worker(env, *extra) -> subprocess.Popen:
    return subprocess.Popen(
        [_dangjian(), "worker", "--interval", "0.1", "--no-startup-delay", "--verbosity", "0", *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _until(check, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def _kill_while_running(db: SharedDatabase, env, *jobs_: Job) -> None:
    """One worker per job, started together; each takes one job (SKIP LOCKED); all are killed mid-run."""
    workers = [_worker(env) for _ in jobs_]
    try:
        _until(lambda: all(db.status(job.pk)[0] == "running" for job in jobs_))
    finally:
        for worker in workers:
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_job_killed_mid_run_is_retried_or_failed_with_its_reason(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_INLINE = False
    owner = User.objects.create_user("worker-test")
    once = jobs.start("test.block", handlers.block_first_attempt, owner)  # must not run twice
    retried = jobs.start("test.block", handlers.block_first_attempt, owner, retry=True)
    db = SharedDatabase(tmp_path)
    env = _env(db, tmp_path)

    # Two workers take the two jobs and are killed while they run.
    _kill_while_running(db, env, once, retried)
    # A new worker's reaper (every second here) finds both heartbeats stale: the job that may not run twice fails
    # with its reason; the other is queued again, and the worker runs it to the end (its second attempt).
    finisher = _worker(env)
    try:
        _until(lambda: db.status(retried.pk) == ("done", 2))
    finally:
        finisher.terminate()  # a worker between jobs stops at once
        finisher.wait(timeout=30)
    assert db.status(once.pk) == ("failed", 1)

    db.read_back()
    once.refresh_from_db()
    retried.refresh_from_db()
    assert once.status == "failed" and "处理进程中断" in once.error and "已尝试 1 次" in once.error
    assert retried.status == "done" and retried.attempts == 2 and not retried.error
    # Its progress went through the worker's heartbeat thread and was written before the job ended.
    assert (retried.done, retried.total, retried.message) == (1, 1, "finished")
