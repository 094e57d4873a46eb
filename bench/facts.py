"""Benchmark: every registered fact provider for the whole group tree for one year, on PostgreSQL.

Uses a copy of the group-scale database (≈150,000 people, ≈6,000 branches; ``bench/pages.py`` builds it), migrated
to this code, and adds five years of meetings with ``compliance.benchdata.generate_meetings`` when it has none, as
``bench/compliance_matrix.py`` does. Then computes each provider for every organisation of the tree for the year,
``--runs`` times, and prints per provider the median and slowest time and the query count, and the total of the
medians. Target: the total ≤ 3 s.

    psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE dangjian_bench_facts TEMPLATE dangjian_bench_group'
    .venv/bin/python bench/facts.py --database-url postgresql://postgres@127.0.0.1:5432/dangjian_bench_facts
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 3.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_FACTS_URL", "postgresql://postgres@127.0.0.1:5432/dangjian_bench_facts"),
        help="the benchmark database (a copy of the group-scale one; it is migrated and may get meetings added)",
    )
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each provider")
    parser.add_argument("--year", type=int, default=0, help="the year (default: the year before today)")
    parser.add_argument("--meeting-years", type=int, default=5, help="years of meetings to add when there are none")
    parser.add_argument("--org", type=int, default=0, help="only this organisation's subtree (default: the whole tree)")
    parser.add_argument("--only", default="", help="only the providers whose name contains this (e.g. compliance)")
    parser.add_argument("--dump", default="", help="write each provider's values, one per line, into this folder")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from dangjian.compliance import engine
    from dangjian.compliance.benchdata import generate_meetings
    from dangjian.core.contributions import Period, fact_providers
    from dangjian.meetings.models import Meeting
    from dangjian.orgs.models import Organization

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    if not Meeting.all_objects.exists():
        t0 = time.perf_counter()
        counts = generate_meetings(years=args.meeting_years, today=today)
        print(
            f"generated {counts['meetings']:,} meetings, {counts['attendances']:,} attendances "
            f"in {time.perf_counter() - t0:.1f} s",
            flush=True,
        )
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # as autovacuum would after the load: index-only scans need it
    year = args.year or today.year - 1
    period = Period.year(year)
    orgs = Organization.objects.order_by("path")
    if args.org:
        orgs = orgs.subtree(Organization.objects.get(pk=args.org))
    orgs = list(orgs)
    people = connection.cursor()
    people.execute("SELECT count(*) FROM people_person")
    print(f"{len(orgs):,} organisations, {people.fetchone()[0]:,} people; year {year}; {args.runs} runs", flush=True)
    # "python cpu": this process's CPU time (Python, not the database's), which other load on the machine
    # inflates far less than the wall-clock figures
    # "checksum": a digest of every value the provider returned (value, breakdown, inputs, evidence link), so that
    # a change meant only to be faster visibly keeps the figures
    print(
        f"{'provider':<28} {'facts':>5} {'median ms':>10} {'max ms':>8} {'queries':>8} {'python cpu':>12} "
        f"{'checksum':>14}"
    )
    total = total_cpu = 0.0
    for app, provider in fact_providers():
        name = f"{app}.{type(provider).__name__}"
        if args.only and args.only not in name:
            continue
        samples, cpu = [], []
        queries = 0
        for run in range(args.runs):
            with CaptureQueriesContext(connection) as ctx:
                t0, c0 = time.perf_counter(), time.process_time()
                values = list(provider.compute(orgs, period))
                samples.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
            if run == 0:
                queries = len(ctx.captured_queries)
                assert len(values) == len(orgs) * len(provider.definitions), name
                lines = canonical(values)
                digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()[:14]
                if args.dump:
                    Path(args.dump).mkdir(parents=True, exist_ok=True)
                    (Path(args.dump) / f"{name}.txt").write_text("\n".join(lines) + "\n")
        median, cpu_median = statistics.median(samples), statistics.median(cpu)
        total += median
        total_cpu += cpu_median
        facts = len(provider.definitions)
        print(
            f"{name:<28} {facts:>5} {median:>10.0f} {max(samples):>8.0f} {queries:>8} {cpu_median:>12.0f} {digest:>14}",
            flush=True,
        )
    verdict = "within" if total <= TARGET_S * 1000 else "OVER"
    print(f"{'total':<28} {'':>5} {total:>10.0f} {'':>8} {'':>8} {total_cpu:>12.0f}")
    print(f"total {total / 1000:.2f} s: {verdict} the {TARGET_S:.0f} s target")
    # for reading the figures: the compliance engine's own whole-tree matrix, which compliance.rate is built on
    if not args.only or args.only in "compliance.ComplianceFacts":
        samples = []
        for _run in range(args.runs):
            t0 = time.perf_counter()
            engine.compute(Organization.objects.filter(pk__in=[o.pk for o in orgs]), [year], today)
            samples.append((time.perf_counter() - t0) * 1000)
        print(f"{'(of which compliance engine)':<28} {'':>5} {statistics.median(samples):>10.0f} {max(samples):>8.0f}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_catalog.current_setting('jit'), (SELECT count(*) FROM pg_stat_activity)")
        jit, sessions = cursor.fetchone()
    print(f"PostgreSQL jit={jit}, {sessions} server sessions; load average {os.getloadavg()[0]:.1f}")


def canonical(values) -> list[str]:
    """Each value as one sorted-key JSON line, the lines sorted: the same figures give the same text."""

    def default(obj):
        return f"{type(obj).__name__}:{obj}"  # Decimal, date, lazy text: the type stays visible

    return sorted(
        json.dumps(
            [v.key, v.organization_id, v.value, v.breakdown, v.inputs, v.evidence_url],
            sort_keys=True,
            default=default,
            ensure_ascii=False,
        )
        for v in values
    )


if __name__ == "__main__":
    main()
