"""Scoring in worker processes gives exactly what scoring here gives, and a run stores the same results."""

from __future__ import annotations

import base64

import pytest

from dangjian.core import context
from dangjian.crypto import KeyRing, ring
from dangjian.health import batch, runs
from dangjian.health.data import checkup_rows
from dangjian.health.models import ScreeningResult, ScreeningRun
from dangjian.testing import make_member

from .screen_data import HIGH, LOW, MEDIUM, screen

pytestmark = pytest.mark.django_db(transaction=True)  # the worker processes must not see uncommitted rows
YEAR = 2026


def _people(world, n=9):
    t = world["t"]
    kinds = (LOW, MEDIUM, HIGH)
    people = []
    for i in range(n):
        p = make_member(t.branch1 if i % 2 else t.branch2, f"批{i}", department=t.dept1 if i % 2 else t.dept2)
        screen(p, YEAR, kinds[i % 3], world["ho_all"])
        people.append(p)
    return people


@pytest.fixture
def workers(monkeypatch):
    """Worker processes for any number of rows, even on a one-CPU machine."""
    monkeypatch.setattr(batch, "PARALLEL_FROM", 0)
    monkeypatch.setattr(batch, "worker_count", lambda: 2)


def test_workers_score_exactly_as_this_process_does(world, workers, monkeypatch):
    _people(world)
    rows = checkup_rows(YEAR)
    here, tally = batch.result_rows(rows, 7, YEAR, ring())
    monkeypatch.setattr(batch, "CHUNK", 4)  # several chunks, results must come back in order
    with batch.Scorer(ring(), parallel=True) as scorer:
        assert scorer.pool is not None
        there = list(scorer.rows(rows, 7, YEAR))
    assert there == here and len(here) == 9
    assert scorer.tally.counts() == tally.counts() and tally.counts()["people"] == 9


def test_a_run_stores_the_same_results_in_parallel(world, monkeypatch):
    _people(world)
    ho = world["ho_all"]
    with context.acting(ho):
        runs.start_run(ho, YEAR)
    fields = ("person_id", "cvd_percent", "cvd_category", "gastric_points", "apcs_points", "missing")
    sequential = list(ScreeningResult.objects.order_by("person_id").values_list(*fields))
    monkeypatch.setattr(batch, "PARALLEL_FROM", 0)
    monkeypatch.setattr(batch, "worker_count", lambda: 2)
    with context.acting(ho):
        run = runs.start_run(ho, YEAR)
    run.refresh_from_db()
    assert run.status == "done", run.error
    parallel = list(ScreeningResult.objects.order_by("person_id").values_list(*fields))
    assert parallel == sequential and len(parallel) == 9


def test_a_worker_without_the_right_key_fails_the_run_visibly(world, workers, settings):
    _people(world, n=3)
    rows = checkup_rows(YEAR)
    with batch.Scorer(KeyRing([bytes(32)]), parallel=True) as scorer, pytest.raises(Exception, match="密钥"):
        assert scorer.pool is not None
        list(scorer.rows(rows, 7, YEAR))
    ho = world["ho_all"]
    # Another key configured: the workers fail; the run must not stay "running".
    settings.DANGJIAN_HEALTH_KEY = base64.b64encode(bytes(32)).decode()
    with context.acting(ho), pytest.raises(Exception, match="密钥"):
        runs.start_run(ho, YEAR)
    run = ScreeningRun.objects.get(started_by=ho, year=YEAR)
    assert run.status == "failed" and run.error.startswith("筛查失败")
    assert not ScreeningResult.objects.exists()
