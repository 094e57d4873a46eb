"""Bulk organisational-life history for benchmarks: years of meetings for every branch and group, fast.

``demo.history`` writes a faithful history (rosters, resolutions) for the demo institute; at group scale
(≈6,000 branches, five years, about a million meetings) that is too slow for a benchmark, and the
compliance counts need no rosters. This writes meetings only — with PostgreSQL's COPY when available —
plus attendance rosters for a small sample of voting meetings, some of them short of a quorum, so that
the quorum join has real work to do.

Gaps are realistic: most branches miss about 3 % of meetings, one in twenty misses 15 %, one in a
hundred 45 %; recent meetings are often still without minutes; a few are planned or cancelled.
"""

from __future__ import annotations

import random
import secrets
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from dangjian.meetings.models import Attendance, Meeting, MeetingStatus
from dangjian.orgs.models import CommitteeTerm, Organization
from dangjian.people.models import Membership

TZ = ZoneInfo("Asia/Shanghai")
BATCH = 20_000
ROSTER_SHARE = 0.02  # voting meetings that get an attendance roster
SHORT_OF_QUORUM = 0.15  # of those, the share where only about 40 % turn up

_MEETING_COLUMNS = [
    "created_at",
    "updated_at",
    "deleted_at",
    "organization_id",
    "kind",
    "title",
    "starts_at",
    "ends_at",
    "place",
    "agenda",
    "study_materials",
    "status",
    "minutes",
    "locked_at",
    "checkin_token",
]


def _months(first: date, last: date) -> Iterator[date]:
    d = date(first.year, first.month, 1)
    while d <= last:
        yield d
        d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)


def _status(when: datetime, today: date, rng: random.Random) -> str:
    age = (today - when.date()).days
    if age < 0:
        return MeetingStatus.PLANNED
    roll = rng.random()
    if roll < 0.01:
        return MeetingStatus.CANCELLED
    if age < 10:
        return MeetingStatus.HELD if roll < 0.6 else MeetingStatus.MINUTES_RECORDED
    if age < 60:
        return MeetingStatus.HELD if roll < 0.08 else MeetingStatus.MINUTES_RECORDED
    return MeetingStatus.HELD if roll < 0.02 else MeetingStatus.LOCKED


def _when(month: date, step: int, rng: random.Random) -> datetime:
    if step == 12:
        month = date(month.year, rng.choice([11, 12]), 1)
    elif step == 3:
        month = date(month.year, month.month + rng.randrange(3), 1)
    if rng.random() < 0.01:  # an evening meeting on the last day of the month: the boundary case
        last = (date(month.year + (month.month == 12), month.month % 12 + 1, 1) - timedelta(days=1)).day
        return datetime.combine(date(month.year, month.month, last), time(22, 30), TZ)
    return datetime.combine(date(month.year, month.month, rng.randint(1, 28)), time(rng.choice([9, 14, 15])), TZ)


def plan_meetings(years: int, today: date, seed: int = 2026) -> Iterator[tuple]:
    """Rows (organization_id, kind, starts_at, status) for every branch and group, ``years`` years up to ``today``."""
    rng = random.Random(seed)
    first = date(today.year - years + 1, 1, 1)
    committee_since = dict(
        CommitteeTerm.objects.values("organization_id")
        .order_by()
        .annotate(first=Min("elected_on"))
        .values_list("organization_id", "first")
    )
    branches = list(
        Organization.objects.filter(kind="branch")
        .order_by("path")
        .values_list("id", "path", "founded_on", "dissolved_on")
    )
    groups_of: dict[str, list[int]] = defaultdict(list)
    step = Organization.steplen
    for gid, path in Organization.objects.filter(kind="group").values_list("id", "path"):
        groups_of[path[:-step]].append(gid)
    for org_id, path, founded, dissolved in branches:
        roll = rng.random()
        skip = 0.45 if roll < 0.01 else 0.15 if roll < 0.06 else 0.03
        groups = groups_of.get(path, [])
        life_by_groups = bool(groups) and rng.random() < 0.2
        obligations = [("members_meeting", 3, [org_id]), ("lecture", 3, [org_id]), ("theme_day", 1, [org_id])]
        obligations.append(("life_meeting", 12, groups if life_by_groups else [org_id]))
        since = committee_since.get(org_id)
        if since is not None:
            obligations.append(("committee_meeting", 1, [org_id]))
        obligations += [("group_meeting", 1, [g]) for g in groups]
        for kind, every, holders in obligations:
            for month in _months(first, today):
                if (month.month - 1) % every:
                    continue
                for holder in holders:
                    if rng.random() < skip:
                        continue
                    when = _when(month, every, rng)
                    if founded and when.date() < founded or dissolved and when.date() >= dissolved:
                        continue
                    if kind == "committee_meeting" and when.date() < since:
                        continue
                    yield holder, kind, when, _status(when, today, rng)


