"""Benchmark: the annual in-party statistics (党内统计年报) of a whole tree, and its pages.

Builds (or reuses, with --reuse) a PostgreSQL database with ``dangjian.demo.generator.generate(SCALE)``
(group: ≈150,000 people, ≈6,000 branches; institute: ≈2,000 people). Then times, as the committee office:

1. ``stats.compute.compute`` over the whole tree for the demo's year — every table and the two years compared
   (target at group scale ≤ 10 s; a constant number of queries);
2. through Django's test client (median, 95th percentile, query count): the report page of the top committee,
   drill-down pages (a T2 cell of the whole tree, the T1 increases of the whole tree, a branch's members; target
   ≤ 200 ms), the per-branch summary page and the .xlsx export.

    .venv/bin/python bench/party_stats.py --scale institute
    .venv/bin/python bench/party_stats.py --scale group --reuse     # keep the loaded database between runs
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from common import prepare_database, timed, timed_page

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="an administrative URL of the PostgreSQL server; the benchmark database is created beside it",
    )
    parser.add_argument("--scale", choices=["institute", "academy", "group"], default="group")
    parser.add_argument("--reuse", action="store_true", help="keep an already loaded benchmark database")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of the whole computation")
    parser.add_argument("--page-runs", type=int, default=15)
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = prepare_database(args.database_url, f"dangjian_bench_stats_{args.scale}", args.reuse)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from dangjian.accounts.models import User
    from dangjian.core import context
    from dangjian.demo.generator import generate
    from dangjian.orgs.models import Organization
    from dangjian.people.models import Membership, Person
    from dangjian.stats.compute import compute, subtree_of

    call_command("migrate", verbosity=0)
    if not Organization.objects.exists():
        t0 = time.perf_counter()
        with context.acting(channel="bench"):
            generate(args.scale)
        print(f"loaded the {args.scale}-scale tree in {time.perf_counter() - t0:.1f} s", flush=True)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    year = Membership.objects.order_by("-started_on").values_list("started_on", flat=True).first().year
    print(
        f"{Person.objects.count()} people, {Membership.objects.count()} memberships, "
        f"{Organization.objects.filter(kind='branch').count()} branches; year {year}",
        flush=True,
    )

    with CaptureQueriesContext(connection) as ctx:
        result = compute(subtree_of(None), year)
    b = result.balance
    print(
        f"balance: {b.last_year} + {b.increase_total} − {b.decrease_total} = {b.this_year} "
        f"({'balanced' if b.balanced else f'NOT balanced, {len(b.imbalances)} persons listed'})"
    )
    median, p95 = timed(lambda: compute(subtree_of(None), year), args.runs)
    print(f"whole tree, every table: median {median:.0f} ms, p95 {p95:.0f} ms, {len(ctx.captured_queries)} queries")

    client = Client()
    client.force_login(User.objects.get(username="office"))
    top = Organization.objects.filter(depth=1).order_by("path").first()
    branch = Organization.objects.filter(kind="branch", memberships__ended_on__isnull=True).order_by("path").first()
    pages = {
        "report page (top committee)": reverse("stats:org_report", args=[top.pk, year]),
        "drill-down T2 女 (top committee)": reverse("stats:cell", args=[top.pk, year, "T2", "female", "total"]),
        "drill-down T2 30岁及以下 page 3": reverse("stats:cell", args=[top.pk, year, "T2", "age0", "total"])
        + "?page=3",
        "drill-down T1 本年增加 (top committee)": reverse("stats:cell", args=[top.pk, year, "T1", "increases", "n"]),
        "drill-down T2 党员总数 (one branch)": reverse("stats:cell", args=[branch.pk, year, "T2", "total", "total"]),
        "per-branch summary page": reverse("stats:branches", args=[top.pk, year]),
        "report .xlsx": reverse("stats:export", args=[top.pk, year]),
    }
    for label, url in pages.items():
        runs = args.page_runs if "drill-down" in label else max(3, args.page_runs // 5)
        median, p95, queries = timed_page(client, url, runs)
        print(f"{label}: median {median:.0f} ms, p95 {p95:.0f} ms, {queries} queries", flush=True)


if __name__ == "__main__":
    main()
