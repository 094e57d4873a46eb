"""The compliance engine: what every organisation owed and held, per rule and period, in one SQL statement.

``compute(orgs, years, today)`` returns one ``Item`` per (organisation, rule version, period): the required
and held counts, the held meetings that failed their quorum, the meetings whose minutes are late, and the
traffic light. The obligations (versions in the rule store, see ``obligations``) are few and resolved in Python
(which version governs which period); the work that grows with the tree — organisations × periods × meetings —
is one set-wise statement that runs unchanged on SQLite and PostgreSQL. There is no loop over organisations anywhere.

Semantics (each is tested at its edges in ``tests/test_engine.py``):

* **Local dates.** A meeting belongs to the month of its start in local time (``settings.TIME_ZONE``,
  Asia/Shanghai): month boundaries are computed as local midnights and compared with the stored instants,
  so 23:30 on 31 March Beijing time is in the first quarter.
* **Rule version.** A period is judged by the version of each rule that is in force on the period's first
  day. Versions of a rule never overlap, so every period has at most one version; a revision dated in the
  middle of a period applies from the next period on, which is the only reading under which a secretary
  knew the obligation when the period began.
* **Founding and dissolution: whole periods only.** An organisation owes a period only if it existed on
  every day of it (``founded_on ≤ start`` and ``dissolved_on > end``; ``dissolved_on`` is the first day it
  no longer exists, as in ``OrganizationQuerySet.active``). The obligations are whole counts per period
  ("generally once a quarter"); a pro-rata share of one meeting has no meaning a secretary could act on,
  and rounding it either way would either excuse a whole quarter or demand a meeting the branch could not
  have planned. A partial period is still listed with ``required = 0`` (light ``not_owed``) so meetings
  held in it stay visible; periods the organisation did not exist in at all are not listed.
* **Conditions.** ``has_committee``: the organisation has elected a committee (a ``CommitteeTerm`` with
  ``has_committee`` and ``elected_on`` on or before the period's first day, and no secretary-only term elected
  since; a term past its end date still counts, since the old committee serves until the election — the overdue
  election is an ``orgs`` warning). A branch that elected a secretary only ("党员人数不足7人的，不设支部委员会，
  设书记1名", 机关基层组织工作条例 2019 第7条) owes no 支委会; one that turns secretary-only during a period owes
  none for that period (the condition must hold on every day, as for founding). ``has_groups``: a
  party group under it existed on every day of the period. A period where the condition starts to hold only
  during the period is listed as ``not_owed``.
* **Held.** Meetings in ``HELD_STATUSES``, not deleted, of the rule's meeting kind, held by the organisation
  — or by one of its party groups when the rule says so (``counts_group_meetings``: the 组织生活会 may be
  held as group meetings).
* **Quorum.** A held meeting of a kind that may not be held below its quorum (``meetings.models.QUORUM_KINDS``:
  the committee meeting, 支部工作条例 art. 12: 须有半数以上委员到会方可进行) with an attendance roster fails when
  fewer than half of its expected voting attendees are present (present or attending elsewhere; 半数以上 includes
  the number, so exactly half is a quorum; the share is ``meetings.rule_data``). Such a meeting "may not be held",
  so it does not count towards the requirement (``valid = held − quorum_failed``). A members' meeting or life
  meeting is held whatever the attendance: art. 11 (表决必须有半数以上有表决权的党员到会方可进行) conditions a vote,
  and a resolution below the quorum is refused when the minutes are recorded. A meeting with no voting roster
  at all is not judged.
* **Minutes.** A held meeting still in status ``held`` (no minutes recorded) more than ``minutes_days``
  days after its local date is late (the setting in force on ``today``).
* **Lights** as in ``lights.light_for`` (the SQL below computes the same ``CASE``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings as django_settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Q, QuerySet

from dangjian.appraisal.models import Appraisal, AppraisalStatus
from dangjian.meetings.models import Attendance, AttendanceStatus, Meeting, MeetingStatus
from dangjian.meetings.models.meeting import HELD_STATUSES, QUORUM_KINDS
from dangjian.meetings.rules import share as meeting_share
from dangjian.orgs.models import CommitteeTerm, Organization, OrgKind
from dangjian.rules import services as rule_store

from . import lights
from .models import Activity, Condition
from .obligations import ObligationTerms, overlapping
from .periods import Period, local_midnight, month_bounds, periods_of_year
from .rule_data import COMPLIANCE_SETTINGS, SETTING_NAMES

PRESENT_STATUSES = (AttendanceStatus.PRESENT, AttendanceStatus.ELSEWHERE)


class Item(NamedTuple):
    """One obligation of one organisation in one period (a tuple: the whole tree makes ~200,000 a year)."""

    org_id: int
    rule_id: int
    period: Period
    required: int  # 0: not owed (partial period)
    held: int
    quorum_failed: int
    minutes_missing: int
    light: str

    @property
    def valid(self) -> int:
        return self.held - self.quorum_failed

    @property
    def missing(self) -> int:
        return max(self.required - self.valid, 0)

    @property
    def severity_light(self) -> str:
        """The light a heat-map cell uses: late minutes make an item overdue even when enough were held."""
        if self.minutes_missing and lights.SEVERITY[self.light] < lights.SEVERITY[lights.OVERDUE]:
            return lights.OVERDUE
        return self.light


@dataclass
class Matrix:
    items: list[Item]
    rules: dict[int, ObligationTerms]  # by store version id (an item's rule_id)
    settings: dict[str, int]
    today: date
    years: tuple[int, ...] = ()
    _by_org: dict[int, list[Item]] | None = field(default=None, repr=False)

    def by_org(self) -> dict[int, list[Item]]:
        if self._by_org is None:
            out: dict[int, list[Item]] = defaultdict(list)
            for item in self.items:
                out[item.org_id].append(item)
            self._by_org = dict(out)
        return self._by_org

    def cells(self, year: int) -> dict[int, dict[int, str]]:
        """org id → calendar month → worst light of the items whose period ends in that month."""
        out: dict[int, dict[int, str]] = defaultdict(dict)
        severity = lights.SEVERITY
        for item in self.items:
            if item.period.year != year:
                continue
            row = out[item.org_id]
            month = item.period.end_month
            light = item.severity_light
            if month not in row or severity[light] > severity[row[month]]:
                row[month] = light
        return dict(out)

    def message(self, item: Item) -> str:
        rule = self.rules[item.rule_id]
        return lights.message(
            light=item.light,
            period=item.period,
            kind_label=str(rule.get_meeting_kind_display()),
            required=item.required,
            valid=item.valid,
            quorum_failed=item.quorum_failed,
            today=self.today,
            held="召开" if rule.is_meeting else "开展",
        )


def local_tz() -> ZoneInfo:
    return ZoneInfo(django_settings.TIME_ZONE)


def rule_periods(rules: Iterable[ObligationTerms], periods: Sequence[Period]) -> list[tuple[ObligationTerms, Period]]:
    """Each period with the version of each rule in force on its first day (switched-off versions owe nothing)."""
    out = []
    for rule in rules:
        for period in periods:
            if period.kind == rule.period and rule.in_force(period.start) and rule.active:
                out.append((rule, period))
    return out


def settings_on(today: date) -> dict[str, int]:
    """The checker's own numbers (minutes, reminders, late window) in force on ``today``, from the rule store."""
    table = rule_store.table(COMPLIANCE_SETTINGS)
    return {name: table.value(key, today) for key, name in SETTING_NAMES.items()}


