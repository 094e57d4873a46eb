"""Benchmark: the home page of the committee office, a branch secretary and a member at group scale.

Runs on an already loaded group-scale PostgreSQL database (``bench/pages.py`` builds one; copy it with
``CREATE DATABASE … TEMPLATE …`` rather than timing against a database someone else is using). For each user
it prints the median and 95th percentile of ``GET /`` and the page's query count; with ``--parts`` also the
time and queries of each app's home contribution (summary figures and home items), to see which one to
optimise. ``--src`` times another checkout of the code (e.g. the commit before a change) on the same data.

    .venv/bin/python bench/home.py --database-url postgresql://postgres@127.0.0.1:5432/dangjian_bench_group
    .venv/bin/python bench/home.py --database-url … --src /tmp/before/src     # the code before, same data
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from common import timed, timed_page

ROOT = Path(__file__).resolve().parent.parent
USERS = ("office", "secretary", "member")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True, help="a loaded group-scale database (not rebuilt)")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--src", default=str(ROOT / "src"), help="the source tree to time")
    parser.add_argument("--parts", action="store_true", help="time each app's home contribution too")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    sys.path.insert(0, args.src)
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    import dangjian
    from dangjian.accounts.models import User
    from dangjian.orgs.models import Organization
    from dangjian.people.models import Person

    print(f"code: {Path(dangjian.__file__).parent}")
    people, branches = Person.objects.count(), Organization.objects.filter(kind="branch").count()
    print(f"database: {people} people, {branches} branches")
    print(f"{'user':10} {'page':30} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for username in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        client = Client()
        client.force_login(user)
        median, p95, queries = timed_page(client, "/", args.runs)
        print(f"{username:10} {'/':30} {median:10.1f} {p95:8.1f} {queries:8d}")
    if not args.parts:
        return
    from dangjian.core.contributions import contributions

    today = timezone.localdate()
    for username in USERS:
        for c in contributions():
            for part in ("summary", "home_items"):
                fn = getattr(c, part, None)
                if fn is None:
                    continue

                def call(fn=fn, username=username):
                    # a fresh user each time: role assignments and scopes are cached on the user, as per request
                    return fn(User.objects.get(username=username), today)

                with CaptureQueriesContext(connection) as ctx:
                    result = call()
                median, p95 = timed(call, max(5, args.runs // 3))
                label = f"{c.app}.{part} ({len(result)})"
                print(f"{username:10} {label:30} {median:10.1f} {p95:8.1f} {len(ctx.captured_queries):8d}")


if __name__ == "__main__":
    main()
