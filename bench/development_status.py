"""Benchmark: the status of every open development case of a group-scale tree, and the pages over them.

Builds (or reuses, with --reuse) a PostgreSQL database with ``dangjian.demo.generator.generate("group")``
(≈150,000 people, ≈6,000 branches) plus about 10,000 development cases spread over the stages and steps by
``dangjian.development.synth`` (schedules inside the rule windows, a third of them stalled, some blocked).
Then times, as the committee office:

1. ``development.bulk.bulk_status`` over every open case (target ≤ 1 s; at most three queries whatever the
   count);
2. the funnel page of the whole tree, the overdue and due-soon lists, the case list and the .xlsx export
   of everyone in progress, through Django's test client (median, 95th percentile, query count).

    .venv/bin/python bench/development_status.py --database-url postgresql://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/development_status.py --reuse      # keep the loaded database between runs
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from common import prepare_database, stats, timed_page

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "dangjian_bench_dev"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="an administrative URL of the PostgreSQL server; the benchmark database is created beside it",
    )
    parser.add_argument("--reuse", action="store_true", help="keep an already loaded benchmark database")
    parser.add_argument("--cases", type=int, default=14000, help="cases to build (about 10,000 stay open)")
    parser.add_argument("--runs", type=int, default=9, help="timed runs of the bulk status")
    parser.add_argument("--page-runs", type=int, default=15)
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = prepare_database(args.database_url, DB_NAME, args.reuse)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from dangjian.accounts.models import User
    from dangjian.core import context
    from dangjian.demo.generator import generate
    from dangjian.development.bulk import bulk_status
    from dangjian.development.models import CaseStatus, Development, StepRecord
    from dangjian.development.synth import Plan, build, gather
    from dangjian.orgs.models import Organization

    call_command("migrate", verbosity=0)
    if not Organization.objects.exists():
        t0 = time.perf_counter()
        with context.acting(channel="bench"):
            generate("group")
        print(f"loaded the group-scale tree in {time.perf_counter() - t0:.1f} s", flush=True)
    today = timezone.localdate()
    office = User.objects.get(username="office")
    if not Development.all_objects.exists():
        t0 = time.perf_counter()
        candidates, members = gather(Organization.objects.all())
        counts = build(Plan(args.cases, today, override_one=True), candidates, members, office, seed=2026)
        print(f"built {counts} in {time.perf_counter() - t0:.1f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    open_cases = Development.objects.filter(status=CaseStatus.OPEN)
    n_open = open_cases.count()
    by_stage = dict(open_cases.order_by().values_list("stage").annotate(n=Count("id")))
    print(
        f"database: {Organization.objects.filter(kind='branch').count():,} branches, "
        f"{Development.objects.count():,} cases ({n_open:,} open: {by_stage}), "
        f"{StepRecord.objects.count():,} step records; today {today}"
    )

    # 1. bulk status of every open case
    with CaptureQueriesContext(connection) as ctx:
        states = bulk_status(open_cases, today)
    spread: dict[str, int] = {}
    for state in states.values():
        spread[state.status] = spread.get(state.status, 0) + 1
    print(f"bulk_status: {len(states):,} cases in {len(ctx.captured_queries)} queries; statuses {spread}")
    samples, cpu = [], []
    for _ in range(args.runs):
        t0, c0 = time.perf_counter(), time.process_time()
        bulk_status(open_cases, today)
        samples.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    median, p95 = stats(samples)
    print(
        f"{'bulk_status, every open case':40} median {median:.3f} s  p95 {p95:.3f} s  "
        f"(Python CPU median {statistics.median(cpu):.3f} s; the rest is PostgreSQL)  "
        f"target ≤ 1 s {'met' if p95 <= 1 else 'MISSED'}"
    )

    # 2. pages as the committee office
    client = Client()
    client.force_login(office)
    root = Organization.objects.filter(depth=1).order_by("path").first()
    general = Organization.objects.filter(kind="general_branch").order_by("path")[10]
    cases = [
        "/development/funnel/",
        f"/development/funnel/?org={root.pk}",
        f"/development/funnel/?org={general.pk}",
        "/development/overdue/",
        "/development/overdue/?page=20",
        "/development/due/",
        "/development/",
        "/development/?stage=candidate&status=open",
    ]
    print(f"\n{'page (office)':45} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for url in cases:
        median, p95, queries = timed_page(client, url, args.page_runs)
        print(f"{url:45} {median:10.1f} {p95:8.1f} {queries:8d}")
    median, p95, queries = timed_page(client, "/development/export.xlsx", 3)
    print(f"{'/development/export.xlsx (all open)':45} {median:10.1f} {p95:8.1f} {queries:8d}")


if __name__ == "__main__":
    main()
