"""Benchmark: the annual in-party statistics (党内统计年报) of a whole tree, and its pages.

Builds (or reuses, with --reuse) a PostgreSQL database with ``dangjian.demo.generator.generate(SCALE)``
(group: ≈150,000 people, ≈6,000 branches; institute: ≈2,000 people). The group and academy demos have no meetings,
so T3 (training hours from the meetings attended) would be free: with --meetings the benchmark adds the current
year's organisational life of every branch and party group (``compliance.benchdata.generate_meetings``, ≈130,000
meetings at group scale), an attendance roster of every held one (the organisation's current members, 85 % present:
≈2 million rows) and study records for a third of the members. Then times, as the committee office:

1. ``stats.compute.compute`` over the whole tree for the demo's year — every table and the two years compared,
   the cache emptied before each run (target at group scale ≤ 10 s; a constant number of queries);
2. through Django's test client (median, 95th percentile, query count): the report page of the top committee,
   drill-down pages (T2 cells of the whole tree, T1 lines and T3 lines of the whole tree — the change analysis and
   training figures reused from the cache (``stats.reuse``) —, a branch's members and training; target ≤ 200 ms),
   the per-branch summary page and the .xlsx export; then drill-downs and the report page with the cache emptied
   before each request, as the first request after a change (or the first visit of a cell).

    .venv/bin/python bench/party_stats.py --scale institute
    .venv/bin/python bench/party_stats.py --scale group --reuse     # keep the loaded database between runs
    .venv/bin/python bench/party_stats.py --scale group --db-name dj_stats_group --meetings --reuse
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from common import prepare_database, stats, timed, timed_page

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
    parser.add_argument("--db-name", default="", help="the benchmark database (default dangjian_bench_stats_SCALE)")
    parser.add_argument(
        "--meetings", action="store_true", help="add this year's meetings, their rosters and study records (T3)"
    )
    parser.add_argument("--runs", type=int, default=5, help="timed runs of the whole computation")
    parser.add_argument("--page-runs", type=int, default=15)
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = prepare_database(
        args.database_url, args.db_name or f"dangjian_bench_stats_{args.scale}", args.reuse
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.cache import caches
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
    if args.meetings:
        year_of_meetings()
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

    def uncached():
        caches["shared"].clear()  # the figures reused between requests (stats.reuse) are computed afresh each run
        compute(subtree_of(None), year)

    median, p95 = timed(uncached, args.runs)
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
        "drill-down T1 本年增加 page 20": reverse("stats:cell", args=[top.pk, year, "T1", "increases", "n"])
        + "?page=20",
        "drill-down T1 上年底党员数 page 3": reverse("stats:cell", args=[top.pk, year, "T1", "last_year", "n"])
        + "?page=3",
        "drill-down T3 参加党课 (top committee)": reverse("stats:cell", args=[top.pk, year, "T3", "lecture", "n"]),
        "drill-down T3 参加其他集中学习培训 (top committee)": reverse(
            "stats:cell", args=[top.pk, year, "T3", "study", "n"]
        ),
        "drill-down T2 党员总数 (one branch)": reverse("stats:cell", args=[branch.pk, year, "T2", "total", "total"]),
        "drill-down T3 参加学习培训 (one branch)": reverse("stats:cell", args=[branch.pk, year, "T3", "trained", "n"]),
        "per-branch summary page": reverse("stats:branches", args=[top.pk, year]),
        "report .xlsx": reverse("stats:export", args=[top.pk, year]),
    }
    for label, url in pages.items():
        runs = args.page_runs if "drill-down" in label else max(3, args.page_runs // 5)
        median, p95, queries = timed_page(client, url, runs)
        print(f"{label}: median {median:.0f} ms, p95 {p95:.0f} ms, {queries} queries", flush=True)

    # the first request after a change: the reused figures are not in the cache
    for label in (
        "drill-down T2 女 (top committee)",
        "drill-down T1 上年底党员数 page 3",
        "drill-down T1 本年增加 (top committee)",
        "drill-down T3 参加其他集中学习培训 (top committee)",
        "report page (top committee)",
    ):
        samples = []
        for _ in range(max(3, args.page_runs // 3)):
            caches["shared"].clear()
            t0 = time.perf_counter()
            assert client.get(pages[label]).status_code == 200
            samples.append((time.perf_counter() - t0) * 1000)
        median, p95 = stats(samples)
        print(f"{label}, nothing cached (first request after a change): median {median:.0f} ms, p95 {p95:.0f} ms")


def year_of_meetings() -> None:
    """This year's meetings of every branch and party group, a roster of every held one, and study records."""
    from django.db import connection, transaction
    from django.utils import timezone

    from dangjian.compliance.benchdata import generate_meetings
    from dangjian.meetings.models import Meeting

    if Meeting.all_objects.exists():
        return
    t0 = time.perf_counter()
    today = timezone.localdate()
    with transaction.atomic():  # all or nothing: a rerun finds either no meetings or all of them
        counts = generate_meetings(years=1, today=today)
        attendances, studies = _rosters_and_study(today)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"added {counts['meetings']:,} meetings, {counts['attendances'] + attendances:,} attendances, "
        f"{studies:,} study records in {time.perf_counter() - t0:.1f} s",
        flush=True,
    )


def _rosters_and_study(today) -> tuple[int, int]:
    import random
    from collections import defaultdict
    from datetime import date

    from django.db import connection
    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    from dangjian.meetings.models import Attendance, Meeting
    from dangjian.meetings.models.meeting import HELD_STATUSES
    from dangjian.people.models import Membership
    from dangjian.talks.models import StudyRecord

    rng = random.Random(2026)
    by_org: dict[int, list[int]] = defaultdict(list)
    for org_id, group_id, person_id in Membership.objects.filter(ended_on__isnull=True).values_list(
        "organization_id", "group_id", "person_id"
    ):
        by_org[org_id].append(person_id)
        if group_id:
            by_org[group_id].append(person_id)
    held = (
        Meeting.objects.filter(status__in=HELD_STATUSES, starts_at__year=today.year)
        .filter(~Exists(Attendance.objects.filter(meeting=OuterRef("pk"))))
        .values_list("id", "organization_id")
    )
    meetings = list(held)  # read before the COPY holds the connection
    attendances = 0
    with connection.cursor() as cursor:
        columns = "meeting_id, person_id, expected, voting, status, reason, checked_in_at, via_qr"
        with cursor.cursor.copy(f"COPY {Attendance._meta.db_table} ({columns}) FROM STDIN") as copy:
            for meeting_id, org_id in meetings:
                for person_id in by_org.get(org_id, []):
                    roll = rng.random()
                    status = "present" if roll < 0.85 else "elsewhere" if roll < 0.88 else "excused"
                    copy.write_row((meeting_id, person_id, True, True, status, "", None, False))
                    attendances += 1
        now = timezone.now()
        studies = 0
        members = [p for people in by_org.values() for p in people]
        columns = "created_at, updated_at, person_id, studied_on, title, hours"
        with cursor.cursor.copy(f"COPY {StudyRecord._meta.db_table} ({columns}) FROM STDIN") as copy:
            for person_id in sorted(set(members)):
                if rng.random() < 1 / 3:
                    for _ in range(rng.randint(1, 3)):
                        day = date(today.year, rng.randint(1, today.month), rng.randint(1, 28))
                        copy.write_row((now, now, person_id, min(day, today), "网络培训", rng.choice([2, 4, 8])))
                        studies += 1
    return attendances, studies


if __name__ == "__main__":
    main()
