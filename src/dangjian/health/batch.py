"""Decrypting and scoring checkup rows in batches, in this process or in worker processes.

A screening run of 150,000 people must take at most 5 s (issue 5). Decrypting and scoring are pure Python and
hold the GIL (~25 µs a person), so a large run spreads them over worker processes (``spawn``: no fork of a
threaded web server), while this process reads the rows and streams the results into the database. Workers get
the field keys once, through the pool's initializer (a pipe; they never touch disk; where the keys come from the
environment, they also inherit that environment, as any child process of the server would), and import nothing
that needs Django settings: only this module, ``dangjian.crypto.sealing``, ``payload``, ``screening`` and
``people.idcard``.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import date

from dangjian.crypto.sealing import KeyRing
from dangjian.people.idcard import full_years

from .payload import context, decode_with_gaps
from .screening import MODELS, Scored, ScreeningInput, score

PARALLEL_FROM = 20_000  # below this a pool's start-up (~0.5 s) costs more than it saves
CHUNK = 2_000
MAX_WORKERS = 4
# A run of 150,000 people scores in seconds; workers still busy after this are stuck: the run fails (and its
# transaction, which holds the year's lock, ends) instead of blocking consent withdrawals for that year.
TIMEOUT_SECONDS = 600


def decrypt_inputs(rows, year: int, using: KeyRing) -> list[ScreeningInput]:
    """``data.checkup_rows`` tuples decrypted into inputs (age on the checkup date)."""
    return [
        ScreeningInput(
            person_id,
            sex,
            full_years(birth, checked_on),
            checked_on,
            decode_with_gaps(using.decrypt_json(blob, context(person_id, year), key_id)),
        )
        for person_id, sex, birth, key_id, blob, checked_on in rows
    ]


# The columns of a stored result, in the order ``result_rows`` builds them (``runs._insert`` copies them as they
# are). The questionnaire flag and the FIT result are checkup answers, not scores: they stay in the checkup.
COLUMNS = (
    "run_id",
    "person_id",
    "year",
    "age",
    "cvd_percent",
    "cvd_category",
    "cvd_outside_derivation",
    "gastric_points",
    "gastric_category",
    "apcs_points",
    "apcs_category",
    "colonoscopy_referral",
    "follow_up_needed",
    "missing",
)


class Tally:
    """What a run page shows: people scored, scored per model, the missing fields with counts. Mergeable."""

    def __init__(self):
        self.people = self.follow_up = 0
        self.unscored: Counter = Counter()
        self.missing: dict[str, Counter] = {m: Counter() for m in MODELS}

    def add(self, s: Scored) -> None:
        for model, fields in s.missing.items():
            self.missing[model].update(fields)
            self.unscored[model] += 1
        self.people += 1
        self.follow_up += s.follow_up_needed

    def merge(self, other: Tally) -> None:
        self.people += other.people
        self.follow_up += other.follow_up
        self.unscored.update(other.unscored)
        for model, c in other.missing.items():
            self.missing[model].update(c)

    def counts(self) -> dict:
        scored = {m: self.people - self.unscored[m] for m in MODELS}
        missing = {m: dict(c) for m, c in self.missing.items() if c}
        return {"people": self.people, "follow_up": self.follow_up, **scored, "missing": missing}


def result_rows(rows, run_id: int, year: int, using: KeyRing) -> tuple[list[tuple], Tally]:
    """``data.checkup_rows`` → result rows in ``COLUMNS`` order (plain values: cheap to send between processes)."""
    tally = Tally()
    out = []
    for i in decrypt_inputs(rows, year, using):
        s = score(i)
        tally.add(s)
        out.append(
            (
                run_id,
                i.person_id,
                year,
                i.age,
                s.cvd_percent,
                s.cvd_category,
                s.cvd_outside_derivation,
                s.gastric_points,
                s.gastric_category,
                s.apcs_points,
                s.apcs_category,
                s.colonoscopy_referral,
                s.follow_up_needed,
                json.dumps(s.missing) if s.missing else "{}",
            )
        )
    return out, tally


_worker_ring: KeyRing | None = None


def _init_worker(keys: tuple[bytes, ...], algorithm: str) -> None:
    global _worker_ring
    _worker_ring = KeyRing(list(keys), algorithm)


def _score_chunk(run_id: int, year: int, rows: list[tuple]) -> tuple[list[tuple], Tally]:
    """In a worker: rows as ``_portable`` made them."""
    day = date.fromordinal
    rows = [(p, sex, day(birth), key_id, blob, day(on)) for p, sex, birth, key_id, blob, on in rows]
    return result_rows(rows, run_id, year, _worker_ring)


def _portable(rows) -> list[tuple]:
    """Dates as ordinals and bytea as bytes: a memoryview does not pickle, and ints pickle ~5× faster than dates."""
    return [
        (p, sex, birth.toordinal(), key_id, bytes(blob), on.toordinal()) for p, sex, birth, key_id, blob, on in rows
    ]


def worker_count() -> int:
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(MAX_WORKERS, cpus))


class Scorer:
    """Scores rows; with ``parallel``, in a pool started at once so that it warms up while the caller reads."""

    def __init__(self, ring: KeyRing, *, parallel: bool):
        self.ring = ring
        self.pool = None
        self.tally = Tally()
        if parallel and worker_count() > 1:
            ctx = multiprocessing.get_context("spawn")
            self.pool = ProcessPoolExecutor(
                worker_count(), mp_context=ctx, initializer=_init_worker, initargs=ring.portable()
            )
            try:
                for _ in range(worker_count()):
                    self.pool.submit(_score_chunk, 0, 0, [])
            except BaseException:  # e.g. a process could not be started: leave no worker behind
                self.pool.shutdown(wait=True, cancel_futures=True)
                raise

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def rows(self, rows: list[tuple], run_id: int, year: int) -> Iterator[tuple]:
        """Result rows in ``COLUMNS`` order, chunk by chunk as they are ready; ``self.tally`` counts them. In
        parallel the chunks are handed to the workers now, so the caller can do other work while they score."""
        if self.pool is None or len(rows) < PARALLEL_FROM:
            return self._here(rows, run_id, year)
        chunks = [_portable(rows[i : i + CHUNK]) for i in range(0, len(rows), CHUNK)]
        n = len(chunks)
        parts = self.pool.map(_score_chunk, [run_id] * n, [year] * n, chunks, timeout=TIMEOUT_SECONDS)
        return self._collect(parts)

    def _here(self, rows, run_id: int, year: int) -> Iterator[tuple]:
        out, tally = result_rows(rows, run_id, year, self.ring)
        self.tally.merge(tally)
        yield from out

    def _collect(self, parts) -> Iterator[tuple]:
        for out, tally in parts:
            self.tally.merge(tally)
            yield from out
