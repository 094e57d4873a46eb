"""Benchmark: the whole-tree compliance matrix at group scale on PostgreSQL, against hand-written SQL.

Builds (or reuses, with --reuse) a PostgreSQL database with ``dangjian.demo.generator.generate("group")``
(≈150,000 people, ≈6,000 branches) plus five years of meetings for every branch and party group from
``dangjian.compliance.benchdata`` (about a million meetings, rosters for a small sample). Then:

1. times ``compliance.engine.compute`` for every organisation of the tree for one year (3 queries and the
   Python objects the pages use), and a hand-written PostgreSQL query that computes the same rows
   (``HAND_SQL`` below: generate_series periods, AT TIME ZONE months, FILTER aggregates); asserts both give
   identical results; targets: engine ≤ 2 s, engine ≤ 1.5 × the hand-written query;
2. times the heat map and organisation pages (median and 95th percentile, query counts) through Django's
   test client as the committee office and as the demo branch secretary, and the secretary's due list.

    .venv/bin/python bench/compliance_matrix.py --database-url postgresql://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/compliance_matrix.py --reuse      # keep the loaded database between runs
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from common import prepare_database, stats, timed_page

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "dangjian_bench_compliance"

# The same result as the engine, written by hand for PostgreSQL and for the conditions the rule table uses
# (has_committee; has_groups would need one more EXISTS). Parameters: year, today, due-soon days, minutes days.
HAND_SQL = """
WITH params AS (
  SELECT %(year)s::int AS y, %(today)s::date AS today, %(soon)s::int AS soon, %(minutes)s::int AS minutes_days
),
periods AS (
  SELECT 'month'::text AS pkind, m AS pidx, make_date(y, m, 1) AS pstart,
         (make_date(y, m, 1) + interval '1 month' - interval '1 day')::date AS pend
  FROM params, generate_series(1, 12) m
  UNION ALL
  SELECT 'quarter', q, make_date(y, 3 * q - 2, 1),
         (make_date(y, 3 * q - 2, 1) + interval '3 months' - interval '1 day')::date
  FROM params, generate_series(1, 4) q
  UNION ALL
  SELECT 'year', 1, make_date(y, 1, 1), make_date(y, 12, 31) FROM params
),
rp AS (
  SELECT r.id AS rule_id, r.org_kind, r.condition, r.meeting_kind, r.counts_group_meetings, r.required_count,
         p.pkind, p.pidx, p.pstart, p.pend,
         extract(month FROM p.pstart)::int AS m0, extract(month FROM p.pend)::int AS m1
  FROM (
    -- the obligations' versions in the rule store, their terms out of the JSON value
    SELECT id, effective_from, effective_to, value->>'org_kind' AS org_kind,
           COALESCE(value->>'condition', '') AS condition, value->>'meeting_kind' AS meeting_kind,
           (value->>'counts_group_meetings')::boolean AS counts_group_meetings,
           (value->>'required_count')::int AS required_count, value->>'period' AS period,
           (value->>'active')::boolean AS active
    FROM rules_ruleversion
    WHERE key LIKE 'compliance.obligation.%%' AND organization_id IS NULL
  ) r
  JOIN periods p ON p.pkind = r.period
  WHERE r.active AND r.effective_from <= p.pstart AND (r.effective_to IS NULL OR r.effective_to > p.pstart)
),
ym AS (
  SELECT m.id, m.organization_id, m.kind, m.status, m.starts_at,
         extract(month FROM m.starts_at AT TIME ZONE 'Asia/Shanghai')::int AS month
  FROM meetings_meeting m, params
  WHERE m.deleted_at IS NULL AND m.status IN ('held', 'minutes_recorded', 'locked')
    AND m.kind IN (SELECT meeting_kind FROM rp)
    AND m.starts_at >= make_date(y, 1, 1)::timestamp AT TIME ZONE 'Asia/Shanghai'
    AND m.starts_at < make_date(y + 1, 1, 1)::timestamp AT TIME ZONE 'Asia/Shanghai'
),
att AS (
  SELECT a.meeting_id,
         count(*) FILTER (WHERE a.expected AND a.voting) AS due,
         count(*) FILTER (WHERE a.expected AND a.voting AND a.status IN ('present', 'elsewhere')) AS present
  FROM meetings_attendance a JOIN ym ON ym.id = a.meeting_id
  WHERE ym.kind IN ('members_meeting', 'committee_meeting', 'life_meeting')
  GROUP BY a.meeting_id
),
agg AS (
  SELECT ym.organization_id AS org_id, ym.kind, ym.month, count(*) AS held,
         count(*) FILTER (WHERE att.due > 0 AND 2 * att.present <= att.due) AS qf,
         count(*) FILTER (WHERE ym.status = 'held' AND (ym.starts_at AT TIME ZONE 'Asia/Shanghai')::date
                                < params.today - params.minutes_days) AS mm
  FROM ym LEFT JOIN att ON att.meeting_id = ym.id, params
  GROUP BY 1, 2, 3
),
credited AS (
  SELECT org_id, kind, month, held, qf, mm, false AS via_group FROM agg
  UNION ALL
  SELECT p.id, agg.kind, agg.month, agg.held, agg.qf, agg.mm, true
  FROM agg
  JOIN orgs_organization g ON g.id = agg.org_id AND g.kind = 'group'
  JOIN orgs_organization p ON p.path = left(g.path, -4)
  WHERE agg.kind IN (SELECT meeting_kind FROM rp WHERE counts_group_meetings)
),
ct AS (SELECT organization_id, min(elected_on) AS first_term FROM orgs_committeeterm GROUP BY 1),
ob AS (
  SELECT o.id AS org_id, rp.*,
         CASE WHEN (o.founded_on IS NULL OR o.founded_on <= rp.pstart)
                   AND (o.dissolved_on IS NULL OR o.dissolved_on > rp.pend)
                   AND (rp.condition = '' OR ct.first_term <= rp.pstart)
              THEN rp.required_count ELSE 0 END AS required
  FROM orgs_organization o
  JOIN rp ON rp.org_kind = o.kind
         AND (o.founded_on IS NULL OR o.founded_on <= rp.pend)
         AND (o.dissolved_on IS NULL OR o.dissolved_on > rp.pstart)
  LEFT JOIN ct ON ct.organization_id = o.id
  WHERE rp.condition = '' OR (rp.condition = 'has_committee' AND ct.first_term <= rp.pend)
),
res AS (
  SELECT ob.org_id, ob.rule_id, ob.pkind, ob.pidx, ob.pstart, ob.pend, ob.required,
         coalesce(sum(c.held), 0)::int AS held, coalesce(sum(c.qf), 0)::int AS qf, coalesce(sum(c.mm), 0)::int AS mm
  FROM ob
  LEFT JOIN credited c ON c.org_id = ob.org_id AND c.kind = ob.meeting_kind AND c.month BETWEEN ob.m0 AND ob.m1
                       AND (NOT c.via_group OR ob.counts_group_meetings)
  GROUP BY ob.org_id, ob.rule_id, ob.pkind, ob.pidx, ob.pstart, ob.pend, ob.required
)
SELECT org_id, rule_id, pkind, params.y, pidx, required, held, qf, mm,
       CASE WHEN required = 0 THEN 'not_owed'
            WHEN held - qf >= required THEN 'done'
            WHEN pend < params.today THEN 'overdue'
            WHEN pstart <= params.today AND pend - params.today <= params.soon THEN 'due_soon'
            ELSE 'not_due' END