def generate_meetings(years: int = 5, today: date | None = None, seed: int = 2026) -> dict[str, int]:
    """Write the history into an empty meetings table; returns row counts."""
    today = today or timezone.localdate()
    if Meeting.all_objects.exists():
        raise RuntimeError("meetings already exist")
    now = timezone.now()
    rng = random.Random(seed + 1)
    count = 0
    with transaction.atomic():
        batch: list[tuple] = []
        for org_id, kind, when, status in plan_meetings(years, today, seed):
            done = status in (MeetingStatus.MINUTES_RECORDED, MeetingStatus.LOCKED)
            batch.append(
                (
                    now,
                    now,
                    None,
                    org_id,
                    kind,
                    "学习贯彻党的二十大精神",
                    when,
                    when + timedelta(hours=2),
                    "党员活动室",
                    "",
                    "",
                    status,
                    "<p>会议记录</p>" if done else "",
                    when + timedelta(days=20) if status == MeetingStatus.LOCKED else None,
                    secrets.token_urlsafe(24),
                )
            )
            if len(batch) >= BATCH:
                count += _insert(Meeting, _MEETING_COLUMNS, batch)
                batch = []
        count += _insert(Meeting, _MEETING_COLUMNS, batch)
        rosters = _rosters(rng)
    return {"meetings": count, "attendances": rosters}


def _insert(model, columns: list[str], rows: list[tuple]) -> int:
    if not rows:
        return 0
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return len(rows)
    placeholders = ", ".join(["%s"] * len(columns))
    adapt = connection.ops.adapt_datetimefield_value
    prepared = [tuple(adapt(v) if isinstance(v, datetime) else v for v in row) for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", prepared)
    return len(rows)


def _rosters(rng: random.Random) -> int:
    """Attendance for a sample of held voting meetings: current members of the branch (committee meetings too,
    for simplicity — the counts, not the roster's exact composition, are what the benchmark exercises)."""
    members: dict[int, list[tuple[int, bool]]] = defaultdict(list)
    for org_id, person_id, status in Membership.objects.filter(ended_on__isnull=True).values_list(
        "organization_id", "person_id", "status"
    ):
        members[org_id].append((person_id, status == "full"))
    sample = [
        (mid, org_id)
        for mid, org_id in Meeting.objects.filter(
            kind__in=["members_meeting", "committee_meeting"],
            status__in=[MeetingStatus.HELD, MeetingStatus.MINUTES_RECORDED, MeetingStatus.LOCKED],
        ).values_list("id", "organization_id")
        if rng.random() < ROSTER_SHARE
    ]
    rows = []
    for meeting_id, org_id in sample:
        turnout = 0.4 if rng.random() < SHORT_OF_QUORUM else 0.85
        for person_id, votes in members.get(org_id, [])[:40]:
            status = "present" if rng.random() < turnout else rng.choice(["absent", "excused"])
            rows.append((meeting_id, person_id, True, votes, status, "", None, False))
    columns = ["meeting_id", "person_id", "expected", "voting", "status", "reason", "checked_in_at", "via_qr"]
    total = 0
    for i in range(0, len(rows), BATCH):
        total += _insert(Attendance, columns, rows[i : i + BATCH])
    return total
