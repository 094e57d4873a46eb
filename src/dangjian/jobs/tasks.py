"""The one django-tasks task: run a ``Job`` row. Every job goes through it, so the queue holds only a job id."""

from __future__ import annotations

from django_tasks import task


@task()
def run_job(job_id: str) -> None:
    from .services import run

    run(job_id)
