"""Benchmark: one month's dues for 80,000 members on PostgreSQL (issue 4: ≤ 5 s).

Builds (or reuses, with --reuse) its own PostgreSQL database with a tree of 2,000 branches and 80,000
members, each with a dues account, one or two base rows (a pay rise for a quarter of them), a year of
quarterly payments, and approved reliefs for 1 % of them. Then times, over --runs runs:

1. ``dues.ledger.compute`` for one month for every member of the tree (the amounts owed with their rule,
   relief, paid, status: 4 queries), the target being ≤ 5 s;
2. ``dues.arrears.arrears_rows`` for the whole tree (members unpaid for 6 consecutive months: 1 query), and
   its first 20 rows as the home-page alert shows them;
3. the month summary per branch (``dues.summary.month_summary``).

    .venv/bin/python bench/dues_month.py --database-url postgresql://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/dues_month.py --reuse      # keep the loaded database between runs
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from common import prepare_database, stats

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "dangjian_bench_dues"
MEMBERS = 80_000
GENERALS = 20
BRANCHES_PER_GENERAL = 100
BATCH = 5_000


def build(month: date) -> None:
    """Organisations by materialised path (bulk), then people, memberships, accounts, bases, payments, reliefs."""
    from dangjian.accounts.models import User
    from dangjian.dues.models import DuesAccount, DuesBase, DuesPayment, DuesRelief
    from dangjian.dues.months import add_months
    from dangjian.dues.rules import dues_for
    from dangjian.idgen import make_id_number
    from dangjian.orgs.models import Organization
    from dangjian.people.models import Membership, Person

    rng = random.Random(2026)
    user = User.objects.create_user(username="bench", password="Bench@2026x")
    orgs = [Organization(path="0001", depth=1, numchild=GENERALS, kind="committee", code="B", name="基准党委")]
    branches = []
    for g in range(1, GENERALS + 1):
        gpath = f"0001{g:04d}"
        orgs.append(
            Organization(
                path=gpath,
                depth=2,
                numchild=BRANCHES_PER_GENERAL,
                kind="general_branch",
                code=f"B{g}",
                name=f"第{g}总支",
            )
        )
        for b in range(1, BRANCHES_PER_GENERAL + 1):
            branch = Organization(
                path=f"{gpath}{b:04d}", depth=3, kind="branch", code=f"B{g}-{b}", name=f"第{g}总支第{b}支部"
            )
            orgs.append(branch)
            branches.append(branch)
    Organization.objects.bulk_create(orgs, batch_size=BATCH)
    branches = list(Organization.objects.filter(kind="branch").order_by("path"))
    first = add_months(month, -11)
    day0 = date(1960, 1, 1)
    for start in range(0, MEMBERS, BATCH):
        people = []
        for i in range(start, min(MEMBERS, start + BATCH)):
            birth = day0 + timedelta(days=i % 14000)
            sex = "M" if i % 2 else "F"
            number = make_id_number(birth, sex, serial=i // 14000, region="110105")
            people.append(
                Person(name=f"党员{i}", sex=sex, id_number=number, birth_date=birth, political_status="member")
            )
        people = Person.objects.bulk_create(people)
        memberships, accounts = [], []
        for k, person in enumerate(people):
            admitted = date(1990 + rng.randrange(36), rng.randrange(1, 13), rng.randrange(1, 28))
            memberships.append(
                Membership(
                    person=person,
                    organization=branches[(start + k) % len(branches)],
                    status="full",
                    admitted_on=min(admitted, month),
                    started_on=date(2015, 1, 1),
                )
            )
            accounts.append(DuesAccount(person=person))
        Membership.objects.bulk_create(memberships)
        accounts = DuesAccount.objects.bulk_create(accounts)
        bases, payments, reliefs = [], [], []
        for account, membership in zip(accounts, memberships, strict=True):
            category = "retiree" if rng.random() < 0.2 else "employee"
            base = Decimal(rng.randrange(300, 3000) * 10)
            bases.append(DuesBase(account=account, month=date(2015, 1, 1), category=category, monthly_base=base))
            if rng.random() < 0.25:
                base = base * Decimal("1.08")
                bases.append(
                    DuesBase(account=account, month=add_months(month, -4), category=category, monthly_base=base)
                )
            if rng.random() < 0.03:
                continue  # in arrears: nothing paid this year
            due = dues_for(category, base, on=month).amount
            for q in range(4):
                m_from = add_months(first, 3 * q)
                payments.append(
                    DuesPayment(
                        account=account,
                        amount=due * 3,
                        month_from=m_from,
                        month_to=add_months(m_from, 2),
                        paid_on=add_months(m_from, 2),
                        recorded_by=user,
                    )
                )
            if rng.random() < 0.01:
                reliefs.append(
                    DuesRelief(
                        account=account,
                        branch=membership.organization,
                        kind="waive",
                        month_from=first,
                        month_to=month,
                        reason="基准",
                        status="approved",
                        requested_by=user,
                        decided_by=user,
                    )
                )
        DuesBase.objects.bulk_create(bases)
        DuesPayment.objects.bulk_create(payments)
        DuesRelief.objects.bulk_create(reliefs)
        print(f"  {min(MEMBERS, start + BATCH):,} members", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="an administrative URL of the PostgreSQL server; the benchmark database is created beside it",
    )
    parser.add_argument("--reuse", action="store_true", help="keep an already loaded benchmark database")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = prepare_database(args.database_url, DB_NAME, args.reuse)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from dangjian.core import context
    from dangjian.dues.arrears import arrears_rows
    from dangjian.dues.ledger import compute
    from dangjian.dues.models import DuesAccount, DuesPayment
    from dangjian.dues.months import add_months, month_start
    from dangjian.dues.summary import month_summary
    from dangjian.people.models import Membership

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    month = add_months(month_start(today), -1)
    if not DuesAccount.objects.exists():
        t0 = time.perf_counter()
        with context.acting(channel="bench"):
            build(month)
        print(f"built {MEMBERS:,} members with accounts in {time.perf_counter() - t0:.1f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    members = Membership.objects.current()
    print(
        f"database: {members.count():,} members, {DuesPayment.objects.count():,} payments; month {month:%Y-%m}",
        flush=True,
    )

    def timed(label: str, fn, target: float | None = None) -> None:
        samples, queries, result = [], 0, None
        for _ in range(args.runs):
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                t0 = time.perf_counter()
                result = fn()
                samples.append(time.perf_counter() - t0)
            queries = len(captured)
        median, p95 = stats(samples)
        verdict = "" if target is None else ("  OK" if p95 <= target else f"  OVER the {target:.0f} s target")
        print(f"{label}: median {median:.2f} s, p95 {p95:.2f} s, {queries} queries{verdict}", flush=True)
        return result

    lines = timed("month dues for every member (ledger.compute)", lambda: compute(members, [month])[month], 5.0)
    owed = sum((line.net_due for line in lines), Decimal(0))
    print(f"  {len(lines):,} lines, {owed:,} yuan owed after relief")
    rows = timed("arrears (6 consecutive months) for the whole tree", lambda: arrears_rows(members, today))
    print(f"  {len(rows):,} members in arrears")
    timed("home-page arrears alerts (first 20, whole tree)", lambda: arrears_rows(members, today, limit=20))
    timed("month summary per branch", lambda: month_summary(members, month))


if __name__ == "__main__":
    main()
