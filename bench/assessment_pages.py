"""Benchmark: the assessment pages at group scale on PostgreSQL, through Django's test client (issue 14 §6).

Uses a copy of the group-scale database that ``bench/pages.py`` builds (``dangjian demo --scale group``: ≈6,000
branches; the apps' own demo rows are loaded at institute scale only). On first use it adds what the institute demo
has, over every branch of the group: the shipped indicator system, last year's and this year's cycles computed,
and the people's part as ``assessment.demo_manual`` writes it (last year's reviewed, signed off and published,
this year's in review). Then it requests each page ``--runs`` times as the committee office (whole tree) and as a
branch secretary, and prints the median and 95th percentile and the page's query count. Target: ≤200 ms p95 with
a constant number of queries.

Measured 2026-12-06 (5,942 branches; 30 requests each; quiet machine): every page ≤131 ms p95 — results page 1
50/67 ms (median/p95, 27 queries), page 40 52/70, in review 51/68, a unit's result 30/35, API 50 units 74/106,
secretary's unit 29/32 and API 21/25, self-assessment overview 42/47, reviewer's queue 122/131 (the office reviewing
all 77,246 items), disputes 104/121, objections 30/34, 抓两头促中间 72/84. These read the kept ranking; the first
request after a write computes it: results page 328 ms median (max 542), in review 349 ms (max 653).

    psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE dangjian_bench_ap TEMPLATE dangjian_bench_group'
    .venv/bin/python bench/assessment_pages.py --database-url postgresql://postgres@127.0.0.1:5432/dangjian_bench_ap
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from common import timed_page

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 200.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/dangjian_bench_group"),
    )
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from dangjian.accounts.models import User
    from dangjian.assessment.models import AssessmentCycle, CycleStatus, CycleUnit

    setup_test_environment()
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    published = AssessmentCycle.objects.filter(status=CycleStatus.PUBLISHED).order_by("-year").first()
    review = AssessmentCycle.objects.filter(status=CycleStatus.REVIEW).order_by("-year").first()
    if published is None or review is None:
        published, review = prepare()
    units = CycleUnit.objects.filter(cycle=published).count()
    office = User.objects.get(username="office")
    secretary = User.objects.get(username="secretary")
    branch = secretary.assignments.first().organization_id
    print(f"{units:,} units in the published cycle; {CycleUnit.objects.filter(cycle=review).count():,} in review")

    pages = [
        ("office", "results (ranking), page 1", reverse("assessment:cycle", args=[published.pk])),
        ("office", "results (ranking), page 40", reverse("assessment:cycle", args=[published.pk]) + "?page=40"),
        ("office", "results in review, page 1", reverse("assessment:cycle", args=[review.pk])),
        ("office", "a unit's result", reverse("assessment:cycle_unit", args=[published.pk, branch])),
        ("office", "API results, 50 units", f"/api/v1/assessment/cycles/{published.pk}/results?limit=50"),
        ("secretary", "own unit's result", reverse("assessment:cycle_unit", args=[published.pk, branch])),
        ("secretary", "API results (own unit)", f"/api/v1/assessment/cycles/{published.pk}/results"),
    ]
    pages += extra_pages(published, review, branch)
    clients = {}
    for name, user in (("office", office), ("secretary", secretary)):
        clients[name] = Client()
        clients[name].force_login(user)
    from dangjian.accounts.models import ApiToken

    tokens = {
        name: {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}
        for name, user in (("office", office), ("secretary", secretary))
    }
    over = []
    print(f"{'as':<10} {'page':<36} {'median':>8} {'p95':>8} {'queries':>8}")
    for who, label, url in pages:
        headers = tokens[who] if url.startswith("/api/") else None
        median, p95, queries = timed_page(clients[who], url, args.runs, headers)
        print(f"{who:<10} {label:<36} {median:>6.0f}ms {p95:>6.0f}ms {queries:>8}")
        if p95 > TARGET_MS:
            over.append(label)
    print("all within" if not over else f"OVER the target: {', '.join(over)}", f"{TARGET_MS:.0f} ms p95")


def prepare():
    """Two cycles over every branch of the group, as the institute demo has them (a few minutes, once)."""
    import random
    import time
    from datetime import date

    from django.db import transaction
    from django.utils import timezone

    from dangjian.accounts.models import User
    from dangjian.assessment import cycles, demo_manual
    from dangjian.assessment.models import AssessmentCycle
    from dangjian.assessment.services import install_default
    from dangjian.core import context
    from dangjian.orgs.models import Organization, OrgKind

    t0 = time.perf_counter()
    office = User.objects.get(username="office")
    branches = list(Organization.objects.filter(kind=OrgKind.BRANCH, dissolved_on__isnull=True).order_by("path"))
    this = timezone.localdate().year
    made = []
    with context.acting(office, channel="cli"):
        system, _created = install_default(office)
        for year in (this - 1, this):
            cycle = cycles.open_cycle(
                office,
                system_id=system.pk,
                year=year,
                half=None,
                title=f"{year}年度党支部党建工作责任制考核（基准）",
                unit_ids=[b.pk for b in branches],
                self_deadline=date(year + 1, 1, 15),
                review_deadline=date(year + 1, 1, 31),
            )
            cycles.compute(cycle, office)
            made.append(AssessmentCycle.objects.select_related("system").get(pk=cycle.pk))
        with transaction.atomic():
            counts = demo_manual.generate(random.Random(7), made[0], made[1], branches, office)
    print(f"prepared in {time.perf_counter() - t0:.0f} s: {counts}")
    return AssessmentCycle.objects.get(pk=made[0].pk), AssessmentCycle.objects.get(pk=made[1].pk)


def extra_pages(published, review, branch) -> list[tuple[str, str, str]]:
    """The review, self-assessment, objection and two-ends pages, where this code has them."""
    from django.urls import NoReverseMatch, reverse

    wanted = [
        ("office", "self-assessment overview", "assessment:self_overview", [review.pk]),
        ("office", "reviewer's queue", "assessment:review_queue", [review.pk]),
        ("office", "disputes", "assessment:review_disputes", [review.pk]),
        ("office", "objections", "assessment:objection_list", [published.pk]),
        ("office", "two ends (抓两头促中间)", "assessment:two_ends", [published.pk]),
        ("secretary", "own self-assessment", "assessment:self_unit", [review.pk, branch]),
    ]
    out = []
    for who, label, name, args in wanted:
        try:
            out.append((who, label, reverse(name, args=args)))
        except NoReverseMatch:
            print(f"(no page {name} in this code)")
    return out


if __name__ == "__main__":
    main()
