"""The two years' member totals compared (党员数量变化情况, the report's 两年对比): last year's total + the year's
increases − its decreases = this year's total, each increase and decrease by its cause.

The totals count distinct persons on the rolls (正式 or 预备) on 31 December in the subtree. A change is a
membership of the subtree that starts or ends during the year; its coded cause (``Membership.start_cause`` /
``end_cause``) says which line it counts on. A move (本系统内调整) is two rows of one person, one ending and one
starting on the same day: inside the subtree it is no change; across the subtree's edge it is 转入 or 转出 for the
subtree. Every person whose changes do not account for the difference between the two totals, or whose change has
no cause, no other side, or two sides that disagree, is listed with the reason: the comparison balances only when
that list is empty.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.people.models import Membership
from dangjian.people.models.membership import EndCause, StartCause

from .reuse import reused
from .scope import Period, Subtree, active_on, in_year

# The report's lines, in its order (党员增加: 发展党员, 转入组织关系, 恢复党籍; 党员减少: 死亡, 转出组织关系,
# 出党 — 除名, 开除党籍, 退党, 取消预备党员资格 —, 停止党籍).
INCREASES: dict[str, object] = {
    StartCause.ADMITTED.value: gettext_lazy("发展党员"),
    StartCause.TRANSFERRED_IN.value: gettext_lazy("转入组织关系"),
    StartCause.RESTORED.value: gettext_lazy("恢复党籍"),
}
DECREASES: dict[str, object] = {
    EndCause.DIED.value: gettext_lazy("死亡"),
    EndCause.TRANSFERRED_OUT.value: gettext_lazy("转出组织关系"),
    EndCause.REMOVED.value: gettext_lazy("除名"),
    EndCause.EXPELLED.value: gettext_lazy("开除党籍"),
    EndCause.LEFT.value: gettext_lazy("退党"),
    EndCause.CANCELLED.value: gettext_lazy("取消预备党员资格"),
    EndCause.SUSPENDED.value: gettext_lazy("停止党籍"),
}
# the two ends of a move or a transfer: an end and a start of one person on one day are its two sides
_PAIR_ENDS = {EndCause.MOVED.value, EndCause.TRANSFERRED_OUT.value}
_PAIR_STARTS = {StartCause.MOVED.value, StartCause.TRANSFERRED_IN.value}


@dataclass(frozen=True)
class Row:
    person_id: int
    name: str
    path: str
    started_on: date
    ended_on: date | None
    start_cause: str
    end_cause: str
    sort_key: str = ""  # the person's, for the drill-down's order

    def active(self, on: date) -> bool:
        return self.started_on <= on and (self.ended_on is None or self.ended_on > on)


@dataclass
class Imbalance:
    person_id: int
    name: str
    reasons: list[str]


@dataclass
class Flow:
    """One person's changes for one subtree."""

    was: bool = False
    is_: bool = False
    increases: list[str] = field(default_factory=list)
    decreases: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass
class Balance:
    last_year: int
    this_year: int
    increases: dict[str, int]
    decreases: dict[str, int]
    # the persons behind each increase and decrease cause (drill-down)
    increased: dict[str, set[int]]
    decreased: dict[str, set[int]]
    imbalances: list[Imbalance]

    @property
    def increase_total(self) -> int:
        return sum(self.increases.values())

    @property
    def decrease_total(self) -> int:
        return sum(self.decreases.values())

    @property
    def balanced(self) -> bool:
        arithmetic = self.last_year + self.increase_total - self.decrease_total == self.this_year
        return arithmetic and not self.imbalances


def _fmt(d: date) -> str:
    return f"{d:%Y-%m-%d}"


def person_flow(rows: list[Row], inside: Callable[[str], bool], period: Period) -> Flow:
    """The changes of one person (all of their membership rows, in and out of the subtree) for one subtree."""
    flow = Flow()
    mine = [r for r in rows if inside(r.path)]
    flow.was = any(r.active(period.last) for r in mine)
    flow.is_ = any(r.active(period.end) for r in mine)
    for r in mine:
        if period.start <= r.started_on <= period.end:
            _start(flow, r, rows, inside)
        if r.ended_on is not None and period.start <= r.ended_on <= period.end:
            _end(flow, r, rows, inside)
    expected = int(flow.was) + len(flow.increases) - len(flow.decreases)
    if expected != int(flow.is_) and not flow.problems:
        flow.problems.append(
            _("年内增减与年底在册不符：上年底%(was)s，增加%(inc)s，减少%(dec)s，本年底%(is)s")
            % {"was": int(flow.was), "inc": len(flow.increases), "dec": len(flow.decreases), "is": int(flow.is_)}
        )
    return flow


