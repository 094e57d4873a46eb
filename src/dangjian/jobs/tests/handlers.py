"""Job handlers for the tests: one that blocks on its first attempt, as a job does when its worker is killed."""

from __future__ import annotations

import time

from dangjian.jobs.services import job_handler

LOST = []


def _lost(job, reason: str) -> None:
    LOST.append((job.pk, reason))


@job_handler(on_lost=_lost)
def block_first_attempt(job) -> None:
    job.progress(0, 1, "started")
    if job.attempts == 1:
        time.sleep(600)  # killed here
    job.progress(1, 1, "finished")


@job_handler(on_lost=_lost)
def count(job) -> None:
    for done in range(1, 4):
        job.progress(done, 3)


def broken(job) -> None:
    raise KeyError("bug")