def compute(orgs: QuerySet, years: Sequence[int], today: date, *, rules: list[ObligationTerms] | None = None) -> Matrix:
    """The matrix for the organisations of ``orgs`` (already restricted to the user's scope) in ``years``.

    Two queries: the rule store (settings and obligations; none when the request has read it already) and the
    matrix itself.
    """
    years, settings, by_id, periods, statement = item_statement(orgs, years, today, rules)
    if statement is None:
        return Matrix([], by_id, settings, today, years)
    with connection.cursor() as cursor:
        cursor.execute(*statement)
        rows = cursor.fetchall()
    new = Item._make
    items = [
        new((org, rule, periods[pid], required, held, qf, mm, light))
        for org, rule, pid, required, held, qf, mm, light in rows
    ]
    return Matrix(items, by_id, settings, today, years)


def org_totals(orgs: QuerySet, years: Sequence[int], today: date) -> dict[int, tuple[int, int, int]]:
    """Per organisation of ``orgs``: (due, met, quorum_failed) over its items of ``years``, counted in the database.

    Due: items owed (``required`` > 0) whose light is done or overdue; met: those done; quorum_failed: the held
    meetings of the due items that failed their quorum. The same statement as ``compute`` with a grouping on top,
    so a whole tree's ~200,000 items come back as one row per organisation instead of Python objects.
    """
    out: dict[int, tuple[int, int, int]] = {}
    for (org_id, _kind), (due, met, failed) in org_kind_totals(orgs, years, today).items():
        d, m, f = out.get(org_id, (0, 0, 0))
        out[org_id] = (d + due, m + met, f + failed)
    return out