def _start(flow: Flow, r: Row, rows: list[Row], inside: Callable[[str], bool]) -> None:
    cause = r.start_cause
    if cause in _PAIR_STARTS:
        other = [o for o in rows if o is not r and o.ended_on == r.started_on and o.end_cause in _PAIR_ENDS]
        if other:
            o = other[0]
            if (o.end_cause == EndCause.TRANSFERRED_OUT) != (cause == StartCause.TRANSFERRED_IN):
                flow.problems.append(
                    _("%(date)s 的组织关系转接两端记录不一致：转出一端为“%(end)s”，转入一端为“%(start)s”")
                    % {"date": _fmt(r.started_on), "end": EndCause(o.end_cause).label, "start": StartCause(cause).label}
                )
            elif not inside(o.path):
                flow.increases.append(StartCause.TRANSFERRED_IN.value)
            return
        if cause == StartCause.MOVED:
            flow.problems.append(
                _("%(date)s 本系统内调整转入，但找不到同日的调整转出记录（只记录了一端）")
                % {"date": _fmt(r.started_on)}
            )
            return
        flow.increases.append(cause)
    elif cause in INCREASES:
        flow.increases.append(cause)
    elif cause == StartCause.RECORDED:
        flow.problems.append(_("%(date)s 开始的组织关系标为“初始录入”，未说明增加原因") % {"date": _fmt(r.started_on)})
    else:
        flow.problems.append(_("%(date)s 开始的组织关系缺少增加原因") % {"date": _fmt(r.started_on)})


def _end(flow: Flow, r: Row, rows: list[Row], inside: Callable[[str], bool]) -> None:
    cause = r.end_cause
    assert r.ended_on is not None
    if cause in _PAIR_ENDS:
        other = [o for o in rows if o is not r and o.started_on == r.ended_on and o.start_cause in _PAIR_STARTS]
        if other:
            # a pair whose two sides disagree is reported once, from its start
            o = other[0]
            consistent = (cause == EndCause.TRANSFERRED_OUT) == (o.start_cause == StartCause.TRANSFERRED_IN)
            if consistent and not inside(o.path):
                flow.decreases.append(EndCause.TRANSFERRED_OUT.value)
            elif not consistent and not inside(o.path):
                flow.problems.append(
                    _("%(date)s 的组织关系转接两端记录不一致：转出一端为“%(end)s”，转入一端为“%(start)s”")
                    % {"date": _fmt(r.ended_on), "end": EndCause(cause).label, "start": StartCause(o.start_cause).label}
                )
            return
        if cause == EndCause.MOVED:
            flow.problems.append(
                _("%(date)s 本系统内调整转出，但找不到同日的调整转入记录（只记录了一端）") % {"date": _fmt(r.ended_on)}
            )
            return
        flow.decreases.append(cause)
    elif cause in DECREASES:
        flow.decreases.append(cause)
    elif cause == EndCause.ERROR:
        flow.problems.append(
            _("%(date)s 结束的组织关系标为“录入有误”，不计减少：请核实是否应删除该记录") % {"date": _fmt(r.ended_on)}
        )
    else:
        flow.problems.append(_("%(date)s 结束的组织关系缺少减少原因") % {"date": _fmt(r.ended_on)})


def changed_rows(scope: Subtree, period: Period) -> dict[int, list[Row]]:
    """Every membership row (in the subtree or not) of the persons with a change in the subtree during the year:
    one query."""
    changed = Membership.objects.filter(scope.q()).filter(in_year("started_on", period) | in_year("ended_on", period))
    values = (
        Membership.objects.filter(person_id__in=changed.values("person_id"), person__deleted_at__isnull=True)
        .order_by("person_id", "started_on", "id")
        .values_list(
            "person_id",
            "person__name",
            "organization__path",
            "started_on",
            "ended_on",
            "start_cause",
            "end_cause",
            "person__sort_key",
        )
    )
    by_person: dict[int, list[Row]] = defaultdict(list)
    for v in values:
        by_person[v[0]].append(Row(*v))
    return by_person


