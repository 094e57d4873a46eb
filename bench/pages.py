"""Benchmark: the member list and organisation pages at group scale (150,000 people, ~6,000 branches).

Builds (or reuses, with --reuse) a PostgreSQL database loaded with ``dangjian demo --scale group``, then
requests each page many times through Django's test client as the committee office (whole tree) and as
a branch secretary, printing the median and 95th percentile and each page's query count.

    .venv/bin/python bench/pages.py --database-url postgresql://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from common import prepare_database, timed_page

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "dangjian_bench_group"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument("--name", default=DB_NAME, help="the benchmark database's name")
    parser.add_argument("--reuse", action="store_true", help="keep an already loaded benchmark database")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = prepare_database(args.database_url, args.name, args.reuse)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from dangjian.accounts.models import User
    from dangjian.demo.generator import generate
    from dangjian.orgs.models import Organization
    from dangjian.people.models import Person

    call_command("migrate", verbosity=0)
    if not Organization.objects.exists():
        t0 = time.perf_counter()
        generate("group")
        print(f"loaded group scale in {time.perf_counter() - t0:.1f} s")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    people = Person.objects.count()
    branches = Organization.objects.filter(kind="branch").count()
    print(f"database: {people} people, {branches} branches")

    root = Organization.objects.filter(depth=1).first()
    branch = Organization.objects.filter(kind="branch").order_by("path")[branches // 2]
    general = Organization.objects.filter(kind="general_branch").order_by("path")[10]
    office = User.objects.get(username="office")
    secretary = User.objects.get(username="secretary")
    cases = [
        ("office", "/"),
        ("office", "/people/"),
        ("office", "/people/?page=1000"),
        ("office", f"/people/?org={general.pk}"),
        ("office", "/people/?status=member&age=40s&sort=-age"),
        ("office", "/people/?q=王"),
        ("office", f"/orgs/{root.pk}/"),
        ("office", f"/orgs/{general.pk}/"),
        ("office", f"/orgs/{branch.pk}/"),
        ("office", "/orgs/"),
        ("office", "/orgs/departments/"),
        ("office", "/api/v1/persons?limit=50"),
        ("office", "/api/v1/persons?limit=50&offset=100000"),
        ("office", "/api/v1/memberships?limit=50"),
        ("office", "/api/v1/organizations?kind=branch&limit=50"),
        ("secretary", "/"),
        ("secretary", "/people/"),
        ("secretary", f"/orgs/{secretary.assignments.first().organization_id}/"),
    ]
    clients = {}
    for who, user in (("office", office), ("secretary", secretary)):
        c = Client()
        c.force_login(user)
        clients[who] = c
    print(f"{'user':10} {'page':45} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    from dangjian.accounts.models import ApiToken

    tokens = {
        who: {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(u)}"}
        for who, u in (("office", office), ("secretary", secretary))
    }
    for who, url in cases:
        headers = tokens[who] if url.startswith("/api/") else {}
        median, p95, queries = timed_page(clients[who], url, args.runs, headers)
        print(f"{who:10} {url:45} {median:10.1f} {p95:8.1f} {queries:8d}")


if __name__ == "__main__":
    main()
