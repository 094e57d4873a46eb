"""Benchmark: the domain routers' list endpoints at group scale (150,000 people, ~6,000 branches).

Reuses a database loaded by ``bench/pages.py`` (pass its name with --database; never the shared original: copy it
with ``CREATE DATABASE … TEMPLATE …``) and requests each endpoint as the committee office (whole tree) and as a
branch secretary, printing the median and 95th percentile and each request's query count.

    .venv/bin/python bench/api.py --database dangjian_bench_copy
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from common import prepare_database, timed_page

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument("--database", required=True, help="a loaded group-scale database (see bench/pages.py)")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = prepare_database(args.database_url, args.database, reuse=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from dangjian.accounts.models import ApiToken, User
    from dangjian.orgs.models import Organization

    call_command("migrate", verbosity=0)
    office = User.objects.get(username="office")
    secretary = User.objects.get(username="secretary")
    branch = secretary.assignments.first().organization_id
    general = Organization.objects.filter(kind="general_branch").order_by("path")[10]
    year = timezone.localdate().year
    lists = [
        "/api/v1/meetings?limit=50",
        f"/api/v1/meetings?organization={{org}}&date_from={year}-01-01&limit=50",
        f"/api/v1/talks?year={year}&limit=50",
        f"/api/v1/study-hours?year={year}&limit=50",
        "/api/v1/development/cases?limit=50",
        "/api/v1/development/cases?due=overdue&limit=50",
        "/api/v1/dues/ledger?limit=50",
        "/api/v1/dues/payments?limit=50",
        "/api/v1/dues/arrears?limit=50",
        "/api/v1/transfers?limit=50",
        "/api/v1/lost-contacts?limit=50",
        "/api/v1/care/events?limit=50",
        "/api/v1/care/obligations?limit=50",
        "/api/v1/care/hardship?state=open&limit=50",
        f"/api/v1/care/matters?year={year}&limit=50",
        f"/api/v1/appraisals?year={year - 1}&limit=50",
        f"/api/v1/compliance/organizations/{branch}/items?limit=50",
        f"/api/v1/health/aggregates?year={year - 1}",
    ]
    print(f"{'user':10} {'endpoint':62} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for who, user, org in (("office", office, general.pk), ("secretary", secretary, branch)):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}
        for url in (u.replace("{org}", str(org)) for u in lists):
            median, p95, queries = timed_page(Client(), url, args.runs, headers)
            print(f"{who:10} {url:62} {median:10.1f} {p95:8.1f} {queries:8d}")


if __name__ == "__main__":
    main()