def on_rolls(scope: Subtree, on: date):
    """Memberships of the subtree on the rolls on ``on`` (persons not deleted)."""
    return Membership.objects.filter(scope.q(), active_on(on), person__deleted_at__isnull=True)


def tally(people: Iterable[tuple[int, list[Row]]], inside: Callable[[str], bool], period: Period) -> dict:
    increased: dict[str, set[int]] = {c: set() for c in INCREASES}
    decreased: dict[str, set[int]] = {c: set() for c in DECREASES}
    increases = dict.fromkeys(INCREASES, 0)
    decreases = dict.fromkeys(DECREASES, 0)
    imbalances: list[Imbalance] = []
    for person_id, rows in people:
        flow = person_flow(rows, inside, period)
        for c in flow.increases:
            increases[c] += 1
            increased[c].add(person_id)
        for c in flow.decreases:
            decreases[c] += 1
            decreased[c].add(person_id)
        if flow.problems:
            imbalances.append(Imbalance(person_id, rows[0].name, flow.problems))
    return {
        "increases": increases,
        "decreases": decreases,
        "increased": increased,
        "decreased": decreased,
        "imbalances": imbalances,
    }


def changes(scope: Subtree, period: Period) -> dict:
    """``tally`` of the year's changed rows for the subtree, reused while the data are unchanged (``reuse``): the
    report page and each page of its drill-down lists would otherwise repeat the analysis. One query when
    reused, two otherwise. Besides ``tally``'s keys, ``ordered``: the changed persons' ids in the drill-down
    lists' order (as ``Person``'s sort key, name, id), so that a page of a cell's list is a slice of ids, not a
    database sort of the thousands of ids of a group's year."""

    def analyse() -> dict:
        people = changed_rows(scope, period)
        found = tally(people.items(), scope.contains, period)
        found["ordered"] = sorted(people, key=lambda pk: (people[pk][0].sort_key, people[pk][0].name, pk))
        return found

    return reused("changes", scope, period, analyse)


def balance(scope: Subtree, period: Period) -> Balance:
    """The two years compared for one subtree: three or four queries (``changes``)."""
    last = on_rolls(scope, period.last).values("person_id").distinct().count()
    this = on_rolls(scope, period.end).values("person_id").distinct().count()
    found = changes(scope, period)
    return Balance(
        last_year=last,
        this_year=this,
        **{k: found[k] for k in ("increases", "decreases", "increased", "decreased", "imbalances")},
    )


@dataclass
class BranchLine:
    org_id: int
    last_year: int = 0
    this_year: int = 0
    increases: dict[str, int] = field(default_factory=lambda: dict.fromkeys(INCREASES, 0))
    decreases: dict[str, int] = field(default_factory=lambda: dict.fromkeys(DECREASES, 0))
    imbalanced: int = 0

    @property
    def increase_total(self) -> int:
        return sum(self.increases.values())

    @property
    def decrease_total(self) -> int:
        return sum(self.decreases.values())


def by_branch(scope: Subtree, period: Period, branches: dict[str, int]) -> dict[int, BranchLine]:
    """The comparison for each organisation holding memberships (``branches``: path → id), each as its own
    subtree: four queries whatever the number of branches."""
    lines = {pk: BranchLine(pk) for pk in branches.values()}
    for on, attr in ((period.last, "last_year"), (period.end, "this_year")):
        counts = (
            on_rolls(scope, on)
            .values("organization_id")
            .annotate(n=Count("person_id", distinct=True))
            .values_list("organization_id", "n")
        )
        for org_id, n in counts:
            if org_id in lines:
                setattr(lines[org_id], attr, n)
    for rows in changed_rows(scope, period).values():
        for path in {r.path for r in rows if scope.contains(r.path) and r.path in branches}:
            flow = person_flow(rows, lambda p, path=path: p.startswith(path), period)
            line = lines[branches[path]]
            for c in flow.increases:
                line.increases[c] += 1
            for c in flow.decreases:
                line.decreases[c] += 1
            line.imbalanced += bool(flow.problems)
    return lines


def with_members_q(scope: Subtree, period: Period) -> Q:
    """Organisations of the subtree that held a membership during the year (the per-branch summary's rows)."""
    spans = Membership.objects.filter(scope.q(), started_on__lte=period.end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=period.last)
    )
    return Q(pk__in=spans.values("organization_id"))