def org_kind_totals(orgs: QuerySet, years: Sequence[int], today: date) -> dict[tuple[int, str], tuple[int, int, int]]:
    """``org_totals`` per (organisation, meeting kind of the rule): the facts read one kind apart (主题党日) cheaply.

    The same statement grouped by rule version as well; the few versions are mapped to their kind here.
    """
    _years, _settings, rules, _periods, statement = item_statement(orgs, years, today, None, per_org=True)
    if statement is None:
        return {}
    out: dict[tuple[int, str], tuple[int, int, int]] = {}
    for org_id, rule_id, due, met, failed in fetch_grouped(statement):
        key = (org_id, rules[rule_id].meeting_kind)
        d, m, f = out.get(key, (0, 0, 0))
        out[key] = (d + due, m + met, f + failed)
    return out


def fetch_grouped(statement: tuple[str, list]) -> list[tuple]:
    """The rows of a statement that groups the item statement (``org_totals``, the facts by month); on PostgreSQL
    with nested loops off for it alone (see ``agg`` in the matrix statement)."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(*statement)
            return cursor.fetchall()
        # A plain SET, put back right after (two short statements, not a savepoint around the query)
        cursor.execute("SET enable_nestloop = off")
        try:
            cursor.execute(*statement)
            rows = cursor.fetchall()
        except Exception:
            if not connection.in_atomic_block:  # in a transaction the rollback undoes the SET
                cursor.execute("RESET enable_nestloop")
            raise
        cursor.execute("RESET enable_nestloop")
        return rows


def item_statement(orgs: QuerySet, years: Sequence[int], today: date, rules, *, per_org: bool = False):
    """The settings, rules and periods of ``years``, and the matrix statement (None when nothing can be owed): one
    row per item (organisation, rule, period), which ``compute`` reads as is and the facts group on top."""
    years = tuple(sorted(set(years)))
    settings = settings_on(today)
    periods = [p for y in years for p in periods_of_year(y)]
    start, end = date(years[0], 1, 1), date(years[-1], 12, 31)
    if rules is None:
        rules = overlapping(rule_store.book(), start, end)
    by_id = {r.pk: r for r in rules}
    pairs = rule_periods(rules, periods)
    if not pairs:
        return years, settings, by_id, periods, None
    try:
        statement = _matrix_sql(orgs, pairs, periods, today, settings, per_org=per_org)
    except EmptyResultSet:  # e.g. pk__in=[]: the ORM knows there is nothing to select
        return years, settings, by_id, periods, None
    return years, settings, by_id, periods, statement


class _Sql:
    """Parameters for one statement built from pieces in any order.

    ``p()`` returns a marker; ``finish()`` turns the markers into ``%s`` in the order they appear in the text,
    so a piece may be built before the text around it, or used twice. Dates and timestamps get typed casts on
    PostgreSQL (untyped literals in VALUES would be text) and stay plain on SQLite, which stores them as text.
    """

    _MARK = re.compile(r"\x00(\d+)\x00")

    def __init__(self) -> None:
        self.values: list = []
        self.pg = connection.vendor == "postgresql"
        self.ops = connection.ops

    def p(self, value) -> str:
        # TextChoices members are str subclasses: pass the plain value, never the enum.
        self.values.append(str(value) if isinstance(value, str) else value)
        return f"\x00{len(self.values) - 1}\x00"

    def d(self, value: date) -> str:
        mark = self.p(self.ops.adapt_datefield_value(value))
        return f"CAST({mark} AS DATE)" if self.pg else mark

    def ts(self, value) -> str:
        mark = self.p(self.ops.adapt_datetimefield_value(value))
        return f"CAST({mark} AS TIMESTAMP WITH TIME ZONE)" if self.pg else mark

    def in_list(self, values: Iterable) -> str:
        return "(" + ", ".join(self.p(v) for v in values) + ")"

    def embed(self, sql: str, params: Sequence) -> str:
        """An ORM-generated statement (``%s`` placeholders, ``%%`` for a literal percent) as a piece."""
        it = iter(params)
        return re.sub(r"%%|%s", lambda m: m.group(0) if m.group(0) == "%%" else self.p(next(it)), sql)

    def finish(self, sql: str) -> tuple[str, list]:
        params: list = []

        def place(m: re.Match) -> str:
            params.append(self.values[int(m.group(1))])
            return "%s"

        return self._MARK.sub(place, sql), params


def _month_case(s: _Sql, column: str, first_month: int, last_month: int, tz) -> str:
    """The global month number of a timestamp as a balanced CASE over local month boundaries.

    Portable (no time-zone functions, which SQLite lacks) and cheap: about four comparisons per row, where a
    join against a table of months would compare every meeting with every month.
    """

    def pick(lo: int, hi: int) -> str:
        if lo == hi:
            return str(lo)
        mid = (lo + hi + 1) // 2
        return (
            f"CASE WHEN {column} < {s.ts(month_bounds(mid, tz)[0])} THEN {pick(lo, mid - 1)} ELSE {pick(mid, hi)} END"
        )

    return pick(first_month, last_month)


def _appraisals(s: _Sql, pids: list[int], periods: Sequence[Period]) -> str:
    """The counts of 民主评议党员 as rows of ``evp``: a branch's appraisal of a year, once confirmed by the members'
    meeting, meets the year's obligation (党员教育管理工作条例 2019 第18条); ``Appraisal.year`` names the year, whenever
    the confirmation fell. Appended to ``evp`` with UNION ALL (empty when no appraisal rule is in the window)."""
    if not pids:
        return ""
    years = " UNION ALL ".join(f"SELECT {s.p(pid)} AS pid, {s.p(periods[pid].year)} AS yr" for pid in pids)
    return (
        f" UNION ALL SELECT a.organization_id, {s.p(Activity.APPRAISAL)}, y.pid, COUNT(*), 0, 0, COUNT(*), 0, 0"
        f" FROM {Appraisal._meta.db_table} a JOIN ({years}) y ON y.yr = a.year"
        f" WHERE a.status = {s.p(AppraisalStatus.CONFIRMED)} AND a.organization_id IN (SELECT id FROM o)"
        " GROUP BY a.organization_id, y.pid"
    )


def _matrix_sql(
    orgs: QuerySet, pairs, periods: Sequence[Period], today: date, settings: dict[str, int], *, per_org: bool = False
):
    """One statement; its CTEs, in order:

    ``o`` the organisations (the caller's scoped queryset), ``rp`` rule versions × periods (VALUES),
    ``kpm`` (meeting kind, month) → period, ``hold`` who holds meetings for whom (an organisation for itself;
    its party groups for it when a rule counts group meetings), ``mt`` the held meetings of the window with
    their local month, ``mq`` quorum per meeting from the attendance roster, ``evp`` counts per
    organisation, kind and period, ``ob`` the obligations; then one 1:1 join and the light.
    """
    tz = local_tz()
    s = _Sql()
    org_t = Organization._meta.db_table
    meeting_t = Meeting._meta.db_table
    attendance_t = Attendance._meta.db_table
    term_t = CommitteeTerm._meta.db_table
    steplen = Organization.steplen

    period_id_of = {p: n for n, p in enumerate(periods)}  # one integer key: narrower joins and groupings
    kinds = sorted({r.org_kind for r, _ in pairs})
    meeting_kinds = sorted({r.meeting_kind for r, _ in pairs} - set(Activity.values))
    appraisal_pids = sorted({period_id_of[p] for r, p in pairs if r.meeting_kind == Activity.APPRAISAL})
    group_kinds = sorted({r.meeting_kind for r, _ in pairs if r.counts_group_meetings})
    group_org_kinds = sorted({r.org_kind for r, _ in pairs if r.counts_group_meetings})
    voting_kinds = sorted(set(meeting_kinds) & {str(k) for k in QUORUM_KINDS})
    conditions = {r.condition for r, _ in pairs}
    first_month = min(p.first_month for p in periods)
    last_month = max(p.last_month for p in periods)
    window_start, _ = month_bounds(first_month, tz)
    _, window_end = month_bounds(last_month, tz)
    range_start, range_end = min(p.start for p in periods), max(p.end for p in periods)

    org_qs = (
        orgs.order_by()
        .filter(kind__in=kinds)
        .filter(Q(founded_on__isnull=True) | Q(founded_on__lte=range_end))
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=range_start))
        .values_list("id", "path", "depth", "kind", "founded_on", "dissolved_on")
    )
    ctes = [f"o (id, path, depth, kind, founded_on, dissolved_on) AS ({s.embed(*org_qs.query.sql_with_params())})"]

    period_id = period_id_of
    rp_rows = []
    for rule, period in pairs:
        values = [
            s.p(period_id[period]),
            s.p(rule.pk),
            s.p(rule.org_kind),
            s.p(rule.condition),
            s.p(rule.meeting_kind),
            s.p(1 if rule.counts_group_meetings else 0),
            s.p(rule.required_count),
            s.p(period.kind),
            s.p(period.year),
            s.p(period.index),
            s.d(period.start),
            s.d(period.end),
        ]
        rp_rows.append(f"({', '.join(values)})")
    ctes.append(
        "rp (pid, rule_id, org_kind, cond, meeting_kind, with_groups, required, pkind, pyear, pidx, pstart, pend)"
        f" AS (VALUES {', '.join(rp_rows)})"
    )
    month_rows = sorted(
        {(r.meeting_kind, mi, period_id[p]) for r, p in pairs for mi in range(p.first_month, p.last_month + 1)}
    )
    kpm = [f"({s.p(kind)}, {s.p(mi)}, {s.p(pid)})" for kind, mi, pid in month_rows]
    ctes.append(f"kpm (meeting_kind, mi, pid) AS (VALUES {', '.join(kpm)})")

    hold = "SELECT id, id, 0 FROM o"
    if group_kinds:
        hold += (
            f" UNION ALL SELECT g.id, o.id, 1 FROM {org_t} g JOIN o ON o.path = SUBSTR(g.path, 1, LENGTH(g.path) - "
            f"{steplen}) WHERE g.kind = {s.p(OrgKind.GROUP)} AND o.kind IN {s.in_list(group_org_kinds)}"
        )
    ctes.append(f"hold (id, credit_id, via_group) AS ({hold})")

    month = _month_case(s, "m.starts_at", first_month, last_month, tz)
    via_groups = f" AND (h.via_group = 0 OR m.kind IN {s.in_list(group_kinds)})" if group_kinds else ""
    ctes.append(
        f"mt (id, org_id, via_group, kind, status, starts_at, mi) AS ("
        f"SELECT m.id, h.credit_id, h.via_group, m.kind, m.status, m.starts_at, {month}"
        f" FROM {meeting_t} m JOIN hold h ON h.id = m.organization_id"
        f" WHERE m.deleted_at IS NULL AND m.status IN {s.in_list(HELD_STATUSES)}"
        f" AND m.kind IN {s.in_list(meeting_kinds)}"
        f" AND m.starts_at >= {s.ts(window_start)} AND m.starts_at < {s.ts(window_end)}{via_groups})"
    )
    quorum_join, failed = "", "0 = 1"
    if voting_kinds:
        ctes.append(
            # MATERIALIZED (PostgreSQL): computed once even when the planner rescans it per meeting.
            f"mq (meeting_id, due, present) AS {'MATERIALIZED ' if s.pg else ''}("
            "SELECT a.meeting_id, SUM(CASE WHEN a.expected AND a.voting THEN 1 ELSE 0 END),"
            f" SUM(CASE WHEN a.expected AND a.voting AND a.status IN {s.in_list(PRESENT_STATUSES)} THEN 1 ELSE 0 END)"
            f" FROM {attendance_t} a"
            f" WHERE a.meeting_id IN (SELECT id FROM mt WHERE kind IN {s.in_list(voting_kinds)})"
            " GROUP BY a.meeting_id)"
        )
        quorum_join = " LEFT JOIN mq q ON q.meeting_id = mt.id"
        # fewer than the share (半数以上, at least half; dangjian.meetings.rules.committee_quorum_met, in SQL)
        q_share = meeting_share("committee.attendance_at_least_share", today)
        failed = f"q.due > 0 AND {q_share.denominator} * q.present < {q_share.numerator} * q.due"
    minutes_cutoff = local_midnight(today - timedelta(days=settings["minutes_days"]), tz)
    late = f"mt.status = {s.p(MeetingStatus.HELD)} AND mt.starts_at < {s.ts(minutes_cutoff)}"  # used twice
    ctes.append(
        "evp (org_id, kind, pid, held_own, qf_own, mm_own, held_all, qf_all, mm_all) AS ("
        "SELECT mt.org_id, mt.kind, kpm.pid,"
        " SUM(CASE WHEN mt.via_group = 0 THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN mt.via_group = 0 AND {failed} THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN mt.via_group = 0 AND {late} THEN 1 ELSE 0 END),"
        f" COUNT(*), SUM(CASE WHEN {failed} THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN {late} THEN 1 ELSE 0 END)"
        " FROM mt JOIN kpm ON kpm.meeting_kind = mt.kind AND kpm.mi = mt.mi"
        f"{quorum_join}"
        f" GROUP BY mt.org_id, mt.kind, kpm.pid{_appraisals(s, appraisal_pids, periods)})"
    )

    # Whether the condition holds somewhere in the period (listed) and from its first day (owed).
    listed = ["rp.cond = ''"]
    owed = ["rp.cond = ''"]
    spans = ""
    if Condition.HAS_COMMITTEE in conditions:
        # Spans with a committee: from each committee term's election to the next secretary-only term's (open when
        # none follows). Consecutive committee terms overlap, so a re-election mid-period leaves no gap.
        # MATERIALIZED (PostgreSQL): each term's end computed once, not once per use below.
        ctes.append(
            f"ct (org_id, cstart, cend) AS {'MATERIALIZED ' if s.pg else ''}(SELECT t.organization_id, t.elected_on,"
            f" (SELECT MIN(n.elected_on) FROM {term_t} n WHERE n.organization_id = t.organization_id"
            f" AND n.elected_on > t.elected_on AND NOT n.has_committee) FROM {term_t} t"
            " WHERE t.has_committee AND t.organization_id IN (SELECT id FROM o))"
        )
        # Per organisation and has_committee (rule version, period): whether a span covers some day of the period
        # (listed) and every day of it (owed). They meet the obligations in the grouping of ``ob``, not in an
        # EXISTS per obligation: a CTE has no index, so that scanned every span of the tree for each of the
        # ~200,000 obligations (≈30 s for a group's year on PostgreSQL), nor in a join that a misestimate of
        # either side could make a nested loop. The organisation's kind comes from its row by primary key.
        span = "CASE WHEN ct.cstart <= rp.{} AND (ct.cend IS NULL OR ct.cend > rp.{}) THEN 1 ELSE 0 END"
        spans = (
            " UNION ALL SELECT ct.org_id, rp.rule_id, rp.pid, NULL,"
            f" {span.format('pend', 'pstart')}, {span.format('pstart', 'pend')}"
            f" FROM ct JOIN {org_t} k ON k.id = ct.org_id JOIN rp ON rp.org_kind = k.kind"
            " AND rp.cond = 'has_committee'"
        )
    if Condition.HAS_GROUPS in conditions:
        group_of = (
            f"SELECT 1 FROM {org_t} g WHERE g.kind = 'group' AND g.path LIKE o.path || '%%'"
            " AND g.depth = o.depth + 1 AND {}"
        )
        founded = "(g.founded_on IS NULL OR g.founded_on <= rp.{})"
        alive = "(g.dissolved_on IS NULL OR g.dissolved_on > rp.{})"
        some_day = f"{founded.format('pend')} AND {alive.format('pstart')}"
        every_day = f"{founded.format('pstart')} AND {alive.format('pend')}"
        listed.append(f"(rp.cond = 'has_groups' AND EXISTS ({group_of.format(some_day)}))")
        owed.append(f"(rp.cond = 'has_groups' AND EXISTS ({group_of.format(every_day)}))")
    # The organisations' obligations in force in the period (the required count when it existed on every day of
    # it, else 0), with whether their condition is listed and owed, and the committee spans' flags; grouped per
    # (organisation, rule version, period): listed when any row says so, owed likewise; only obligations remain.
    ctes.append(
        "ob (org_id, rule_id, pid, required) AS ("
        "SELECT org_id, rule_id, pid, CASE WHEN MAX(owed) = 1 THEN MAX(required) ELSE 0 END FROM ("
        "SELECT o.id AS org_id, rp.rule_id AS rule_id, rp.pid AS pid,"
        " CASE WHEN (o.founded_on IS NULL OR o.founded_on <= rp.pstart)"
        " AND (o.dissolved_on IS NULL OR o.dissolved_on > rp.pend) THEN rp.required ELSE 0 END AS required,"
        f" CASE WHEN {' OR '.join(listed)} THEN 1 ELSE 0 END AS listed,"
        f" CASE WHEN {' OR '.join(owed)} THEN 1 ELSE 0 END AS owed"
        " FROM o JOIN rp ON rp.org_kind = o.kind"
        " AND (o.founded_on IS NULL OR o.founded_on <= rp.pend)"
        " AND (o.dissolved_on IS NULL OR o.dissolved_on > rp.pstart)"
        f"{spans}) c GROUP BY org_id, rule_id, pid HAVING COUNT(required) > 0 AND MAX(listed) = 1)"
    )
    # Counts per rule version: the period and meeting kind name the rule(s); a rule counting group meetings
    # takes the totals including its groups' meetings.
    ctes.append(
        "evr (org_id, rule_id, pid, held, quorum_failed, minutes_missing) AS ("
        "SELECT e.org_id, rp.rule_id, rp.pid,"
        " CASE WHEN rp.with_groups = 1 THEN e.held_all ELSE e.held_own END,"
        " CASE WHEN rp.with_groups = 1 THEN e.qf_all ELSE e.qf_own END,"
        " CASE WHEN rp.with_groups = 1 THEN e.mm_all ELSE e.mm_own END"
        " FROM evp e JOIN rp ON rp.pid = e.pid AND rp.meeting_kind = e.kind)"
    )
    if per_org:
        # org_totals: obligations and their counts meet in one hash join on (organisation, rule version,
        # period). The planner sees VALUES and CTEs and underestimates both sides, so this statement runs with
        # nested loops off (``fetch_grouped``): a misestimate cannot make the join compare every obligation with
        # every count. About a quarter faster for a whole group's year than the grouping below.
        ctes.append(
            "agg (org_id, rule_id, pid, required, held, quorum_failed, minutes_missing) AS ("
            "SELECT ob.org_id, ob.rule_id, ob.pid, ob.required, CAST(COALESCE(evr.held, 0) AS INTEGER),"
            " CAST(COALESCE(evr.quorum_failed, 0) AS INTEGER), CAST(COALESCE(evr.minutes_missing, 0) AS INTEGER)"
            " FROM ob LEFT JOIN evr ON evr.org_id = ob.org_id AND evr.rule_id = ob.rule_id AND evr.pid = ob.pid)"
        )
    else:
        # Obligations and counts meet in one grouping rather than a join, so that no misestimate of either side
        # (the planner sees VALUES and CTEs) can turn it into a nested loop; HAVING keeps the obligations only.
        ctes.append(
            "agg (org_id, rule_id, pid, required, held, quorum_failed, minutes_missing) AS ("
            "SELECT org_id, rule_id, pid, MAX(required), CAST(SUM(held) AS INTEGER),"
            " CAST(SUM(quorum_failed) AS INTEGER), CAST(SUM(minutes_missing) AS INTEGER) FROM ("
            "SELECT org_id, rule_id, pid, required, 0 AS held, 0 AS quorum_failed, 0 AS minutes_missing FROM ob"
            " UNION ALL SELECT org_id, rule_id, pid, NULL, held, quorum_failed, minutes_missing FROM evr) u"
            " GROUP BY org_id, rule_id, pid HAVING COUNT(required) > 0)"
        )
    pr = [
        f"({s.p(period_id[p])}, {s.d(p.start)}, {s.d(p.end)})" for p in sorted({p for _, p in pairs}, key=period_id.get)
    ]
    ctes.append(f"pr (pid, pstart, pend) AS (VALUES {', '.join(pr)})")
    today_sql = s.d(today)
    soon_sql = s.d(today + timedelta(days=settings["due_soon_days"]))
    light = (
        f"CASE WHEN agg.required = 0 THEN '{lights.NOT_OWED}'"
        f" WHEN agg.held - agg.quorum_failed >= agg.required THEN '{lights.DONE}'"
        f" WHEN pr.pend < {today_sql} THEN '{lights.OVERDUE}'"
        f" WHEN pr.pstart <= {today_sql} AND pr.pend <= {soon_sql} THEN '{lights.DUE_SOON}'"
        f" ELSE '{lights.NOT_DUE}' END"
    )
    sql = (
        "WITH " + ", ".join(ctes) + " SELECT agg.org_id, agg.rule_id, agg.pid, agg.required, agg.held,"
        f" agg.quorum_failed, agg.minutes_missing, {light} AS light FROM agg JOIN pr ON pr.pid = agg.pid"
    )
    if per_org:  # org_kind_totals: the items' due, met and quorum-failed counts per organisation and rule
        counted = f"i.light IN ('{lights.DONE}', '{lights.OVERDUE}')"
        sql = (
            f"SELECT i.org_id, i.rule_id, SUM(CASE WHEN {counted} THEN 1 ELSE 0 END),"
            f" SUM(CASE WHEN i.light = '{lights.DONE}' THEN 1 ELSE 0 END),"
            f" SUM(CASE WHEN {counted} THEN i.quorum_failed ELSE 0 END)"
            f" FROM ({sql}) i GROUP BY i.org_id, i.rule_id"
        )
    return s.finish(sql)
