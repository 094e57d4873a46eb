"""Demo roster changes and honours for the demo institute, dated from ``dangjian.demo.spec.reference_date()``.

The in-party statistics (党内统计年报) compare the last full year with this one, each increase and decrease by its
cause. The population brings admissions and transfers in, the transfers demo transfers in, out and inside the tree,
stops and restorations; this module adds, in each of the two years, the decreases no other demo makes — a death, an
expulsion (开除党籍), a resignation (退党), a removal (除名) — and the changes the transfers demo dates only near the
reference day (a transfer out, a move between branches), so that every kind of change appears in both years. And a
few honours (表彰奖励): 优秀共产党员 and 优秀党务工作者 on 1 July, 先进工作者 at the year's end, a provincial award.
Rows go in with ``bulk_create`` / ``bulk_update``, the way the services would write them.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from dangjian.accounts.models import User
from dangjian.demo import flagship
from dangjian.demo.spec import reference_date
from dangjian.orgs.models import CommitteePost, Organization

from .models import EndCause, Honour, HonourKind, HonourLevel, Membership, Person, PoliticalStatus, StartCause

# (cause, the words kept in ``end_reason``, whether the person stops being a party member)
DECREASES = (
    (EndCause.DIED, "因病去世", False),
    (EndCause.EXPELLED, "受开除党籍处分", True),
    (EndCause.LEFT, "本人申请退党", True),
    (EndCause.REMOVED, "不履行党员义务，经教育仍无转变，予以除名", True),
    (EndCause.TRANSFERRED_OUT, "组织关系转出至中共某研究院委员会", False),
)
HONOURS = (
    ("优秀共产党员", HonourKind.PARTY, HonourLevel.INSTITUTE, 7, 1, 4),
    ("优秀党务工作者", HonourKind.PARTY, HonourLevel.INSTITUTE, 7, 1, 2),
    ("优秀共产党员", HonourKind.PARTY, HonourLevel.GROUP, 6, 28, 1),
    ("先进工作者", HonourKind.OTHER, HonourLevel.INSTITUTE, 12, 20, 3),
    ("科学技术进步奖二等奖", HonourKind.OTHER, HonourLevel.PROVINCIAL, 11, 15, 1),
)


def _day_in(year: int, fraction: float, ref: date) -> date:
    """A day ``fraction`` of the way through ``year``, or through this year up to the day before the reference."""
    first = date(year, 1, 1)
    last = min(date(year, 12, 31), ref - timedelta(days=1))
    return max(first, first + timedelta(days=int((last - first).days * fraction)))


def generate_demo(seed: int) -> dict[str, int]:
    root = Organization.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return {}
    ref = reference_date()
    rng = random.Random(seed * 16 + 9)
    excluded = set(User.objects.exclude(person_id=None).values_list("person_id", flat=True))
    excluded |= set(CommitteePost.objects.values_list("person_id", flat=True))
    subtree = Organization.objects.subtree(root)
    branches = list(subtree.filter(kind="branch").order_by("path"))
    pool = [
        m
        for m in Membership.objects.current()
        .filter(organization__in=subtree, started_on__lt=date(ref.year - 2, 12, 1))
        .select_related("person")
        .order_by("id")
        if m.person_id not in excluded
    ]
    if len(pool) < 20 or len(branches) < 2:
        return {}
    rng.shuffle(pool)
    ended, started, no_longer = [], [], []
    for year in (ref.year - 1, ref.year):
        for i, (cause, words, leaves) in enumerate(DECREASES):
            m = _pick(pool, old=cause == EndCause.DIED)
            m.ended_on = _day_in(year, 0.15 + 0.13 * i, ref)
            m.end_reason, m.end_cause = words, cause
            ended.append(m)
            if leaves:
                no_longer.append(m.person_id)
        m = pool.pop()
        on = _day_in(year, 0.8, ref)
        to = rng.choice([b for b in branches if b.pk != m.organization_id])
        m.ended_on, m.end_reason, m.end_cause = on, f"组织关系转至{to.name}"[:100], EndCause.MOVED
        ended.append(m)
        started.append(_moved(m, to, on))
    Membership.objects.bulk_update(ended, ["ended_on", "end_reason", "end_cause"])
    Membership.objects.bulk_create(started)
    Person.objects.filter(pk__in=no_longer).update(political_status=PoliticalStatus.MASSES)
    honours = _honours(rng, pool, ref, root.name)
    return {"roster_changes": len(ended), "honours": len(honours)}


def _pick(pool: list[Membership], *, old: bool) -> Membership:
    """The next member of the pool; for a death, the oldest of the next ten."""
    if not old:
        return pool.pop()
    window = pool[-10:]
    oldest = min(window, key=lambda m: m.person.birth_date)
    pool.remove(oldest)
    return oldest


def _moved(m: Membership, to: Organization, on: date) -> Membership:
    return Membership(
        person=m.person, organization=to, status=m.status, applied_on=m.applied_on, admitted_on=m.admitted_on,
        converted_on=m.converted_on, started_on=on, start_cause=StartCause.MOVED,
    )  # fmt: skip


def _honours(rng: random.Random, pool: list[Membership], ref: date, committee: str) -> list[Honour]:
    rows = []
    candidates = list(pool)
    for year in (ref.year - 2, ref.year - 1, ref.year):
        for title, kind, level, month, day, count in HONOURS:
            awarded = date(year, month, day)
            if awarded >= ref:
                continue
            issuer = {HonourLevel.GROUP: "集团公司党组", HonourLevel.PROVINCIAL: "省科学技术厅"}.get(level, committee)
            if kind == HonourKind.OTHER and level == HonourLevel.INSTITUTE:
                issuer = flagship.NAME
            for m in rng.sample(candidates, count):
                rows.append(
                    Honour(person=m.person, title=title, kind=kind, level=level, awarded_on=awarded, issuer=issuer)
                )
    return Honour.objects.bulk_create(rows)
