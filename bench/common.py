"""What the benchmarks share: a PostgreSQL database of their own, and timing with median and 95th percentile."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit


def prepare_database(admin_url: str, name: str, reuse: bool) -> str:
    """Create (or, with ``reuse``, keep) the database ``name`` next to ``admin_url``; return its URL."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not reuse:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(urlsplit(admin_url)._replace(path="/" + name))


def stats(samples: list[float]) -> tuple[float, float]:
    """Median and 95th percentile (nearest rank)."""
    samples = sorted(samples)
    p95 = samples[max(0, int(round(0.95 * len(samples))) - 1)]
    return statistics.median(samples), p95


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median and p95 in milliseconds of ``runs`` calls of ``fn``."""
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return stats(samples)


def timed_page(client, url: str, runs: int, headers: dict | None = None) -> tuple[float, float, int]:
    """Median and p95 in milliseconds of ``runs`` GETs of ``url``, and the page's query count (first request)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    headers = headers or {}
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    queries = len(ctx.captured_queries)  # now: each later request clears the connection's query log

    def get():
        assert client.get(url, **headers).status_code == 200

    return (*timed(get, runs), queries)