FROM res, params
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="an administrative URL of the PostgreSQL server; the benchmark database is created beside it",
    )
    parser.add_argument("--reuse", action="store_true", help="keep an already loaded benchmark database")
    parser.add_argument("--runs", type=int, default=7, help="timed runs of the matrix")
    parser.add_argument("--page-runs", type=int, default=20)
    parser.add_argument("--year", type=int, default=0, help="year of the matrix (default: the year before today)")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = prepare_database(args.database_url, DB_NAME, args.reuse)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from dangjian.accounts.models import User
    from dangjian.compliance import engine
    from dangjian.compliance.benchdata import generate_meetings
    from dangjian.compliance.engine import settings_on
    from dangjian.compliance.home import due_items
    from dangjian.core import context
    from dangjian.demo.generator import generate
    from dangjian.meetings.models import Attendance, Meeting
    from dangjian.orgs.models import Organization

    call_command("migrate", verbosity=0)
    if not Organization.objects.exists():
        t0 = time.perf_counter()
        with context.acting(channel="bench"):
            generate("group")
        print(f"loaded the group-scale tree in {time.perf_counter() - t0:.1f} s", flush=True)
    today = timezone.localdate()
    if not Meeting.all_objects.exists():
        t0 = time.perf_counter()
        counts = generate_meetings(years=5, today=today)
        print(
            f"generated {counts['meetings']:,} meetings, {counts['attendances']:,} attendances "
            f"in {time.perf_counter() - t0:.1f} s",
            flush=True,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    year = args.year or today.year - 1
    orgs = Organization.objects.count()
    branches = Organization.objects.filter(kind="branch").count()
    groups = Organization.objects.filter(kind="group").count()
    meetings = Meeting.objects.count()
    print(
        f"database: {orgs:,} organisations ({branches:,} branches, {groups:,} groups), {meetings:,} meetings, "
        f"{Attendance.objects.count():,} attendances; year {year}, today {today}"
    )

    # 1. the whole-tree matrix
    settings = settings_on(today)
    hand_params = {"year": year, "today": today, "soon": settings["due_soon_days"], "minutes": settings["minutes_days"]}

    def run_engine():
        return engine.compute(Organization.objects.all(), [year], today)

    def run_hand():
        with connection.cursor() as cursor:
            cursor.execute(HAND_SQL, hand_params)
            return cursor.fetchall()

    matrix, hand = run_engine(), run_hand()  # warm-up, and the equality check
    engine_rows = {
        (
            i.org_id,
            i.rule_id,
            i.period.kind,
            i.period.year,
            i.period.index,
            i.required,
            i.held,
            i.quorum_failed,
            i.minutes_missing,
            i.light,
        )
        for i in matrix.items
    }
    hand_rows = set(hand)
    assert len(engine_rows) == len(matrix.items) == len(hand) == len(hand_rows), (len(matrix.items), len(hand))
    assert engine_rows == hand_rows, (sorted(engine_rows - hand_rows)[:5], sorted(hand_rows - engine_rows)[:5])
    by_light: dict[str, int] = {}
    for i in matrix.items:
        by_light[i.light] = by_light.get(i.light, 0) + 1
    print(f"matrix: {len(matrix.items):,} items, identical to the hand-written query; lights {by_light}")
    print(
        f"        quorum failures {sum(i.quorum_failed for i in matrix.items):,}, "
        f"late minutes {sum(i.minutes_missing for i in matrix.items):,}"
    )

    engine_s, hand_s, sql_only_s = [], [], []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        run_engine()
        engine_s.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        run_hand()
        hand_s.append(time.perf_counter() - t0)
        # The engine's statement alone (without the Python Item objects), for the ratio of like with like.
        sql, params = engine._matrix_sql(
            Organization.objects.all(),
            engine.rule_periods(list(matrix.rules.values()), engine.periods_of_year(year)),
            engine.periods_of_year(year),
            today,
            settings,
        )
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()
        sql_only_s.append(time.perf_counter() - t0)
    e_med, e_p95 = stats(engine_s)
    h_med, h_p95 = stats(hand_s)
    s_med, s_p95 = stats(sql_only_s)
    print(f"{'whole-tree matrix, one year':40} {'median s':>9} {'p95 s':>7}")
    print(f"{'engine.compute (3 queries + objects)':40} {e_med:9.2f} {e_p95:7.2f}")
    print(f"{'engine statement only':40} {s_med:9.2f} {s_p95:7.2f}")
    print(f"{'hand-written SQL':40} {h_med:9.2f} {h_p95:7.2f}")
    print(
        f"ratio engine/hand: {e_med / h_med:.2f} (statement only {s_med / h_med:.2f}); "
        f"targets: engine ≤ 2 s {'met' if e_med <= 2 else 'MISSED'}, "
        f"≤ 1.5× {'met' if e_med <= 1.5 * h_med else 'MISSED'}"
    )

    # 2. pages
    office = User.objects.get(username="office")
    secretary = User.objects.get(username="secretary")
    branch_id = secretary.assignments.first().organization_id
    root = Organization.objects.filter(depth=1).first()
    general = Organization.objects.filter(kind="general_branch").order_by("path")[10]
    last_page = (Organization.objects.filter(kind__in=["branch", "group"]).count() + 49) // 50
    cases = [
        ("office", f"/compliance/?year={year}"),
        ("office", f"/compliance/?year={year}&page={last_page // 2}"),
        ("office", f"/compliance/?year={year}&kind=branch&page=60"),
        ("office", f"/compliance/?year={year}&org={general.pk}"),
        ("office", f"/compliance/?year={today.year}"),
        ("office", f"/compliance/org/{branch_id}/?year={year}"),
        ("office", f"/compliance/org/{root.pk}/?year={year}"),
        ("office", "/compliance/rules/"),
        ("secretary", "/"),
        ("office", "/"),
        ("secretary", f"/compliance/?year={today.year}"),
        ("secretary", f"/compliance/org/{branch_id}/"),
    ]
    clients = {}
    for who, user in (("office", office), ("secretary", secretary)):
        c = Client()
        c.force_login(user)
        clients[who] = c
    print(f"\n{'user':10} {'page':45} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for who, url in cases:
        median, p95, queries = timed_page(clients[who], url, args.page_runs)
        print(f"{who:10} {url:45} {median:10.1f} {p95:8.1f} {queries:8d}")
    samples = []
    for _ in range(args.page_runs):
        user = User.objects.get(pk=secretary.pk)  # fresh user: no cached scope
        t0 = time.perf_counter()
        items = due_items(user, today)
        samples.append((time.perf_counter() - t0) * 1000)
    median, p95 = stats(samples)
    print(f"{'secretary':10} {'due_items(user, today) → ' + str(len(items)) + ' items':45} {median:10.1f} {p95:8.1f}")


if __name__ == "__main__":
    main()
